"""The generated record-linkage world: the same for a seed, a truth entry for every row,
namesakes on purpose, pairwise scores, the TCVN3 list, and the name baseline."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from bench.linkage_world import (
    CSV_HEADERS,
    JSON_KEYS,
    TCVN3_HEADERS,
    WorldFiles,
    baseline_clusters,
    main,
    make_persons,
    namesake_share,
    pairwise_scores,
    read_names,
    read_truth,
    typo,
    unmark,
    write_world,
)
from decoder.normalize import normalize
from decoder.text import fold_key

UNIT = re.compile(r"c\d+ d\d+ e\d+ f\d+|C\d+D\d+E\d+F\d+"
                  r"|Đại đội \d+, Tiểu đoàn \d+, Trung đoàn \d+, Sư đoàn \d+|c\d+/d\d+/e\d+|e\d+ f\d+|")
DATE = re.compile(r"\d{1,2}/\d{1,2}/19[67]\d|\d\d/[67]\d|tháng \d{1,2}/19[67]\d|\d{1,2}-\d{1,2}-[67]\d"
                  r"|19[67]\d|ngày \d{1,2} tháng \d{1,2} năm 19[67]\d|")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> WorldFiles:
    return write_world(tmp_path_factory.mktemp("world"), persons=400, lists=4, seed=11)


def data_rows(path: Path) -> Sequence[list[str] | dict[str, object]]:
    """The data rows of a list file, as the file holds them (TCVN3 read as Windows-1252)."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    encoding = "cp1252" if path.name.startswith("list-c") else "utf-8"
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding), newline="")))[1:]


