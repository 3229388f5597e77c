"""Runs ``phienhieu`` as a real process with its own data dir and database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


class Cli:
    """Runs ``phienhieu`` with its own data dir and database."""

    def __init__(self, data_dir: Path, database_url: str) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PHIENHIEU_")}
        self.env.update({"PHIENHIEU_DATA_DIR": str(data_dir), "PHIENHIEU_DATABASE_URL": database_url})

    def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *args], input=stdin, capture_output=True,
            text=True, env=self.env, timeout=120, check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start a long-running command (a worker, a server) in the background."""
        return subprocess.Popen([sys.executable, "-m", "api.cli", *args], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
