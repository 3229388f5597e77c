"""A private OpenSearch node that a test or a benchmark starts, stops and starts again: the
launcher scripts/services.sh runs (scripts/java/search-node/run.sh), on a port and data
folder of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.api import free_port

LAUNCHER = Path(__file__).resolve().parent.parent / "scripts" / "java" / "search-node" / "run.sh"


class SearchNode:
    """One node, its data kept under ``home`` between starts."""

    def __init__(self, home: Path, *, heap: str = "512m", quick_start: bool = True) -> None:
        self.home = home
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        # quick_start: the first JIT tier only, for a short-lived node (tests); a benchmark wants both
        self._environment = {**os.environ, "SEARCH_NODE_HEAP": heap,
                             "SEARCH_NODE_QUICK_START": "1" if quick_start else "0"}

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
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=self._environment)
        log.close()
        while not self.ready():
            if self.process.poll() is not None or time.monotonic() - started > timeout_s:
                self.stop()
                tail = (self.home / "node.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the search node did not start:\n{tail}")
            time.sleep(0.25)
        return time.monotonic() - started

    def peak_rss_mb(self) -> float:
        """The node's peak resident memory so far (Linux), in MB."""
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

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
