"""Debian's headless chromium driven by Playwright, for the browser tests only (the server
they drive is ``tests.live_server``).

Playwright never downloads a browser here: it launches the ``chromium`` that
``scripts/bootstrap.sh test`` installs from Debian.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

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
