"""How much work a decode does: linear in the designations written, and bounded per text.

Work is counted as Python function calls (cProfile's count, exact and the same on a
loaded machine), never timed.
"""

from __future__ import annotations

import cProfile
import pstats
from pathlib import Path

import pytest

from decoder.decode import DEFAULT_MAX_DESIGNATIONS, decode
from decoder.errors import ErrorKind, TooManyDesignationsError
from decoder.grammar import NameEntry, NameTable, name_key, parse
from decoder.registry import Registry
from decoder.resolver import Resolver
from tests.app_client import make_client
from tests.cli_runner import Cli
from tests.factories import registry, sample_units


@pytest.fixture(scope="module")
def sample() -> Registry:
    return registry(*sample_units())


_NAMES = NameTable({name_key("Quân Tiên Phong"): NameEntry("Quân Tiên Phong")})


def _calls(text: str, sample: Registry) -> int:
    """Function calls made to parse ``text`` and resolve what was found."""
    profile = cProfile.Profile()
    profile.enable()
    Resolver(sample).resolve(parse(text, _NAMES), None)
    profile.disable()
    return sum(row[1] for row in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize("piece", [
    "B5 ",  # one chain of theatre letters, each checked for larger units after it
    "c2 d5 e88 f308. Liệt sĩ ",  # chains apart
    "Hòm thư 47120 HN, c2 e88. ",  # mailboxes beside chains
    "Quân Tiên Phong, e88. ",  # names beside chains
])
def test_work_grows_linearly_with_the_designations(piece: str, sample: Registry) -> None:
    small, large = _calls(piece * 500, sample), _calls(piece * 2000, sample)
    # Four times the text: four times the work, with room to spare; quadratic is 16.
    assert large / small < 6, (small, large)


def test_a_text_with_too_many_designations_is_refused(sample: Registry) -> None:
    assert len(decode("B5 " * DEFAULT_MAX_DESIGNATIONS, None, sample).designations[0].echelons) \
        == DEFAULT_MAX_DESIGNATIONS
    with pytest.raises(TooManyDesignationsError) as raised:
        decode("B5 " * (DEFAULT_MAX_DESIGNATIONS + 1), None, sample)
    assert raised.value.kind == ErrorKind.TOO_LARGE
    assert raised.value.message == (
        f"The text names more than {DEFAULT_MAX_DESIGNATIONS:,} units or codes; "
        f"at most {DEFAULT_MAX_DESIGNATIONS:,} can be decoded at once.")


def test_the_parser_stops_at_the_bound(sample: Registry) -> None:
    # The work done before refusing does not grow with what follows the bound.
    def refused(text: str) -> int:
        profile = cProfile.Profile()
        profile.enable()
        with pytest.raises(TooManyDesignationsError):
            parse(text, _NAMES, limit=100)
        profile.disable()
        return sum(row[1] for row in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]

    assert refused("c2 e88. " * 8000) < 2 * refused("c2 e88. " * 200)


def test_the_api_answers_413_and_a_batch_item_its_own_error(tmp_path: Path) -> None:
    too_many = "B5 " * (DEFAULT_MAX_DESIGNATIONS + 1)
    with make_client(tmp_path, f"sqlite:///{tmp_path / 'api.sqlite3'}") as client:
        one = client.post("/api/v1/decode", json={"text": too_many})
        assert one.status_code == 413
        assert one.json()["detail"].startswith("The text names more than 1,000 units or codes")
        batch = client.post("/api/v1/decode/batch",
                            json={"items": [{"text": too_many}, {"text": "e88 f308"}]})
        assert batch.status_code == 200
        results = batch.json()["results"]
        assert results[0]["error"].startswith("The text names more than")
        assert results[1]["result"]["candidates"]
        # Texts per batch are bounded as well.
        over = client.post("/api/v1/decode/batch", json={"items": [{"text": "e88"}] * 1001})
        assert over.status_code == 422


def test_the_cli_says_it_in_one_sentence(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "data", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    run = cli("decode", "B5 " * (DEFAULT_MAX_DESIGNATIONS + 1))
    assert run.returncode == 3
    assert run.stderr.strip() == (
        "Error: The text names more than 1,000 units or codes; at most 1,000 can be "
        "decoded at once.")
