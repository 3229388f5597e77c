"""The decoder's reasons read in Vietnamese on the Vietnamese pages, every form of them."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from api.services import parse_registry_json
from api.web.reasons import vietnamese_reason
from bench.decode import generate_registry, generate_texts
from decoder.decode import decode
from decoder.registry import Registry
from decoder.registry_schema import RegistryDocument

#: Words of the decoder's English sentences; none may survive translation.
ENGLISH = {"is", "was", "under", "the", "registry", "belonged", "from", "to", "in", "not", "only", "of",
           "which", "mailbox", "letters", "differ", "written", "as", "but", "below", "what", "records",
           "for", "numbers", "number", "were", "read", "through", "errors", "existed", "verified",
           "mapping", "source", "places", "does", "say", "at", "another", "time", "every", "recorded",
           "date", "and", "until", "cover", "name", "honorific", "other", "regiment", "division",
           "battalion", "company", "corps", "military", "region", "theatre", "brigade", "platoon", "squad"}
DEMO_TEXTS = [("c2 d5 e88 f308", "1972-07"), ("Hòm thư 47120 HN", "1974"), ("Hòm thư 47120 HN", "1966"),
              ("Hòm thư 47120 TB", None), ("Công trường 9", "1968"), ("Công trường 9", "1990"),
              ("e141 f312", "1970"), ("e141 f312", "1965"), ("e88 f304", "1972"), ("KT 47120-B5", "1972"),
              ("Bến Tre", "1954"), ("e8B f3O8", "1972"), ("Sư đoàn 308", "1940"), ("d5 e209", None),
              ("pháo binh e88", "1972"), ("Hòm thư 52418 TB", "1970")]


def english_left(translated: str) -> set[str]:
    """English words outside quoted designations and cited sources."""
    plain = re.sub(r"'[^']*'|\(nguồn: .*\)", " ", translated)
    return set(re.findall(r"\w+", plain)) & ENGLISH


def reasons_of(registry: Registry, texts: list[tuple[str, str | None]]) -> set[str]:
    return {reason for text, date in texts for candidate in decode(text, date, registry).candidates
            for reason in candidate.reasons}


def test_every_reason_over_the_demo_and_a_generated_registry_reads_in_vietnamese() -> None:
    demo = Registry(parse_registry_json(
        resources.files("archive").joinpath("demo", "registry.json").read_bytes()).units)
    document = generate_registry(units=6000, codes=3000)
    generated = Registry(RegistryDocument.model_validate(document).units)
    reasons = reasons_of(demo, DEMO_TEXTS) | reasons_of(
        generated, [(text, date or None) for text, date in generate_texts(document, 1500)])
    assert len(reasons) > 500
    untranslated = {reason: english_left(vietnamese_reason(reason)) for reason in reasons}
    assert {reason: words for reason, words in untranslated.items() if words} == {}


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("regiment 88 is under division 308 in 1972-07", "trung đoàn 88 trực thuộc sư đoàn 308 vào 1972-07"),
    ("mailbox 47120 HN belonged to Trung đoàn 88 only from 1971 to 1972, not in 1974",
     "hòm thư 47120 HN chỉ thuộc Trung đoàn 88 từ 1971 đến 1972, không phải vào 1974"),
    ("the registry places regiment 88 under Sư đoàn 308, not division 304",
     "sổ đăng ký xếp trung đoàn 88 thuộc Sư đoàn 308, không phải sư đoàn 304"),
    ("a sentence of another form", "a sentence of another form"),
])
def test_known_forms_are_rebuilt_and_unknown_ones_kept(english: str, vietnamese: str) -> None:
    assert vietnamese_reason(english) == vietnamese
