"""A real ``phienhieu serve`` on a free port, with the demo registry loaded, for tests that
talk to it over HTTP (the browser tests and the proxy tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bench.api import free_port


def _log_tail(log: Path, lines: int = 40) -> str:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@contextmanager
def live_server(data_dir: Path, *, workers: int = 1, settings: dict[str, str] | None = None) -> Iterator[str]:
    """Load the demo registry into data_dir, serve it (with more ``PHIENHIEU_`` settings
    if given), and give the base URL while it runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIENHIEU_")}
    env.update({"PHIENHIEU_DATA_DIR": str(data_dir), "PHIENHIEU_OCR_WORKERS": str(workers)})
    env.update(settings or {})
    subprocess.run([sys.executable, "-m", "api.cli", "demo"], env=env, check=True,
                   capture_output=True, timeout=120)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = data_dir / "serve.log"
    # The server writes to a file: a pipe nobody reads fills up and blocks it.
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(base, server, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            pytest.fail(f"the server exited early with code {server.returncode}:\n{_log_tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not answer /healthz within 60 s:\n{_log_tail(log)}")
        time.sleep(0.2)
