"""Worker processes started by ``phienhieu serve`` and ``phienhieu ingest``.

Each worker is a ``phienhieu worker`` process of its own (one Tesseract thread each), so a
crash in one never takes the server down; the pool starts a new one in its place.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

log = logging.getLogger("phienhieu.workers")

_CHECK_EVERY_S = 1.0
_MAX_RESTART_DELAY_S = 60.0


class WorkerPool:
    """``count`` worker processes, restarted when one dies, stopped together.

    Args:
        count: how many processes.
        quiet: send their output to /dev/null (under a progress bar).
        poll_s: how often an idle worker looks for work.
    """

    def __init__(self, count: int, *, quiet: bool = False, poll_s: float = 1.0) -> None:
        self.count = count
        self._quiet = quiet
        self._poll_s = poll_s
        self._processes: list[subprocess.Popen[bytes]] = []
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    def start(self) -> None:
        """Start the processes and the thread that watches them."""
        if not self.count:
            return
        self._processes = [self._spawn() for _ in range(self.count)]
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()

    def stop(self, timeout_s: float = 60.0) -> None:
        """Ask every worker to finish its page and exit; kill those that do not."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join()
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _spawn(self) -> subprocess.Popen[bytes]:
        output = subprocess.DEVNULL if self._quiet else None
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        # The process that started the pool publishes to the index; its workers do not
        # contend with it for the index's lock.
        command = [sys.executable, "-m", "api.cli", "worker", "--poll", str(self._poll_s), "--no-publish"]
        return subprocess.Popen(command, env=env, stdout=output, stderr=output)

    def _supervise(self) -> None:
        # A worker that dies at once again and again waits longer each time before the
        # next start, so a broken set-up does not spin.
        delay = _CHECK_EVERY_S
        while not self._stopping.wait(delay):
            died = False
            for index, process in enumerate(self._processes):
                code = process.poll()
                if code is not None and not self._stopping.is_set():
                    log.warning("worker %s exited with %s; starting another", process.pid, code)
                    self._processes[index] = self._spawn()
                    died = True
            delay = min(_MAX_RESTART_DELAY_S, delay * 2) if died else _CHECK_EVERY_S
