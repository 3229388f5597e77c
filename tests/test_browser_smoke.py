"""The browser chain works: Debian's chromium, driven by Playwright, reaches a live server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page


@pytest.mark.browser
def test_chromium_reads_the_live_servers_health(browser: Page) -> None:
    response = browser.goto("/healthz")
    assert response is not None
    assert response.status == 200
    assert "ok" in browser.inner_text("body")
