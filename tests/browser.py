"""A real ``phienhieu serve`` on a free port, and Debian's headless chromium driven by Playwright.

Playwright never downloads a browser here: it launches the ``chromium`` that
``scripts/bootstrap.sh test`` installs from Debian.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, sync_playwright

from bench.api import free_port

CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root, where chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium, or None when it is not installed."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


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
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                pytest.fail(f"the server exited early with code {server.returncode}:\n{_log_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer /healthz within 60 s:\n{_log_tail(log)}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def browser_page(base_url: str) -> Iterator[Page]:
    """A page in headless chromium whose relative URLs go to base_url."""
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed (scripts/bootstrap.sh test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=base_url, locale="vi-VN",
                                          viewport={"width": 1280, "height": 900})
            try:
                page = context.new_page()
                page.set_default_timeout(15_000)
                yield page
            finally:
                context.close()
        finally:
            browser.close()
