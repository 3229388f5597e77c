"""The ``phienhieu`` command, run as a real process against real storage."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli_runner import Cli


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> Cli:
    return Cli(tmp_path / "data", database_url)


@pytest.fixture(scope="module")
def shared_demo_cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """One SQLite archive with the demo registry for the commands that only read it (the
    backends are compared by the tests that write)."""
    folder = tmp_path_factory.mktemp("shared")
    runner = Cli(folder / "data", f"sqlite:///{folder / 'shared.sqlite3'}")
    assert runner("demo").returncode == 0
    return runner


@pytest.fixture
def local_cli(tmp_path: Path) -> Cli:
    """For commands that do not depend on the database backend."""
    return Cli(tmp_path / "data", f"sqlite:///{tmp_path / 'cli.sqlite3'}")


@pytest.fixture
def demo_cli(cli: Cli) -> Cli:
    assert cli("demo").returncode == 0
    return cli


@pytest.mark.one_database
def test_demo_is_idempotent(cli: Cli) -> None:
    first = cli("demo", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["created"] > 20
    second = json.loads(cli("demo", "--json").stdout)
    assert (second["created"], second["updated"]) == (0, 0)
    assert second["revision"] == json.loads(first.stdout)["revision"]


def test_demo_samples_queue_scans_and_store_records_once(local_cli: Cli) -> None:
    first = local_cli("demo", "--samples")
    assert first.returncode == 0, first.stderr
    assert ("Samples: 3 scan(s) queued for reading, 6 person record(s) stored, 43 cemetery, grave and "
            "burial record(s) stored.") in first.stdout
    again = local_cli("demo", "--samples")
    assert "Samples: 0 scan(s) queued" in again.stdout
    assert ", 0 cemetery, grave and burial record(s) stored." in again.stdout
    found = json.loads(local_cli("search", "bui quang quy", "--type", "person", "--json").stdout)
    assert found["hits"][0]["id"] == "demo-0001"


def test_decode_json_follows_the_contract(shared_demo_cli: Cli) -> None:
    run = shared_demo_cli("decode", "c2 d5 e88 f308", "--date", "1972-07", "--json")
    assert run.returncode == 0, run.stderr
    body = json.loads(run.stdout)
    assert set(body) == {"text", "date", "designations", "candidates"}
    assert body["candidates"][0]["unit_id"] == "f308-e88"


def test_decode_text_output(shared_demo_cli: Cli) -> None:
    run = shared_demo_cli("decode", "Hòm thư 47120 HN", "--date", "1974")
    assert run.returncode == 0, run.stderr
    assert "mailbox: Hòm thư 47120 HN" in run.stdout
    assert "f304-e66" in run.stdout
    nothing = shared_demo_cli("decode", "ngày 12 tháng 3 năm 1972")
    assert nothing.stdout.strip() == "No unit designation found."


@pytest.mark.parametrize(("args", "code", "needle"), [
    (("decode", ""), 3, "empty"),
    (("decode", "c2", "--date", "1972-13"), 3, "impossible month"),
    (("decode",), 3, "either a TEXT"),
    (("decode", "c2", "--batch", "x.csv"), 3, "either a TEXT"),
    (("decode", "--batch", "/nonexistent/in.csv"), 3, "Cannot read"),
    (("registry", "import", "/nonexistent.json"), 3, "Cannot read"),
    (("normalize", "abc", "--from", "klingon"), 3, "klingon"),
    (("frobnicate",), 2, "No such command"),
])
def test_errors_are_one_sentence_and_an_exit_code(
    shared_demo_cli: Cli, args: tuple[str, ...], code: int, needle: str
) -> None:
    run = shared_demo_cli(*args)
    assert run.returncode == code, run.stderr
    assert needle in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_batch_csv(shared_demo_cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,text,date\n1,c2 d5 e88 f308,1972-07\n2,Hòm thư 47120 HN,1974\n"
                      "3,c2,1972-99\n4,không có gì,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    run = shared_demo_cli("decode", "--batch", str(source), "--out", str(out))
    assert run.returncode == 1  # row 3 failed, and the others were still written
    assert "1 row(s)" in run.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["best_unit_id"] == "f308-e88"
    assert float(rows[0]["best_score"]) > 0.5
    assert rows[1]["best_unit_id"] == "f304-e66"
    assert rows[2]["error"]
    assert not rows[2]["result_json"]
    assert rows[3]["best_unit_id"] == ""
    assert json.loads(rows[3]["result_json"])["designations"] == []
    assert json.loads(rows[0]["result_json"])["candidates"][0]["name"] == "Trung đoàn 88"


def test_batch_csv_without_text_column(shared_demo_cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("unit\nc2\n", encoding="utf-8")
    run = shared_demo_cli("decode", "--batch", str(source))
    assert run.returncode == 3
    assert "no 'text' column" in run.stderr


def test_registry_round_trip_and_all_or_nothing(demo_cli: Cli, tmp_path: Path) -> None:
    exported = tmp_path / "registry.json"
    assert demo_cli("registry", "export", str(exported)).returncode == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    again = demo_cli("registry", "import", str(exported), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["updated"] == 0
    document["units"][0]["parents"] = [{"unit": "no-such-unit", "from": None, "to": None}]
    document["units"][1]["level"] = "legion"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    run = demo_cli("registry", "import", str(broken))
    assert run.returncode == 3
    assert "$.units[1].level" in run.stderr
    after = demo_cli("registry", "export")
    assert json.loads(after.stdout) == json.loads(exported.read_text(encoding="utf-8"))


def test_registry_import_reports_semantic_problems(demo_cli: Cli, tmp_path: Path) -> None:
    cyclic = tmp_path / "cyclic.json"
    cyclic.write_text(json.dumps({"units": [
        {"id": "x1", "level": "division", "name": "X1", "parents": [{"unit": "x2"}]},
        {"id": "x2", "level": "corps", "name": "X2", "parents": [{"unit": "x1"}]},
    ]}), encoding="utf-8")
    run = demo_cli("registry", "import", str(cyclic))
    assert run.returncode == 3
    assert "cycle" in run.stderr
    assert "x1" not in demo_cli("registry", "export").stdout


def test_registry_import_refuses_malformed_json(demo_cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{\"units\": [")
    run = demo_cli("registry", "import", str(bad))
    assert run.returncode == 3
    assert "not valid JSON" in run.stderr


def test_normalize(local_cli: Cli) -> None:
    run = local_cli("normalize", "Th¸i B×nh", "--from", "tcvn3")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "Thái Bình"
    assert local_cli("normalize", "Thái Bình").stdout.strip() == "Thái Bình"
    assert local_cli("normalize", "Vieät Nam").stdout.strip() == "Việt Nam"


def test_misspelt_setting_is_one_sentence(local_cli: Cli) -> None:
    local_cli.env["PHIENHIEU_DATABSE_URL"] = "sqlite://"
    run = local_cli("demo")
    assert run.returncode == 3
    assert "PHIENHIEU_DATABSE_URL" in run.stderr
    assert "Traceback" not in run.stderr


def test_mistyped_setting_names_the_setting_and_the_problem(local_cli: Cli) -> None:
    local_cli.env["PHIENHIEU_OCR_WORKERS"] = "many"
    run = local_cli("demo")
    assert run.returncode == 3
    assert run.stderr.strip().startswith("Error: Invalid setting (ocr_workers): "), run.stderr
    assert "Value error" not in run.stderr


def test_help_for_every_command(local_cli: Cli) -> None:
    cli = local_cli
    for command in (["serve"], ["demo"], ["decode"], ["normalize"], ["registry", "import"],
                    ["registry", "export"]):
        run = cli(*command, "--help")
        assert run.returncode == 0, command
        assert "Usage" in run.stdout, command


def test_ocr_text_json_and_bad_files(local_cli: Cli, tmp_path: Path) -> None:
    from bench.synth import Degradation, make_page

    first, second = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(make_page(60, degradation=Degradation(skew=2)).png_bytes())
    second.write_bytes(make_page(61).png_bytes())
    run = local_cli("ocr", str(first), str(second))
    assert run.returncode == 0, run.stderr
    pages = run.stdout.split("\f")
    assert len(pages) == 2
    assert "GIẤY BÁO TỬ" in pages[0]
    assert "GIẤY BÁO TỬ" in pages[1]

    liar = tmp_path / "liar.jpg"
    liar.write_text("not a picture")
    run = local_cli("ocr", str(first), str(liar), "--json", "--lang", "vie")
    assert run.returncode == 1
    body = json.loads(run.stdout)
    good, bad = body["files"]
    assert good["error"] is None
    assert bad["pages"] == []
    assert "liar.jpg" in bad["error"]
    assert "liar.jpg" in run.stderr
    page = good["pages"][0]
    assert {"number", "text", "confidence", "rotation", "skew", "words"} <= set(page)
    assert {"text", "conf", "box"} <= set(page["words"][0])
    assert len(page["words"][0]["box"]) == 4


def test_ocr_refuses_a_hostile_language(local_cli: Cli, tmp_path: Path) -> None:
    run = local_cli("ocr", "x.png", "--lang", "vie; rm -rf /")
    assert run.returncode == 3
    assert run.stderr.strip() == ("Error: --lang: 'vie; rm -rf /' is not a Tesseract language list "
                                  "such as 'vie+eng'.")


def test_ocr_writes_hocr_and_alto(local_cli: Cli, tmp_path: Path) -> None:
    from bench.synth import make_page

    scan = tmp_path / "notice.png"
    scan.write_bytes(make_page(62).png_bytes())
    run = local_cli("ocr", str(scan), "--hocr", str(tmp_path / "hocr"), "--alto", str(tmp_path / "alto"))
    assert run.returncode == 0, run.stderr
    assert "ocrx_word" in (tmp_path / "hocr" / "001-notice-p0001.hocr").read_text(encoding="utf-8")
    assert "<String" in (tmp_path / "alto" / "001-notice-p0001.xml").read_text(encoding="utf-8")


def test_decode_gives_english_reasons_with_their_structured_form(shared_demo_cli: Cli,
                                                                  tmp_path: Path) -> None:
    run = shared_demo_cli("decode", "c2 d5 e88 f308", "--date", "1972-07", "--json")
    assert run.returncode == 0, run.stderr
    best = json.loads(run.stdout)["candidates"][0]
    assert best["reasons"][-1] == "regiment 88 is under division 308 in 1972-07"
    assert [reason["id"] for reason in best["reasons_structured"]] == [
        "unit_is", "below_recorded", "parent_at_date"]
    text = shared_demo_cli("decode", "c2 d5 e88 f308", "--date", "1972-07")
    assert "        - regiment 88 is under division 308 in 1972-07\n" in text.stdout
    source = tmp_path / "in.csv"
    source.write_text("text,date\nHòm thư 47120 HN,1974\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert shared_demo_cli("decode", "--batch", str(source), "--out", str(out)).returncode == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    candidate = json.loads(row["result_json"])["candidates"][0]
    assert candidate["reasons"][0] == "mailbox 47120 HN belonged to Trung đoàn 66 in 1974 (from 1974 to 1975)"
    assert candidate["reasons_structured"][0]["id"] == "code_held_at_date"
