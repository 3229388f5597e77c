"""Work on a long file in several processes: chunks of its rows handed to a pool of worker
processes and their results taken back in the file's order, a few chunks ahead of the
consumer and no more, so memory stays bounded whatever the file's length.

Workers are started with ``spawn``: a fresh interpreter shares nothing with the caller
(no database connection, no server thread), which ``fork`` would copy in any state. The
file is read and its chunks handed over by a thread of the caller's own, so reading goes
on while the consumer waits on its database (a driver waiting lets other threads run).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Generic, TypeVar, cast

from archive.errors import WorkerStoppedError

T = TypeVar("T")
U = TypeVar("U")

#: Most worker processes an import starts, however many processors the machine has: the
#: database and the process that writes to it need processors too.
MAX_WORKERS = 4
#: Below this size a file is read in the caller's process: starting workers costs about
#: a second, what reading some 20,000 rows costs.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024


def workers_for(size: int) -> int:
    """How many worker processes a file of ``size`` bytes is worth (1: none)."""
    if size < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(function: Callable[[T], U], items: Iterable[T], *, workers: int,
                ahead: int = 2) -> Iterator[U]:
    """``function(item)`` for every item, in the items' order.

    With ``workers`` of 2 or more, the calls run in that many worker processes
    (``function`` and the items must pickle), at most ``ahead`` calls per worker waiting
    or running, the items taken from ``items`` by a thread of this process; otherwise in
    this process. An error raised by a call, or by ``items``, is raised here (after the
    results before it), and the calls not yet run are cancelled.

    Raises:
        WorkerStoppedError: a worker process died (killed, or out of memory).
    """
    if workers < 2:
        yield from map(function, items)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        feed = _Feed(pool, function, items, workers * ahead)
        try:
            yield from feed.results()
        except BrokenProcessPool:
            raise WorkerStoppedError("A worker process stopped before it finished (killed, or out of "
                                     "memory); what was stored before it stays, run it again.") from None
        finally:
            feed.stop()


class _Feed(Generic[T, U]):
    """Items handed to a pool by a thread of their own, at most ``most`` calls submitted
    and not yet taken back; what the thread sends (a call, an error, the end) in order."""

    _END = object()

    def __init__(self, pool: ProcessPoolExecutor, function: Callable[[T], U], items: Iterable[T],
                 most: int) -> None:
        self._room = threading.Semaphore(most)
        self._sent: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._send, args=(pool, function, items), daemon=True,
                                        name="ordered_map feed")
        self._thread.start()

    def _send(self, pool: ProcessPoolExecutor, function: Callable[[T], U], items: Iterable[T]) -> None:
        try:
            for item in items:
                while not self._room.acquire(timeout=0.2):
                    if self._stopped.is_set():
                        return
                if self._stopped.is_set():
                    return
                self._sent.put(pool.submit(function, item))
        except BaseException as error:  # raised where the results are taken
            self._sent.put(error)
        self._sent.put(self._END)

    def results(self) -> Iterator[U]:
        """The calls' results in order, each taken back before the next is waited for."""
        while (sent := self._sent.get()) is not self._END:
            if isinstance(sent, BaseException):
                raise sent
            result = cast("Future[U]", sent).result()
            self._room.release()
            yield result

    def stop(self) -> None:
        """Stop sending (a read under way ends first), and cancel the calls not taken back."""
        self._stopped.set()
        self._thread.join(timeout=10)  # a file that stopped giving lines keeps the thread, not us
        while True:
            try:
                sent = self._sent.get_nowait()
            except queue.Empty:
                return
            if isinstance(sent, Future):
                sent.cancel()