def test_the_same_seed_writes_the_same_world(tmp_path: Path) -> None:
    first = write_world(tmp_path / "one", persons=300, lists=3, seed=5)
    second = write_world(tmp_path / "two", persons=300, lists=3, seed=5)
    other = write_world(tmp_path / "three", persons=300, lists=3, seed=6)
    for a, b in zip([*first.lists, first.truth], [*second.lists, second.truth], strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert first.lists[0].read_bytes() != other.lists[0].read_bytes()
    assert make_persons(50, 5) == make_persons(50, 5)


def test_every_row_has_its_truth_and_lists_hold_some_of_the_persons(world: WorldFiles) -> None:
    truth = read_truth(world.truth)
    assert [path.name for path in world.lists] == ["list-a.csv", "list-b.jsonl", "list-c.csv", "list-d.csv"]
    keys = set()
    for path in world.lists:
        rows = data_rows(path)
        source = path.name.split(".")[0]
        keys |= {f"{source}:{row}" for row in range(1, len(rows) + 1)}
        persons = [truth[f"{source}:{row}"] for row in range(1, len(rows) + 1)]
        assert len(set(persons)) == len(persons)  # one row a person
        assert 0.55 <= len(persons) / world.persons <= 0.80
        assert persons != sorted(persons)  # shuffled
    assert keys == set(truth)
    assert world.entries == len(truth)
    appearances = Counter(truth.values())
    assert set(appearances) <= {f"p{number:05d}" for number in range(1, world.persons + 1)}
    assert 1 in appearances.values()  # some persons are in one list only
    assert 4 in appearances.values()


def test_each_list_has_its_format(world: WorldFiles) -> None:
    a, b, _, d = world.lists
    assert a.read_text(encoding="utf-8").splitlines()[0] == ",".join(CSV_HEADERS)
    assert d.read_text(encoding="utf-8").splitlines()[0] == ",".join(CSV_HEADERS)
    records = data_rows(b)
    assert all(isinstance(record, dict) and "name" in record and set(record) <= set(JSON_KEYS)
               for record in records)
    assert any(isinstance(record, dict) and isinstance(record.get("birth_year"), int) for record in records)


def test_units_and_dates_are_written_in_the_known_ways(world: WorldFiles) -> None:
    units, dates = set(), set()
    for path in world.lists:
        for row in data_rows(path):
            cells = ([str(row.get(key, "")) for key in JSON_KEYS] if isinstance(row, dict)
                     else [normalize(cell) for cell in row])
            units.add(cells[3])
            dates.add(cells[4])
    unit, day = re.compile(unmark(UNIT.pattern)), re.compile(unmark(DATE.pattern))
    assert all(unit.fullmatch(unmark(text)) for text in units), units
    assert all(day.fullmatch(unmark(text)) for text in dates), dates
    assert {"", *(text for text in units if text.startswith("Đại đội"))} < units
    assert any(text.startswith("ngày ") for text in dates)
    assert "" in dates


def test_persons_are_plausible_and_many_are_namesakes() -> None:
    persons = make_persons(3000, 7)
    assert namesake_share(persons) >= 0.15
    assert all(1930 <= p.birth_year <= 1958 for p in persons)
    assert all(1965 <= p.died.year <= 1979 and p.died.year - p.birth_year >= 17 for p in persons)
    assert [p.pid for p in persons[:2]] == ["p00001", "p00002"]
    brothers = Counter((p.family, p.commune, p.district, p.province) for p in persons)
    assert sum(count for count in brothers.values() if count > 1) > 0.05 * len(persons)


def test_a_typo_changes_the_name_a_little() -> None:
    rng = random.Random(1)
    for name in ["Nguyễn Văn Thắng", "Dương Thị Hương", "Đỗ Bá Ước", "Lê Hữu Long"]:
        for _ in range(30):
            changed = typo(name, rng)
            assert changed != name
            assert abs(len(changed) - len(name)) <= 1
            assert changed.split()[0][0] in (name[0], "D")


def test_pairwise_scores_by_hand() -> None:
    truth = {"a:1": "p1", "b:1": "p1", "c:1": "p1", "a:2": "p2", "b:2": "p2", "a:3": "p3"}
    perfect = pairwise_scores([{"a:1", "b:1", "c:1"}, ["a:2", "b:2"], ["a:3"]], truth)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    assert (perfect.true_pairs, perfect.predicted_pairs, perfect.correct_pairs) == (4, 4, 4)
    alone = pairwise_scores([], truth)
    assert (alone.recall, alone.f1, alone.predicted_pairs, alone.true_pairs) == (0.0, 0.0, 0, 4)
    # p3 wrongly merged with p2: 3 predicted pairs there, 1 right; 6 predicted in all, 4 right.
    merged = pairwise_scores([["a:1", "b:1", "c:1", "unknown:9"], ["a:2", "b:2", "a:3"]], truth)
    assert (merged.predicted_pairs, merged.correct_pairs) == (6, 4)
    assert merged.precision == pytest.approx(4 / 6)
    assert merged.recall == 1.0
    assert merged.f1 == pytest.approx(2 * (4 / 6) / (4 / 6 + 1))
    with pytest.raises(ValueError, match="two clusters"):
        pairwise_scores([["a:1", "b:1"], ["a:1", "c:1"]], truth)


def test_the_tcvn3_list_is_not_utf8_and_decodes_back(world: WorldFiles) -> None:
    raw = world.lists[2].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = normalize(raw.split(b"\r\n")[0].decode("cp1252"))
    assert fold_key(header) == fold_key(",".join(TCVN3_HEADERS))
    assert header.startswith("Họ TÊN")  # TCVN3 has no marked capitals
    persons = {person.pid: person for person in make_persons(world.persons, 11)}
    truth = read_truth(world.truth)
    names = [(name, persons[truth[key]].full_name) for key, name, _ in read_names(world.lists[2])]
    assert sum(fold_key(name) == fold_key(true) for name, true in names) > 0.75 * len(names)
    assert any(name != unmark(name) for name, _ in names)  # diacritics came back


def test_the_baseline_is_fooled_by_namesakes(world: WorldFiles) -> None:
    truth = read_truth(world.truth)
    clusters = baseline_clusters(world)
    scores = pairwise_scores(clusters, truth)
    assert 0.3 < scores.precision < 1.0
    assert 0.3 < scores.recall < 1.0
    assert all(len(cluster) > 1 for cluster in clusters)
    from_folder = baseline_clusters(world.truth.parent)
    assert sorted(map(sorted, from_folder)) == sorted(map(sorted, clusters))


def test_the_command_prints_the_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--persons", "200", "--lists", "2", "--out", str(tmp_path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["entries"] == len(read_truth(tmp_path / "truth.json"))
    assert set(report["baseline"]) == {"precision", "recall", "f1", "true_pairs", "predicted_pairs",
                                       "correct_pairs"}
    main(["--persons", "100", "--lists", "1"])
    assert "precision" in capsys.readouterr().out
