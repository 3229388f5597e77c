"""A private OpenSearch node a test can stop and start again: the launcher that
scripts/services.sh runs (scripts/java/search-node/run.sh), on a port and data folder of its own."""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.api import free_port
from tests.java_tools import ROOT

LAUNCHER = ROOT / "scripts" / "java" / "search-node" / "run.sh"


class SearchNode:
    """One node, its data kept under ``home`` between starts."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """As the project's setting names it."""
        return f"opensearch://127.0.0.1:{self.port}"

    def ready(self) -> bool:
        try:
            urllib.request.urlopen(f"{self.http_url}/_cluster/health?wait_for_status=yellow&timeout=1s",
                                   timeout=3)
        except OSError:
            return False
        return True

    def start(self, timeout_s: float = 90) -> float:
        """Start the node and wait until it answers; returns the seconds it took."""
        started = time.monotonic()
        self.home.mkdir(parents=True, exist_ok=True)
        log = (self.home / "node.log").open("ab")
        self.process = subprocess.Popen([str(LAUNCHER), str(self.home), str(self.port)], stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        while not self.ready():
            if self.process.poll() is not None or time.monotonic() - started > timeout_s:
                self.stop()
                tail = (self.home / "node.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the search node did not start:\n{tail}")
            time.sleep(0.25)
        return time.monotonic() - started

    def stop(self, *, kill: bool = False) -> None:
        """Stop the node (``kill``: at once, as a crash would)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
