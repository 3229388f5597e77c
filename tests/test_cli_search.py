"""``phienhieu search`` and ``phienhieu reindex`` as real processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import Cli

PERSONS = [
    {"id": "hn-1972-0042", "full_name": "Nguyễn Văn Thành", "unit_text": "c2 d5 e88 f308",
     "death_date": "1972-07-15", "hometown": "tỉnh Hà Bắc"},
    {"full_name": "Trần Thị Hoa", "unit_text": "Hòm thư 47120 HN"},
]


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> Cli:
    runner = Cli(tmp_path / "data", database_url)
    source = tmp_path / "persons.jsonl"
    source.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PERSONS) + "\n", encoding="utf-8")
    assert runner("demo").returncode == 0
    assert runner("persons", "import", str(source)).returncode == 0
    return runner


def test_search_finds_what_the_commands_stored(cli: Cli) -> None:
    run = cli("search", "nguyen van thanh", "--type", "person", "--json")
    assert run.returncode == 0, run.stderr
    hits = json.loads(run.stdout)["hits"]
    assert hits[0]["id"] == "hn-1972-0042"
    text = cli("search", "e88")
    assert "Nguyễn Văn Thành" in text.stdout
    assert cli("search", "sư đoàn 308", "--type", "unit", "--json").returncode == 0


def test_reindex_rebuilds_the_same_answers(cli: Cli) -> None:
    before = json.loads(cli("search", "47120 HN", "--json").stdout)
    run = cli("reindex", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["indexed"] >= 2 + 20
    after = json.loads(cli("search", "47120 HN", "--json").stdout)
    assert [h["id"] for h in after["hits"]] == [h["id"] for h in before["hits"]]
    generations = list((Path(cli.env["PHIENHIEU_DATA_DIR"]) / "index").glob("g-*"))
    assert len(generations) == 1, "the old generation is dropped"


@pytest.mark.one_database
def test_graves_imported_are_searched_by_cemetery_and_status_and_rebuilt(cli: Cli, tmp_path: Path) -> None:
    cemetery = {"id": "nt-thu", "name": "Nghĩa trang liệt sĩ Thử", "province": "Quảng Trị"}
    graves = [{"id": "thu-1", "cemetery": "nt-thu", "number": "1", "status": "named",
               "name": "Nguyễn Văn Thành"},
              {"id": "thu-2", "cemetery": "nt-thu", "number": "2", "status": "unidentified"}]
    (tmp_path / "c.jsonl").write_text(json.dumps(cemetery, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "g.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in graves) + "\n",
                                      encoding="utf-8")
    assert cli("cemeteries", "import", str(tmp_path / "c.jsonl")).returncode == 0
    assert cli("graves", "import", str(tmp_path / "g.jsonl")).returncode == 0

    def found(*args: str) -> list[str]:
        run = cli("search", *args, "--json")
        assert run.returncode == 0, run.stderr
        return [hit["id"] for hit in json.loads(run.stdout)["hits"]]

    assert found("nguyen van thanh", "--type", "grave", "--cemetery", "nt-thu") == ["thu-1"]
    assert found("nghia trang thu", "--status", "unidentified") == ["thu-2"]
    assert cli("search", "thu", "--status", "lost").returncode != 0
    assert cli("reindex").returncode == 0
    assert found("nguyen van thanh", "--type", "grave", "--cemetery", "nt-thu") == ["thu-1"]


@pytest.mark.parametrize(("args", "message"), [
    (["search", "x" * 600], "at most 500"),
    (["search", "nguyen", "--limit", "0"], "limit"),
    (["search", "nguyen", "--from", "1972-13-01"], "--from"),
    (["search", "nguyen", "--sort", "random"], "sort"),
])
def test_bad_searches_are_one_sentence(tmp_path_factory: pytest.TempPathFactory, args: list[str],
                                       message: str) -> None:
    folder = tmp_path_factory.mktemp("bad-search")
    run = Cli(folder / "data", f"sqlite:///{folder / 'empty.sqlite3'}")(*args)  # refused before any lookup
    assert run.returncode == 3
    assert message in run.stderr
    assert "Traceback" not in run.stderr
