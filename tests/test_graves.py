"""Cemeteries, graves and initial burials on both databases: the model's constraints, imports
of every format, bad rows, repeated imports, status history and the count.

Every name, place and number here is invented for the tests.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive.errors import TooLargeFileError
from archive.grave_schema import GraveRecord
from archive.grave_stored import grave_columns
from archive.graves import store_graves
from archive.models import AuditEntry, Grave, GraveStatusChange, utc_now
from archive.person_schema import PersonRecord
from archive.persons import store_person
from decoder.errors import InvalidInputError
from decoder.legacy import encode_legacy
from usecases.graves import (
    grave_counts,
    grave_document,
    import_burial_file,
    import_cemetery_file,
    import_grave_file,
    save_grave,
)

LIMIT = 10_000_000
CEMETERIES = [
    {"id": "nt-a", "name": "Nghĩa trang liệt sĩ Thử Nghiệm A", "level": "province", "province": "Quảng Trị",
     "lat": 16.8, "lon": 107.1},
    {"id": "nt-b", "name": "Nghĩa trang liệt sĩ Thử Nghiệm B", "level": "district",
     "province": "tỉnh Quảng Trị"},
    {"id": "nt-c", "name": "Nghĩa trang liệt sĩ Thử Nghiệm C", "province": "Hà Tĩnh"},
]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def grave(grave_id: str, number: str, **fields: Any) -> dict[str, Any]:
    return {"id": grave_id, "cemetery": "nt-a", "lot": "1", "row": "1", "number": number,
            "status": "unidentified", **fields}


@pytest.fixture
def stocked(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    """Three invented cemeteries."""
    report = import_cemetery_file(write_jsonl(tmp_path / "c.jsonl", CEMETERIES), sessions=sessions,
                                  actor="test", max_bytes=LIMIT)
    assert (report.created, report.problems) == (3, [])
    return sessions


def import_graves(sessions: sessionmaker[Session], path: Path) -> Any:
    return import_grave_file(path, sessions=sessions, actor="test", max_bytes=LIMIT)


def test_a_position_is_unique_within_its_cemetery(stocked: sessionmaker[Session]) -> None:
    row = {"cemetery_id": "nt-a", "zone": "", "lot": "1", "row": "1", "number": "1", "status": "named",
           "sources": [], "created_at": utc_now(), "updated_at": utc_now()}
    with stocked.begin() as session:
        session.execute(insert(Grave), [row | {"id": "g1"}, row | {"id": "g2", "cemetery_id": "nt-b"}])
    with pytest.raises(IntegrityError), stocked.begin() as session:
        session.execute(insert(Grave), [row | {"id": "g3"}])
    with pytest.raises(IntegrityError), stocked.begin() as session:
        session.execute(insert(Grave), [row | {"id": "g4", "cemetery_id": "nowhere", "number": "9"}])


def test_stored_batches_are_undone_by_the_callers_rollback(stocked: sessionmaker[Session]) -> None:
    record = GraveRecord.model_validate(grave("r-1", "90"))
    with stocked() as session:
        assert store_graves(session, [(1, grave_columns(record))], actor="test").created == ["r-1"]
        session.rollback()
    with stocked() as session:
        assert session.get(Grave, "r-1") is None
        assert session.scalar(select(func.count()).select_from(GraveStatusChange)) == 0


def test_jsonl_import_stores_good_rows_reports_bad_ones_and_is_idempotent(
        stocked: sessionmaker[Session], tmp_path: Path) -> None:
    rows = [grave("a-1", "1"), grave("a-2", "2", status="named", name="Lê Văn Thử"),
            grave("x-1", "1", cemetery="nt-nowhere"),
            grave("a-3", "1"),  # the position of a-1
            grave("a-4", "4", death_date="1972-02-30", status="partial"),
            grave("a-5", "5", remains_from={"place": "đồi 1", "lat": 95.0, "lon": 107.0}),
            grave("a-6", "6", status="buried"),
            grave("a-7", "7", status="named"),
            "not an object",
            grave("a-8", "8", cemetery="Nghĩa trang liệt sĩ Thử Nghiệm B")]
    path = write_jsonl(tmp_path / "g.jsonl", rows)
    report = import_graves(stocked, path)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    reasons = dict(report.problems)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "no cemetery 'nt-nowhere'" in reasons[3]
    assert "is grave 'a-1' already" in reasons[4]
    assert "day that does not exist" in reasons[5]
    assert "remains_from.lat" in reasons[6]
    assert "status" in reasons[7]
    assert "needs the name" in reasons[8]
    assert "one JSON object" in reasons[9]
    assert grave_document("a-8", sessions=stocked)["cemetery"] == "nt-b"  # found by its name
    with stocked() as session:
        audit_entries = session.scalar(select(func.count()).select_from(AuditEntry))
    again = import_graves(stocked, path)
    assert (again.created, again.updated, again.unchanged, len(again.problems)) == (0, 0, 3, 7)
    with stocked() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_entries


def test_csv_with_vietnamese_headers_one_cell_positions_and_a_legacy_encoding(
        stocked: sessionmaker[Session], tmp_path: Path) -> None:
    header = ("STT;Mã mộ;NGHĨA TRANG;Vị trí;Họ và tên;Năm sinh;Quê quán;Ngày hy sinh;Tình trạng;"
              "Nơi quy tập;Vĩ độ quy tập;Kinh độ quy tập\n")
    good = ("1;b-1;nt-b;lô 3, hàng 4, mộ số 12;Nguyễn Văn Thử;1950;xã Yên Thử, huyện Yên Phong;15/7/1972;"
            "có tên;đồi 2;16,7;107,2\n")
    legacy = encode_legacy("2;b-2;nt-b;Lô 3 - Hàng 4 - Mộ 13;Trần Văn Thái;1951;Thái Bình;;Có tên;;;\n",
                           "tcvn3")
    bad = "3;b-3;nt-b;lô 3, hàng 4, mộ số 14;;năm mươi;;;vô danh;;;\n"
    path = tmp_path / "g.csv"
    path.write_bytes(header.encode() + good.encode() + legacy + bad.encode())
    report = import_graves(stocked, path)
    assert (report.created, report.ignored_columns) == (2, ["STT"])
    assert report.problems == [(3, "birth_year: 'năm mươi' is not a whole number")]
    first = grave_document("b-1", sessions=stocked)
    assert (first["lot"], first["row"], first["number"], first["status"]) == ("3", "4", "12", "named")
    assert first["death_date"] == "1972-07-15"
    assert first["remains_from"] == {"place": "đồi 2", "lat": 16.7, "lon": 107.2, "date": None,
                                     "burial": None}
    assert grave_document("b-2", sessions=stocked)["name"] == "Trần Văn Thái"
    assert grave_document("b-2", sessions=stocked)["hometown"] == "Thái Bình"


def test_mojibake_in_a_utf8_file_is_repaired(stocked: sessionmaker[Session], tmp_path: Path) -> None:
    garbled = "Nguyễn Văn Thử".encode().decode("cp1252")
    path = tmp_path / "g.csv"
    path.write_text(f"id,cemetery,number,name\nm-1,nt-a,30,{garbled}\n", encoding="utf-8")
    assert import_graves(stocked, path).created == 1
    assert grave_document("m-1", sessions=stocked)["name"] == "Nguyễn Văn Thử"


def test_xlsx_reads_values_never_formulas(stocked: sessionmaker[Session], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "g.xlsx", [
        ["Mã mộ", "Nghĩa trang", "Lô", "Hàng", "Số mộ", "Họ và tên", "Năm sinh", "Ghi chú"],
        ["x-1", "nt-c", 1, 2, 3, "Phạm Văn Thử", 1949, '=HYPERLINK("http://example.invalid","x")'],
        [None, None, None, None, None, None, None, None],
        ["x-2", "nt-c", 1, 2, "=1+3", "Phạm Văn Thêm", "=1900+50", None],
    ])
    report = import_graves(stocked, path)
    assert report.created == 1
    assert report.ignored_columns == ["Ghi chú"]
    assert [row for row, _ in report.problems] == [3]  # its number was a formula never computed
    assert grave_document("x-1", sessions=stocked)["number"] == "3"
    assert import_graves(stocked, path).unchanged == 1


def test_a_zip_bomb_named_xlsx_is_refused_unopened(stocked: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w") as member:
        for _ in range(48):
            member.write(bytes(1024 * 1024))
    assert path.stat().st_size < 200_000
    with pytest.raises(TooLargeFileError, match="unpacks"):
        import_graves(stocked, path)


def test_entities_and_files_too_large_or_of_another_kind_are_refused(
        stocked: sessionmaker[Session], tmp_path: Path) -> None:
    laughs = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(laughs, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x/>')
    with pytest.raises(InvalidInputError, match="entities"):
        import_graves(stocked, laughs)
    not_zip = tmp_path / "fake.xlsx"
    not_zip.write_bytes(b"id,cemetery\n")
    with pytest.raises(InvalidInputError, match=r"not an \.xlsx"):
        import_graves(stocked, not_zip)
    big = write_jsonl(tmp_path / "big.jsonl", [grave(f"z-{n}", str(n)) for n in range(50)])
    with pytest.raises(TooLargeFileError):
        import_grave_file(big, sessions=stocked, actor="test", max_bytes=1024)
    with pytest.raises(InvalidInputError, match=r"\.jsonl, \.csv or \.xlsx"):
        import_graves(stocked, tmp_path / "graves.txt")
    with pytest.raises(InvalidInputError, match="Cannot read"):
        import_graves(stocked, tmp_path / "none.csv")


def test_a_status_change_is_kept_with_its_reason(stocked: sessionmaker[Session]) -> None:
    record = GraveRecord.model_validate(grave("h-1", "40"))
    assert save_grave(record, sessions=stocked, actor="hoa") == ("h-1", True)
    named = GraveRecord.model_validate(grave("h-1", "40", status="named", name="Lê Văn Thử",
                                             reason="giám định ADN khớp"))
    assert save_grave(named, sessions=stocked, actor="lan") == ("h-1", False)
    assert save_grave(named, sessions=stocked, actor="lan") == ("h-1", False)
    history = grave_document("h-1", sessions=stocked)["history"]
    assert [(h["from"], h["to"], h["actor"], h["reason"]) for h in history] == [
        (None, "unidentified", "hoa", None), ("unidentified", "named", "lan", "giám định ADN khớp")]
    with stocked() as session:
        assert session.scalar(select(func.count()).select_from(GraveStatusChange)) == 2


def test_the_count_by_status_province_and_disagreement(stocked: sessionmaker[Session],
                                                       tmp_path: Path) -> None:
    with stocked.begin() as session:
        store_person(session, PersonRecord(id="p-1", full_name="Lê Văn Thử", death_date="1972-07-15",
                                           hometown="xã Yên Thử, huyện Yên Phong"))
    rows = [grave("k-1", "1", status="named", name="LE VAN THU", hometown="Yên Thử", death_date="1972-07",
                  person_id="p-1"),  # agrees: no marks, a shorter place, a coarser date
            grave("k-2", "2", status="named", name="Lê Văn Thanh", person_id="p-1"),
            grave("k-3", "3", status="named", name="Lê Văn Thử", death_date="1968", person_id="p-1"),
            grave("k-4", "4", status="named_no_remains", name="Đỗ Văn Thử"),
            grave("k-5", "5", status="partial", cemetery="nt-b"),
            grave("k-6", "6", cemetery="nt-c"),
            grave("k-7", "7", person_id="p-nobody")]
    report = import_graves(stocked, write_jsonl(tmp_path / "k.jsonl", rows))
    assert report.created == 6
    assert report.problems[0][0] == 7
    counts = grave_counts(sessions=stocked)
    by_id = {entry["id"]: entry for entry in counts["cemeteries"]}
    assert by_id["nt-a"]["counts"] == {"named": 3, "unidentified": 0, "partial": 0, "named_no_remains": 1,
                                       "total": 4}
    assert by_id["nt-a"]["disagreeing"] == 2
    quang_tri = next(p for p in counts["provinces"] if p["province"] == "Quảng Trị")
    assert (quang_tri["cemeteries"], quang_tri["counts"]["total"], quang_tri["disagreeing"]) == (2, 5, 2)
    assert counts["total"]["counts"]["total"] == 6
    only = grave_counts(sessions=stocked, province="Ha Tinh")
    assert [entry["id"] for entry in only["cemeteries"]] == ["nt-c"]


def test_burials_import_from_csv_with_nested_fields_flattened(stocked: sessionmaker[Session],
                                                              tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("id,name,death_date,burial_date,place,lat,lon,witnesses,recovered_date,recovered_grave\n"
                    "b-1,Lê Văn Thử,1972-05-20,21/5/1972,đồi Thử,16.70,107.23,Trần Văn Một; Hồ Văn Hai,"
                    "1994-03,a-1\n"
                    "b-2,,1972-05-20,1972-05-19,,,,,,\n"
                    "b-3,,,,,16.7,,,,\n", encoding="utf-8")
    report = import_burial_file(path, sessions=stocked, actor="test", max_bytes=LIMIT)
    assert report.created == 1
    assert [row for row, _ in report.problems] == [2, 3]
    assert "burial_date" in report.problems[0][1]
    assert "lat and lon" in report.problems[1][1]
    assert import_burial_file(path, sessions=stocked, actor="test", max_bytes=LIMIT).unchanged == 1
