"""Work on a long file in several processes: chunks of its rows handed to a pool of worker
processes and their results taken back in the file's order, a few chunks ahead of the
consumer and no more, so memory stays bounded whatever the file's length.

Workers are started with ``spawn``: a fresh interpreter shares nothing with the caller
(no database connection, no server thread), which ``fork`` would copy in any state.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

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
    or running; otherwise in this process. An error raised by a call is raised here, and
    the calls not yet run are cancelled.

    Raises:
        WorkerStoppedError: a worker process died (killed, or out of memory).
    """
    if workers < 2:
        yield from map(function, items)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[Future[U]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(function, item))
                if len(pending) >= workers * ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool:
            raise WorkerStoppedError("A worker process stopped before it finished (killed, or out of "
                                     "memory); what was stored before it stays, run it again.") from None
        finally:
            for future in pending:
                future.cancel()
