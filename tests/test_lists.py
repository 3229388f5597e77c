"""Source lists: every file shape, every way lists write dates, units and hometowns, and
bad files refused with nothing half-stored. Every name here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.errors import TooLargeFileError
from archive.models import ListEntry, ListSource
from decoder.errors import InvalidInputError
from decoder.legacy import encode_legacy
from usecases.lists import import_list_file, source_lists

LIMIT = 10_000_000
HEADER = "Họ và tên,Năm sinh,Nguyên quán,Đơn vị,Ngày hy sinh,Nơi hy sinh,Ghi chú\n"


def entries(sessions: sessionmaker[Session], source: str) -> list[ListEntry]:
    with sessions() as session:
        query = select(ListEntry).where(ListEntry.source == source).order_by(ListEntry.row)
        return list(session.scalars(query))


def test_a_csv_list_is_read_as_lists_write(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        HEADER + 'Nguyễn Văn Thắng,1950,"xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc",C3D2E7F950,04/74,'
        'Quảng Trị,x\nNGUYEN VAN THANG,1950,Yên Phong - Hà Bắc,"Đại đội 3, Tiểu đoàn 2, Trung đoàn 7",'
        "tháng 4/1974,,\nLê Thị Hoa,195,Thanh Hoá,e7 f950,15-4-74,,\n", encoding="utf-8")
    report = import_list_file(path, "so-quan-nhan", sessions=sessions, actor="test", max_bytes=LIMIT)
    assert (report.entries, report.problems, report.ignored_columns) == (3, [], ["Ghi chú"])
    first, second, third = entries(sessions, "so-quan-nhan")
    assert (first.row, first.name, first.birth_year, first.unit_chain, first.death_date) == (
        1, "Nguyễn Văn Thắng", 1950, "c3 d2 e7 f950", "1974-04")
    assert (first.commune, first.district, first.province) == ("Yên Phong", "Yên Phong", "Hà Bắc")
    assert first.raw["Ghi chú"] == "x"  # the row as read is kept whole
    assert (second.district, second.province, second.unit_chain, second.death_date) == (
        "Yên Phong", "Hà Bắc", "c3 d2 e7", "1974-04")
    assert (third.birth_year, third.province, third.death_date) == (None, "Thanh Hoá", "1974-04-15")
    assert source_lists(sessions=sessions)[0]["entries"] == 3


def test_a_tcvn3_list_a_json_lines_list_and_a_spreadsheet(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    legacy = tmp_path / "tinh.csv"
    legacy.write_bytes(encode_legacy("HỌ TÊN,NĂM SINH,QUÊ QUÁN\nTrần Đình Thái,1948,Thái Bình\n", "tcvn3"))
    assert import_list_file(legacy, "tinh", sessions=sessions, actor="test", max_bytes=LIMIT).entries == 1
    assert (entries(sessions, "tinh")[0].name, entries(sessions, "tinh")[0].province) == (
        "Trần Đình Thái", "Thái Bình")
    lines = tmp_path / "bao-tu.jsonl"
    lines.write_text(json.dumps({"name": "Phạm Văn Đồng", "death_date": "ngày 15 tháng 4 năm 1974",
                                 "unit_text": "c1 d2 e3"}, ensure_ascii=False) + "\n\n", encoding="utf-8")
    assert import_list_file(lines, "bao tu", sessions=sessions, actor="test", max_bytes=LIMIT).entries == 1
    assert entries(sessions, "bao tu")[0].death_date == "1974-04-15"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ tên", "Năm sinh", "Ngày hy sinh"])
    sheet.append(["Hoàng Văn Thụ", 1947, "=1+1"])  # a formula is never evaluated
    book.save(tmp_path / "nt.xlsx")
    report = import_list_file(tmp_path / "nt.xlsx", "nt", sessions=sessions, actor="test", max_bytes=LIMIT)
    assert (report.entries, entries(sessions, "nt")[0].birth_year, entries(sessions, "nt")[0].death_date) == (
        1, 1947, None)


def test_bad_rows_are_reported_and_the_others_stored(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + ",1950,,,,,\n" + "x" * 5000 + ",1950,,,,,\n" + "Lê Văn Tám,1930,,,,,\n"
                    + "'; DROP TABLE list_entries; --,,,,,,\n", encoding="utf-8")
    report = import_list_file(path, "bad", sessions=sessions, actor="test", max_bytes=LIMIT)
    assert [row for row, _ in report.problems] == [1, 2]
    assert "names nobody" in report.problems[0][1]
    assert "5,000 characters" in report.problems[1][1]
    assert [entry.name for entry in entries(sessions, "bad")] == [
        "Lê Văn Tám", "'; DROP TABLE list_entries; --"]


def test_a_list_is_replaced_whole_and_a_bad_file_changes_nothing(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text(HEADER + "Lê Văn Một,1950,,,,,\nLê Văn Hai,1951,,,,,\n", encoding="utf-8")
    import_list_file(first, "ds", sessions=sessions, actor="test", max_bytes=LIMIT)
    second = tmp_path / "b.csv"
    second.write_text(HEADER + "Lê Văn Ba,1952,,,,,\n", encoding="utf-8")
    report = import_list_file(second, "ds", sessions=sessions, actor="test", max_bytes=LIMIT)
    assert (report.entries, report.replaced) == (1, 2)
    assert [entry.name for entry in entries(sessions, "ds")] == ["Lê Văn Ba"]
    nameless = tmp_path / "c.csv"
    nameless.write_text("Năm sinh,Đơn vị\n1950,e7\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="no column holds the names"):
        import_list_file(nameless, "ds", sessions=sessions, actor="test", max_bytes=LIMIT)
    with pytest.raises(TooLargeFileError):
        import_list_file(second, "ds", sessions=sessions, actor="test", max_bytes=10)
    with pytest.raises(InvalidInputError, match="list's name"):
        import_list_file(second, "a:b", sessions=sessions, actor="test", max_bytes=LIMIT)
    assert [entry.name for entry in entries(sessions, "ds")] == ["Lê Văn Ba"]
    with sessions() as session:
        assert session.scalars(select(ListSource.entries)).all() == [1]


def test_a_large_list_is_read_by_workers_as_by_this_process(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = "".join(f"Người Thứ {n},{1930 + n % 29},Nghệ Tĩnh,c{n % 9 + 1} d2 e7,{n % 28 + 1}/4/74,,\n"
                   for n in range(5000))
    path.write_text(HEADER + rows + ",,,,,,,\n" + ",1950,,,,,\n", encoding="utf-8")
    by_workers = import_list_file(path, "big", sessions=sessions, actor="test", max_bytes=LIMIT, workers=2)
    stored = [(e.row, e.name, e.birth_year, e.unit_chain, e.death_date) for e in entries(sessions, "big")]
    here = import_list_file(path, "big", sessions=sessions, actor="test", max_bytes=LIMIT, workers=1)
    assert (by_workers.entries, by_workers.problems) == (here.entries, here.problems) == (
        5000, [(5002, "name: the row names nobody")])
    again = [(e.row, e.name, e.birth_year, e.unit_chain, e.death_date) for e in entries(sessions, "big")]
    assert stored == again


def test_cells_with_copy_s_special_characters_are_stored_as_written(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    # On PostgreSQL entries go to COPY as text lines: a backslash, a tab or a line break
    # in a cell must come back as written, in the fields and in the row as read.
    path = tmp_path / "odd.csv"
    row = '"Trần\\tVăn \\N Ba",1951,"Hà Tây\\nHà Nội",c1\\,,,"ghi\tchú \\ ""x""\nhai dòng"\n'
    path.write_text(HEADER + row, encoding="utf-8")
    report = import_list_file(path, "odd", sessions=sessions, actor="test", max_bytes=LIMIT)
    assert (report.entries, report.problems) == (1, [])
    [entry] = entries(sessions, "odd")
    assert (entry.name, entry.birth_year, entry.hometown) == ("Trần\\tVăn \\N Ba", 1951, "Hà Tây\\nHà Nội")
    assert entry.raw["Ghi chú"] == 'ghi\tchú \\ "x"\nhai dòng'
    assert entry.raw["Đơn vị"] == "c1\\"
