"""``phienhieu lists import``, ``lists show``, ``link`` and ``link export`` as real processes.
On SQLite only: what they call is tried on both databases by ``test_lists.py`` and
``test_linkage.py``. Every name here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.linkage_world import write_world
from tests.cli_runner import Cli


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data", f"sqlite:///{tmp_path / 'cli.sqlite3'}")


def test_lists_are_imported_linked_and_exported(cli: Cli, tmp_path: Path) -> None:
    world = write_world(tmp_path / "world", persons=200, lists=2, seed=4)
    for path in world.lists:
        done = cli("lists", "import", str(path), "--source", path.stem, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["entries"] > 100
    shown = cli("lists", "show", "--json")
    assert [entry["source"] for entry in json.loads(shown.stdout)["lists"]] == ["list-a", "list-b"]
    run = cli("link", "--json")
    assert run.returncode == 0, run.stderr
    counts = json.loads(run.stdout)
    assert counts["records"] == world.entries
    assert counts["joined"] > 50
    exported = json.loads(cli("link", "export", "--json").stdout)
    members = [(m["source"], m["row"]) for cluster in exported["clusters"] for m in cluster["members"]]
    assert len(members) == len(set(members)) == world.entries
    assert exported["review"] == counts["review"]
    assert "clusters;" in cli("link", "export").stdout


def test_bad_lists_and_engines_are_one_sentence(cli: Cli, tmp_path: Path) -> None:
    nameless = tmp_path / "x.csv"
    nameless.write_text("Năm sinh\n1950\n", encoding="utf-8")
    done = cli("lists", "import", str(nameless), "--source", "x")
    assert done.returncode != 0
    assert "no column holds the names" in done.stderr
    assert "Traceback" not in done.stderr
    rows = tmp_path / "rows.csv"
    rows.write_text("Họ và tên,Năm sinh\n,1950\nLê Văn Tám,1930\n", encoding="utf-8")
    done = cli("lists", "import", str(rows), "--source", "r")
    assert done.returncode == 1
    assert "row 1: name: the row names nobody" in done.stderr
    wrong = cli("link", "--engine", "hadoop")
    assert wrong.returncode != 0
    assert "Unknown engine" in wrong.stderr
    assert "Traceback" not in wrong.stderr
