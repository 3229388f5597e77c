"""The linkage model learns from officers: pairs they found to be one man tune each
level's share of one man's copies. Every name here is invented."""

from __future__ import annotations

from pathlib import Path

import pytest

import linkage.model as model
from archive.db import make_engine, make_session_factory
from archive.links import records_to_link
from archive.migrate import upgrade_database
from bench.linkage_world import read_truth, write_world
from linkage.engines import open_engine
from linkage.features import features
from linkage.model import FIELDS, MIN_SAME_PAIRS, Records, ScoredPair, score_pairs
from usecases.lists import import_list_file

BIRTH_YEAR = [field.name for field in FIELDS].index("birth_year")


def _records(folder: Path) -> tuple[Records, dict[str, str]]:
    # The model does not depend on the database the records were read from: SQLite only.
    engine = make_engine(f"sqlite:///{folder / 'links.sqlite3'}")
    upgrade_database(engine)
    sessions = make_session_factory(engine)
    world = write_world(folder / "world", persons=400, lists=3, seed=21)
    for path in world.lists:
        import_list_file(path, path.stem, sessions=sessions, actor="test", max_bytes=10**8)
    with sessions() as session:
        records = Records(features(record) for record in records_to_link(session))
    engine.dispose()
    return records, {f"entry:{key}": person for key, person in read_truth(world.truth).items()}


def _one_year_apart(pairs: list[ScoredPair], truth: dict[str, str]) -> dict[tuple[str, str], float]:
    """The birth year's weight on each pair of one man's copies whose birth years are a year apart."""
    return {(pair.left, pair.right): pair.weights[BIRTH_YEAR] for pair in pairs
            if truth.get(pair.left) == truth.get(pair.right) and pair.levels[BIRTH_YEAR] == 2}


def test_pairs_officers_found_one_man_raise_the_weight_of_how_they_agree(tmp_path: Path) -> None:
    records, truth = _records(tmp_path)
    untaught = _one_year_apart(list(score_pairs(records, open_engine("duckdb"))), truth)
    assert len(untaught) >= MIN_SAME_PAIRS
    # Officers found these copies one man although their birth years are a year apart.
    same = sorted(untaught)[:MIN_SAME_PAIRS]
    taught = _one_year_apart(list(score_pairs(records, open_engine("duckdb"), same=same)), truth)
    assert all(taught[pair] > untaught[pair] for pair in same)
    # Below the number of pairs that says something, the model is left as it was.
    few = _one_year_apart(list(score_pairs(records, open_engine("duckdb"), same=same[:-1])), truth)
    assert few == untaught


def test_a_model_trained_on_a_sample_scores_the_pairs_as_one_trained_on_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, truth = _records(tmp_path)
    whole = {(pair.left, pair.right): pair for pair in score_pairs(records, open_engine("duckdb"))}
    monkeypatch.setattr(model, "TRAINING_RECORDS", len(records) // 2)
    sampled = {(pair.left, pair.right): pair for pair in score_pairs(records, open_engine("duckdb"))}
    assert records.sample(10) == records.sample(10)
    assert records.sample(10) != records.sample(11)

    def joined(pairs: dict[tuple[str, str], ScoredPair]) -> set[tuple[str, str]]:
        return {key for key, pair in pairs.items() if pair.probability >= 0.99 and not pair.contradictions}

    def precision(found: set[tuple[str, str]]) -> float:
        return sum(truth[left] == truth[right] for left, right in found) / len(found)

    # Half the records give each level's weight within a little of what all of them give,
    # and nearly the same pairs are joined, as rightly.
    assert len(joined(sampled) ^ joined(whole)) <= 0.03 * len(joined(whole))
    assert precision(joined(sampled)) >= precision(joined(whole)) - 0.005
    common = whole.keys() & sampled.keys()
    gaps = sorted(abs(whole[key].match_weight - sampled[key].match_weight) for key in common)
    assert gaps[len(gaps) // 2] < 1.0
