"""``phienhieu serve`` really serves: start it, ask it, stop it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
from PIL import Image

from bench.api import free_port
from bench.synth import make_page


def test_serve_answers_and_its_workers_read_queued_pages(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIENHIEU_")}
    env.update({"PHIENHIEU_DATA_DIR": str(tmp_path), "PHIENHIEU_OCR_WORKERS": "1"})
    subprocess.run([sys.executable, "-m", "api.cli", "demo"], env=env, check=True,
                   capture_output=True, timeout=120)
    page = make_page(5)
    Image.fromarray(page.image).save(tmp_path / "notice.png", dpi=(page.dpi, page.dpi))
    subprocess.run([sys.executable, "-m", "api.cli", "ingest", str(tmp_path / "notice.png"),
                    "--no-wait"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, "the server exited early"
                assert time.monotonic() < deadline, "the server did not start within 60 s"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        decoded = httpx.post(f"{base}/api/v1/decode", json={"text": "Công trường 9", "date": "1968"})
        assert decoded.status_code == 200
        assert decoded.json()["candidates"][0]["unit_id"] == "f9"
        database = tmp_path / "phienhieu.sqlite3"
        while not _pages_read(database):
            assert time.monotonic() < deadline + 60, "the server's worker did not read the page"
            time.sleep(0.2)
        # The server publishes the page to its index from the outbox by itself.
        while not httpx.get(f"{base}/api/v1/search", params={"q": "giấy báo tử", "type": "page"}
                            ).json()["total"]:
            assert time.monotonic() < deadline + 90, "the page did not reach the search index"
            time.sleep(0.2)
        workers = _children(server.pid)
        assert len(workers) == 1
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Ending the server by a signal ends its workers too (none is left behind).
    for pid in workers:
        alive = Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)
        assert not alive, f"worker {pid} outlived the server"


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in found.stdout.split()]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except FileNotFoundError:
        return "zombie"


def _pages_read(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        count: int = connection.execute("SELECT count(*) FROM pages").fetchone()[0]
        return count
