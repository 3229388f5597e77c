"""The grave import's short ways give what the long ways give: rows checked without the
model (``archive.grave_fast``) against the model's own reading, row by row, good and bad;
``COPY`` lines read back to the columns they were made from; and a batch copied as lines
stored as the same batch stored column by column. Every name and number is invented."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

import archive.graves
from archive.bulk import copies_text
from archive.grave_columns import header_map
from archive.grave_fast import quick_grave_columns
from archive.grave_lines import KEY_COLUMNS, LINE_COLUMNS, GraveLines, columns_from_line, grave_line
from archive.grave_rows import parse_grave_rows, parse_rows, validated_data
from archive.grave_stored import grave_columns
from archive.graves import BatchOutcome, store_grave_lines, store_graves
from archive.models import AuditEntry, Cemetery, Grave, GraveStatusChange, OutboxEntry
from archive.parallel import ordered_map
from archive.person_schema import PersonRecord
from archive.persons import store_person
from archive.tabular import RawRow
from decoder.errors import InvalidInputError
from usecases.graves import import_grave_file

HEADER = ["Mã mộ", "Nghĩa trang", "Khu", "Lô", "Hàng", "Số mộ", "Họ và tên", "Năm sinh", "Quê quán", "Đơn vị",
          "Ngày hy sinh", "Tình trạng", "Nơi quy tập", "Ngày quy tập", "Vĩ độ quy tập", "Kinh độ quy tập",
          "Mã an táng", "Mã liệt sĩ", "Lý do", "Ghi chú"]
LONG = "Trường Sơn " * 60
NFD = "Nguye\u0302\u0303n Va\u0306n Thu\u031b\u0309"
#: For each column, what registers hold (the first values, most of the time) and what they should not.
CELLS = [
    ["g-{n}", "G.{n}:b", " g-{n} ", "", "-g{n}", "g {n}", "g-{n}\n", "x" * 65],
    ["nt-a", "nt-b", " nt-a", "Nghĩa trang liệt sĩ Thử A", "", "  ", "nt\tc", "x" * 301],
    ["A", "", "b", " khu  C ", "x" * 33, "a\\b"],
    ["1", "", "3", "lô 7", "x" * 33],
    ["2", "", "10", "hàng\t4"],
    ["{n}", "{n}-2", "  {n}", "lô 3, hàng 4, mộ số {n}", "Mộ {n}", "", "x" * 33, "{n}/5"],
    ["Nguyễn Văn Thử", "", "  Lê   Văn  Thanh ", NFD, "Ðặng Văn Thêm", "LE VAN THU", "x" * 201, "Tab\tTên",
     " "],
    ["1950", "", "1930", "1849", "2101", "năm mươi", "1950.0", "１９５０", "2020"],
    ["xã Yên Thử, huyện Yên Phong", "", "Thái Bình", "tỉnh", LONG, "  Hà   Tĩnh  "],
    ["c2 d5 e88 f308", "", "Đại đội 3, Tiểu đoàn 9", LONG, "Hòm thư \\42"],
    ["15/7/1972", "", "1972", "ngày 3 tháng 5 năm 1968", "7/1972", "1972-02-30", "2999", "1800", "1940",
     "chưa rõ", "31/12/1975"],
    ["có tên", "", "vô danh", "mộ gió", "thiếu thông tin", "named", "đã mất", "PARTIAL", "Unidentified"],
    ["đồi 2", "", "Nghĩa Đàn, Triệu Phong", LONG],
    ["1995", "", "1960", "2999", "1994-03", "3/1994"],
    ["16,7", "", "16.75", "95", "nan", "inf", "1e1", "abc", "-0.0"],
    ["107,2", "", "107.25", "200", "-180"],
    ["", "b-1", "bad id"],
    ["", "p-1", "p-none", "bad id!"],
    ["", "giám định ADN", " ", "x" * 2001],
    ["", "ghi chú", "\x07 chuông", "\u202e đảo"],
]


def varied_rows(count: int, seed: int) -> list[RawRow]:
    """Rows with every column drawn: in half of them, the usual values nearly always, in
    the others often not; a few rows with cells past the header, or too few."""
    rng = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        usual = 0.97 if n % 2 else 0.6
        cells = [(choices[0] if rng.random() < usual else rng.choice(choices)).replace("{n}", str(n))
                 for choices in CELLS]
        if n % 97 == 0:
            cells.append("cell past the header")
        if n % 89 == 0:
            cells = cells[:5]
        rows.append(RawRow(n, cells))
    return rows


def as_lines(parsed: GraveLines) -> list[tuple[int, str, dict[str, Any]]]:
    return [(number, line, {name: parsed.keys[name][place] for name in KEY_COLUMNS})
            for place, (number, line) in enumerate(zip(parsed.numbers, parsed.lines, strict=True))]


def by_the_model(kind_rows: list[tuple[int, dict[str, Any] | None, str | None]]) -> tuple[
        list[tuple[int, str, dict[str, Any]]], list[tuple[int, str]]]:
    """What the model-only reading gives, as lines and problems."""
    good = [(number, grave_line(columns), {name: columns[name] for name in KEY_COLUMNS})
            for number, columns, _ in kind_rows if columns is not None]
    return good, [(number, reason) for number, columns, reason in kind_rows if columns is None and reason]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cells_read_the_short_way_are_what_the_model_makes_of_them(seed: int) -> None:
    columns, ignored = header_map("grave", HEADER)
    assert ignored == ["Ghi chú"]
    rows = varied_rows(3000, seed)
    quick = parse_grave_rows(HEADER, columns, rows)
    good, problems = by_the_model(parse_rows("grave", HEADER, columns, rows))
    assert as_lines(quick) == good
    assert quick.problems == problems
    assert len(good) > 900  # both kinds of row, in numbers
    assert len(problems) > 600
    assert all(reason for _, reason in quick.problems)


def read_both_ways(header: list[str], rows: list[RawRow]) -> GraveLines:
    """The rows read the short way, checked against the long way; what the short way gave."""
    columns, _ = header_map("grave", header)
    quick = parse_grave_rows(header, columns, rows)
    assert (as_lines(quick), quick.problems) == by_the_model(parse_rows("grave", header, columns, rows))
    return quick


LEGACY = "Nguy\udcc3\udcaan V\udce3n Th\udcf6"  # bytes of an 8-bit file, as CSV reading keeps them
ODD_CELLS: list[list[Any]] = [
    ["o-{n}"], ["nt-a", "nt-b"], ["1", 1, 1.0, None, True], ["{n}", 7.5, "", None],
    ["Trần Văn Thái", LEGACY, "", None, 12], ["Thái Bình", "  ", LEGACY],
    ["1950", 1950, 1950.0, "", datetime(1950, 1, 1)], ["15/7/1972", date(1972, 7, 15), "1972"],
    ["có tên", "vô danh", ""], ["16.7", 16.7, 16, ""], ["107.2", 107.2, ""],
    ["", "ghi chú", LEGACY, "\x1b", 3], ["", "x", "Nguyễn Văn Tên Sau"],
]
ODD_HEADER = ["id", "cemetery", "lot", "number", "Họ và tên", "hometown", "birth_year", "death_date",
              "status", "remains_lat", "remains_lon", "", "Họ và tên"]


def test_cells_of_any_file_go_the_short_way_only_where_it_is_sure() -> None:
    rng = random.Random(8)
    rows = []
    for n in range(1, 1500):
        cells = [rng.choice(choices) for choices in ODD_CELLS]
        cells = [cell.replace("{n}", str(n)) if isinstance(cell, str) else cell for cell in cells]
        rows.append(RawRow(n, cells + ([""] * (n % 3) if n % 5 else ["past the header"])))
    quick = read_both_ways(ODD_HEADER, rows)
    assert len(quick) > 100
    assert len(quick.problems) > 100
    refused = read_both_ways(["id", "cemetery", "number", "ghi\x07chú"],
                             [RawRow(1, ["o-1", "nt-a", "1", ""])])
    assert [number for number, _ in refused.problems] == [1]


def test_a_position_in_one_cell_and_sources_take_the_long_way() -> None:
    header = ["id", "cemetery", "Vị trí", "name", "sources", "person_id"]
    columns, _ = header_map("grave", header)
    rows = [RawRow(1, ["p-1", "nt-a", "lô 3, hàng 4, mộ số 12", "Lê Văn Thử", "", ""]),
            RawRow(2, ["p-2", "nt-a", "khu B", "", "", ""]),
            RawRow(3, ["p-3", "nt-a", "mộ 5", "", '[{"scan": "s-1", "page": 2}]', "p-1"]),
            RawRow(4, ["p-4", "nt-a", "ở đâu đó", "", "", ""]),
            RawRow(5, ["p-5", "nt-a", "mộ 6", "", '[{"scan": ""}]', ""])]
    quick = parse_grave_rows(header, columns, rows)
    good, problems = by_the_model(parse_rows("grave", header, columns, rows))
    assert (as_lines(quick), quick.problems) == (good, problems)
    assert [number for number, _ in problems] == [2, 4, 5]
    assert '"s-1"' in quick.lines[1]


def varied_records(count: int, seed: int) -> list[Any]:
    """CONTRACT's JSON as a JSON Lines import reads it, values of every type: in half the
    records the usual ones nearly always, in the others often not."""
    rng = random.Random(seed)
    pools: dict[str, list[Any]] = {
        "id": ["j-{n}", "", "j {n}", 7], "cemetery": ["nt-a", " nt-b ", "", None, 3],
        "zone": ["A", None, "", " b ", "x" * 33], "lot": ["1", None, 2], "row": ["2", None, ""],
        "number": ["{n}", "", None, 5, "x" * 33],
        "status": ["named", "unidentified", "partial", "named_no_remains", "vô danh", None],
        "name": ["Lê Văn Thử", None, "", " ", NFD, "Tab\tTên"],
        "birth_year": [1950, None, "1950", True, 1849, 2050],
        "hometown": ["Hà Tĩnh", None, "", LONG], "unit_text": ["c2 d5", None, ["c2"]],
        "death_date": ["1972-07-15", None, "1972-7-15", "1972-02-30", "1940", "2999", 1972],
        "remains_from": [{"place": "đồi 2", "lat": 16.7, "lon": 107.2}, None, {}, {"lat": 16.7},
                         {"lat": 16, "lon": 107}, {"date": "1995", "burial": "b-1"}, {"where": "x"}, "đồi"],
        "person_id": [None, "p-1", "bad id"], "sources": [[], [{"scan": "s-1"}], None],
        "reason": [None, "giám định", "", " "],
    }
    records = []
    for n in range(1, count + 1):
        usual = 0.97 if n % 2 else 0.6
        given = 0.95 if n % 2 else 0.7
        record = {field: pool[0] if rng.random() < usual else rng.choice(pool)
                  for field, pool in pools.items() if rng.random() < given}
        if rng.random() < 0.02:
            record["extra"] = "x"
        records.append({field: value.replace("{n}", str(n)) if isinstance(value, str) else value
                        for field, value in record.items()})
    return records


@pytest.mark.parametrize("seed", [4, 5])
def test_records_checked_the_short_way_are_what_the_model_makes_of_them(seed: int) -> None:
    records = varied_records(2000, seed)
    taken = 0
    for record in records:
        quick = quick_grave_columns(record)
        try:
            expected: dict[str, Any] | str = grave_columns(validated_data("grave", record))  # type: ignore[arg-type]
        except InvalidInputError as error:
            expected = str(error)
        if quick is not None:
            taken += 1
            assert quick == expected, record
    assert taken > 500
    rows = [RawRow(number, json.dumps(record, ensure_ascii=False).encode()) for number, record
            in enumerate(records, start=1)]
    quick_lines = parse_grave_rows(None, None, rows)
    expected = by_the_model(parse_rows("grave", None, None, rows))
    assert (as_lines(quick_lines), quick_lines.problems) == expected


def test_a_line_reads_back_to_its_columns() -> None:
    rows = varied_rows(2000, 6)
    columns, _ = header_map("grave", HEADER)
    stored = [found for _, found, _ in parse_rows("grave", HEADER, columns, rows) if found is not None]
    stored.append(stored[0] | {"name": 'a\\b\t"c"\n\r\\N', "remains_lat": -0.0, "remains_lon": 1e-300,
                               "sources": [{"scan": "s\t\\1", "page": 2, "note": "ghi \"chú\""}]})
    for found in stored:
        line = grave_line(found)
        assert "\n" not in line
        assert line.count("\t") == len(LINE_COLUMNS) - 1
        assert columns_from_line(line) == {name: value for name, value in found.items() if name != "reason"}


def items_then_a_failure(count: int) -> Iterator[int]:
    yield from range(count)
    raise InvalidInputError("the file cannot be read from here on")


def test_items_read_by_a_thread_come_back_in_order_and_their_error_after_them() -> None:
    got: list[int] = []
    with pytest.raises(InvalidInputError, match="from here on"):
        got.extend(ordered_map(abs, items_then_a_failure(30), workers=2))
    assert got == list(range(30))
    taken = ordered_map(abs, iter(range(10_000)), workers=2, ahead=1)
    assert [next(taken) for _ in range(3)] == [0, 1, 2]
    taken.close()  # the thread reading the items stops, the calls not taken back are cancelled


# --- storing -------------------------------------------------------------------------------------


def stored_state(session: Session) -> dict[str, Any]:
    """What a batch left in the database, instants and serial numbers aside."""
    graves = [{column.name: getattr(grave, column.name) for column in Grave.__table__.columns
               if column.name not in ("created_at", "updated_at")}
              for grave in session.scalars(select(Grave).order_by(Grave.id))]
    history = [(change.grave_id, change.from_status, change.to_status, change.actor, change.reason)
               for change in session.scalars(select(GraveStatusChange).order_by(GraveStatusChange.id))]
    audit = [(entry.actor, entry.action, entry.subject, entry.details)
             for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
    outbox = [(entry.entity, entry.entity_id) for entry in session.scalars(select(OutboxEntry).order_by(
        OutboxEntry.id))]
    return {"graves": graves, "history": history, "audit": audit, "outbox": outbox}


def both_ways(sessions: sessionmaker[Session], batch: GraveLines, reason: str) -> tuple[
        tuple[BatchOutcome, dict[str, Any]], tuple[BatchOutcome, dict[str, Any]]]:
    """The batch stored as lines, then (that undone) column by column; each outcome and state."""
    results = []
    for store in (lambda s: store_grave_lines(s, batch, actor="hoa", reason=reason),
                  lambda s: store_graves(s, batch.rows(), actor="hoa", reason=reason)):
        with sessions() as session:
            outcome = store(session)
            session.flush()
            results.append((outcome, stored_state(session)))
            session.rollback()
    return results[0], results[1]


def stock(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add_all([Cemetery(id=f"nt-{letter}", name=f"Nghĩa trang liệt sĩ Thử {letter.upper()}",
                                  name_key=f"nghia trang liet si thu {letter}") for letter in "ab"])
        store_person(session, PersonRecord(id="p-1", full_name="Lê Văn Thử"))


def grave_batch(count: int, **fields: Any) -> GraveLines:
    batch = GraveLines()
    for n in range(count):
        record = {"id": f"s-{n}", "cemetery": "nt-a" if n % 3 else "nt-b", "lot": "1", "number": str(n),
                  "status": "named" if n % 2 else "unidentified", **({"name": "Lê Văn Thử"} if n % 2 else {}),
                  "reason": "giám định" if n % 5 == 0 else None, "person_id": "p-1" if n % 7 == 0 else None,
                  "unit_text": "c2 \\ d5\tx" if n == 3 else None, **fields}
        batch.add(n + 1, grave_columns(validated_data("grave", record)))  # type: ignore[arg-type]
    return batch


@pytest.mark.parametrize("count", [1, 120])
def test_a_batch_copied_as_lines_is_stored_as_column_by_column(sessions: sessionmaker[Session], count: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    stock(sessions)
    the_long_way: list[int] = []
    monkeypatch.setattr(archive.graves, "store_graves", lambda *args, **kwargs: (
        the_long_way.append(1), store_graves(*args, **kwargs))[1])
    (copied, copied_state), (written, written_state) = both_ways(sessions, grave_batch(count), "tệp\\1.csv")
    with sessions() as session:
        assert the_long_way == ([] if copies_text(session) else [1])  # COPY on PostgreSQL
    assert (copied.created, copied.updated, copied.unchanged, copied.problems) == (
        written.created, written.updated, written.unchanged, written.problems)
    assert copied_state == written_state
    assert len(copied_state["history"]) == count
    # nt-a holds enough of the batch to be queued once for all its graves; nt-b grave by grave
    assert (("cemetery", "nt-a") in copied_state["outbox"]) == (count > 1)


def test_batches_the_lines_cannot_be_copied_for_are_stored_column_by_column(
        sessions: sessionmaker[Session]) -> None:
    stock(sessions)
    with sessions.begin() as session:
        assert store_grave_lines(session, grave_batch(3), actor="hoa").created == ["s-0", "s-1", "s-2"]
    again = grave_batch(5)  # three stored, two new
    moved = grave_batch(1, id="s-9", number="1", cemetery="nt-a", lot="1")  # s-1's position
    for batch, expected in ((again, (["s-3", "s-4"], 3, [])), (moved, ([], 0, [1]))):
        with sessions.begin() as session:
            outcome = store_grave_lines(session, batch, actor="hoa")
        assert (outcome.created, outcome.unchanged, [p.row for p in outcome.problems]) == expected
    by_name = grave_batch(1, id="s-20", number="20", cemetery="Nghĩa trang liệt sĩ Thử B")
    nobody = grave_batch(1, id="s-21", number="21", person_id="p-nobody")
    twice = GraveLines()
    twice.extend(grave_batch(1, id="s-22", number="22"))
    twice.extend(grave_batch(1, id="s-22", number="22", status="partial"))
    for batch, (created, updated, problems) in ((by_name, (["s-20"], [], 0)), (nobody, ([], [], 1)),
                                                (twice, (["s-22"], ["s-22"], 0))):
        (copied, copied_state), (written, written_state) = both_ways(sessions, batch, "r")
        assert (copied.created, copied.updated, len(copied.problems)) == (created, updated, problems)
        assert (copied_state, copied.problems) == (written_state, written.problems)
    with sessions() as session:
        assert session.get(Grave, "s-9") is None


def test_a_batch_stored_already_is_left_alone_as_the_long_way_leaves_it(
        sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    stock(sessions)
    cited = grave_batch(40, sources=[{"scan": "s-1", "page": 2, "note": "bia"}], remains_from={
        "place": "đồi \\ 2", "lat": -0.0, "lon": 107.25})
    for batch in (grave_batch(40), cited):
        with sessions.begin() as session:
            store_grave_lines(session, batch, actor="hoa")
        if batch is not cited:
            monkeypatch.setattr(archive.graves, "store_graves", None)  # the short way, or this fails
            with sessions.begin() as session:
                assert store_grave_lines(session, batch, actor="hoa").unchanged == 40
            monkeypatch.undo()
        (quick, quick_state), (long, long_state) = both_ways(sessions, batch, "r")
        assert (quick.unchanged, quick.created, quick.updated) == (long.unchanged, [], []) == (40, [], [])
        assert quick_state == long_state
        with sessions.begin() as session:
            session.execute(delete(Grave).where(Grave.cemetery_id.in_(["nt-a", "nt-b"])))
    with sessions.begin() as session:
        store_grave_lines(session, grave_batch(40), actor="hoa")
    changed = grave_batch(40, hometown="Hà Tĩnh")
    (quick, quick_state), (long, long_state) = both_ways(sessions, changed, "r")
    assert (len(quick.updated), len(long.updated)) == (40, 40)
    assert quick_state == long_state


def test_a_register_imports_the_same_with_workers_and_lines(sessions: sessionmaker[Session],
                                                           tmp_path: Path) -> None:
    rows = varied_rows(1500, 7)
    path = tmp_path / "graves.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(row.data for row in rows if isinstance(row.data, list))
    stock(sessions)
    report = import_grave_file(path, sessions=sessions, actor="hoa", max_bytes=10**8, workers=2)
    assert report.created > 300
    assert len(report.problems) > 300
    with sessions() as session:
        stored = session.scalars(select(Grave.id)).all()
        history = session.scalars(select(GraveStatusChange.grave_id)).all()
    assert len(stored) == len(history) == report.created
    again = import_grave_file(path, sessions=sessions, actor="hoa", max_bytes=10**8, workers=1)
    assert (again.created, again.updated, again.unchanged, again.problems) == (
        0, 0, report.created, report.problems)
