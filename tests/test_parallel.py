"""Work in worker processes: results in order, errors raised in the caller, a dead worker
a clear error, and a register read by workers imported exactly as one read in-process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.errors import WorkerStoppedError
from archive.models import Grave
from archive.parallel import PARALLEL_MIN_BYTES, chunked, ordered_map, workers_for
from bench.graves import write_register
from usecases.graves import import_cemetery_file, import_grave_file


def square_after_pause(number: int) -> int:
    """Early items take longest, so results arrive out of order unless put back in it."""
    import time

    time.sleep(0.002 * (20 - number % 20))
    return number * number


def refuse_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven")
    return number


def die_at_three(number: int) -> int:
    if number == 3:
        os._exit(1)
    return number


def test_results_come_back_in_order_from_workers_and_from_this_process() -> None:
    assert list(ordered_map(square_after_pause, range(40), workers=2)) == [n * n for n in range(40)]
    assert list(ordered_map(square_after_pause, range(5), workers=1)) == [0, 1, 4, 9, 16]


def test_an_error_in_a_worker_is_raised_here_and_a_dead_worker_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="seven"):
        list(ordered_map(refuse_seven, range(20), workers=2))
    with pytest.raises(WorkerStoppedError, match="worker process stopped"):
        list(ordered_map(die_at_three, range(20), workers=2))


def test_chunks_and_the_number_of_workers() -> None:
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(chunked([], 3)) == []
    assert workers_for(PARALLEL_MIN_BYTES - 1) == 1
    assert 1 <= workers_for(PARALLEL_MIN_BYTES) <= 4


def test_a_register_read_by_workers_imports_as_one_read_here(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    cemeteries, graves = write_register(tmp_path, 5000, 5)
    lines = graves.read_text(encoding="utf-8").splitlines()
    lines[10] = lines[10].replace(",có tên,", ",đã mất,")  # a status outside the list
    grave_id, _, rest = lines[4321].split(",", 2)
    lines[4321] = f"{grave_id},nt-none,{rest}"  # an unknown cemetery
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_cemetery_file(cemeteries, sessions=sessions, actor="test", max_bytes=10**8)
    by_workers = import_grave_file(broken, sessions=sessions, actor="test", max_bytes=10**8, workers=2)
    assert by_workers.created == 4998
    assert [number for number, _ in by_workers.problems] == [10, 4321]
    with sessions() as session:
        stored = session.scalars(select(Grave.id).order_by(Grave.id)).all()
    again = import_grave_file(broken, sessions=sessions, actor="test", max_bytes=10**8, workers=1)
    assert (again.created, again.unchanged, again.problems) == (0, 4998, by_workers.problems)
    assert len(stored) == 4998
