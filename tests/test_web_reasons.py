"""The decoder's reasons as sentences through the catalog: every reason id has its English
and Vietnamese message, every reason read in Vietnamese leaves no English behind, and the
English sentences are the ones the API has always given."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from api.web.i18n import LOCALE_DIR
from api.web.reasons import BRANCHES, CODES, LEVELS, MESSAGES, sentence
from bench.decode import generate_registry, generate_texts
from decoder.decode import decode
from decoder.model import Level, Qualifier
from decoder.reasons import CodeHeld, Reason, ReasonId, Span, UnitWritten
from decoder.registry import Registry
from decoder.registry_schema import RegistryDocument

SNAPSHOT = Path(__file__).parent / "snapshots" / "reasons_en.json"
#: Words of the decoder's English sentences; none may survive translation.
ENGLISH = {"is", "was", "under", "the", "registry", "belonged", "from", "to", "in", "not", "only", "of",
           "which", "mailbox", "letters", "differ", "written", "as", "but", "below", "what", "records",
           "for", "numbers", "number", "were", "read", "through", "errors", "existed", "verified",
           "mapping", "source", "places", "does", "say", "at", "another", "time", "every", "recorded",
           "date", "and", "until", "cover", "name", "honorific", "other", "regiment", "division",
           "battalion", "company", "corps", "military", "region", "theatre", "brigade", "platoon", "squad",
           "code", "infantry", "artillery", "anti_aircraft"}
DEMO_TEXTS = [("c2 d5 e88 f308", "1972-07"), ("Hòm thư 47120 HN", "1974"), ("Hòm thư 47120 HN", "1966"),
              ("Hòm thư 47120 TB", None), ("Công trường 9", "1968"), ("Công trường 9", "1990"),
              ("e141 f312", "1970"), ("e141 f312", "1965"), ("e88 f304", "1972"), ("KT 47120-B5", "1972"),
              ("Bến Tre", "1954"), ("e8B f3O8", "1972"), ("Sư đoàn 308", "1940"), ("d5 e209", None),
              ("pháo binh e88", "1972"), ("Hòm thư 52418 TB", "1970")]


def vietnamese_catalog() -> dict[str, str]:
    """The catalog's Vietnamese texts by English message, read from the file itself."""
    with (LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    return {message.id: message.string for message in catalog if isinstance(message.id, str)}


def demo_registry() -> Registry:
    data = json.loads(resources.files("archive").joinpath("demo", "registry.json").read_bytes())
    return Registry(RegistryDocument.model_validate(data).units)


def english_left(translated: str) -> set[str]:
    """English words outside quoted designations and cited sources."""
    plain = re.sub(r"'[^']*'|\(nguồn: .*\)", " ", translated)
    return set(re.findall(r"\w+", plain)) & ENGLISH


def reasons_of(registry: Registry, texts: list[tuple[str, str | None]]) -> list[Reason]:
    return [reason for text, date in texts for candidate in decode(text, date, registry).candidates
            for reason in candidate.reasons_structured]


def placeholders(message: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)s", message))


@pytest.mark.parametrize("reason_id", list(ReasonId))
def test_every_reason_id_has_an_english_and_a_vietnamese_message(reason_id: ReasonId) -> None:
    english = MESSAGES.get(reason_id)
    assert english, f"{reason_id} has no English message in api/web/reasons.py"
    vietnamese = vietnamese_catalog().get(english)
    assert vietnamese, f"{reason_id} has no Vietnamese text in the catalog (run scripts/messages.sh)"
    assert placeholders(english) == placeholders(vietnamese), reason_id


def test_every_word_a_parameter_may_need_is_in_the_catalog() -> None:
    catalog = vietnamese_catalog()
    words = [*LEVELS.values(), *BRANCHES.values(), *CODES.values()]
    assert set(LEVELS) == set(Level)
    assert set(BRANCHES) == set(Qualifier)
    assert {word: catalog.get(word) for word in words if not catalog.get(word)} == {}


def test_english_sentences_are_the_ones_the_api_has_always_given() -> None:
    registry = demo_registry()
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sum(len(reasons) for item in snapshot for _, reasons in item["candidates"]) >= 40
    for item in snapshot:
        result = decode(item["text"], item["date"], registry)
        given = [[c.unit_id, [sentence(r, "en") for r in c.reasons_structured]] for c in result.candidates]
        assert given == item["candidates"], item["text"]


def test_every_reason_over_the_demo_and_a_generated_registry_reads_in_vietnamese() -> None:
    document = generate_registry(units=6000, codes=3000)
    generated = Registry(RegistryDocument.model_validate(document).units)
    reasons = reasons_of(demo_registry(), DEMO_TEXTS) + reasons_of(
        generated, [(text, date or None) for text, date in generate_texts(document, 1500)])
    sentences = {sentence(reason, "vi") for reason in reasons}
    assert len(sentences) > 500
    assert {reason.id for reason in reasons} >= {
        ReasonId.UNIT_IS, ReasonId.PARENT_AT_DATE, ReasonId.CODE_HELD_AT_DATE,
        ReasonId.CODE_UNVERIFIED_SOURCE}
    untranslated = {text: english_left(text) for text in sentences}
    assert {text: words for text, words in untranslated.items() if words} == {}


REGIMENT_88, DIVISION_308 = UnitWritten(level=Level.REGIMENT, number="88"), UnitWritten(
    level=Level.DIVISION, number="308")


@pytest.mark.parametrize(("reason", "english", "vietnamese"), [
    (Reason(id=ReasonId.PARENT_AT_DATE, params={"child": REGIMENT_88, "parent": DIVISION_308,
                                                "date": "1972-07"}),
     "regiment 88 is under division 308 in 1972-07", "trung đoàn 88 trực thuộc sư đoàn 308 vào 1972-07"),
    (Reason(id=ReasonId.CODE_HELD_AT_OTHER_TIME, params={
        "code": CodeHeld(kind="mailbox", text="47120 HN"), "unit": "Trung đoàn 88",
        "period": Span(start="1971", end="1972"), "date": "1974"}),
     "mailbox 47120 HN belonged to Trung đoàn 88 only from 1971 to 1972, not in 1974",
     "hòm thư 47120 HN chỉ thuộc Trung đoàn 88 từ 1971 đến 1972, không phải vào 1974"),
    (Reason(id=ReasonId.PARENT_CONTRADICTED, params={
        "child": REGIMENT_88, "actual": "Sư đoàn 308",
        "parent": UnitWritten(level=Level.DIVISION, number="304")}),
     "the registry places regiment 88 under Sư đoàn 308, not division 304",
     "sổ đăng ký xếp trung đoàn 88 thuộc Sư đoàn 308, không phải sư đoàn 304"),
    (Reason(id=ReasonId.PARENT_AT_OTHER_TIME, params={
        "child": REGIMENT_88, "parent": DIVISION_308, "date": "1980",
        "periods": [Span(start="1966-06", end="1975"), Span(end="1978")]}),
     "regiment 88 was under division 308 only from 1966-06 to 1975 and until 1978, not in 1980",
     "trung đoàn 88 chỉ trực thuộc sư đoàn 308 từ 1966-06 đến 1975 và đến 1978, không phải vào 1980"),
    (Reason(id=ReasonId.PARENT_AT_OTHER_TIME, params={
        "child": REGIMENT_88, "parent": DIVISION_308, "date": "1980", "periods": []}),
     "regiment 88 was under division 308 only at another time, not in 1980",
     "trung đoàn 88 chỉ trực thuộc sư đoàn 308 vào thời điểm khác, không phải vào 1980"),
    (Reason(id=ReasonId.BRANCH_MISMATCH, params={
        "written": Qualifier.ANTI_AIRCRAFT, "unit": "Trung đoàn 88", "branch": Qualifier.INFANTRY}),
     "written as anti_aircraft, but Trung đoàn 88 is infantry",
     "ghi là phòng không, nhưng Trung đoàn 88 thuộc binh chủng bộ binh"),
    (Reason(id=ReasonId.CODE_HELD, params={"code": CodeHeld(kind="cover_name", text="Công trường 9"),
                                           "unit": "Sư đoàn 9", "period": Span()}),
     "cover name 'Công trường 9' belonged to Sư đoàn 9 at every recorded date",
     "mật danh 'Công trường 9' thuộc Sư đoàn 9 ở mọi thời điểm được ghi nhận"),
    (Reason(id=ReasonId.PARENT_UNKNOWN, params={"level": Level.MILITARY_REGION,
                                                "child": UnitWritten(level=Level.THEATRE, number="B5")}),
     "the registry does not say which military region theatre B5 belonged to",
     "sổ đăng ký không ghi chiến trường B5 thuộc quân khu nào"),
])
def test_a_reason_reads_the_same_in_english_and_is_rebuilt_in_vietnamese(
        reason: Reason, english: str, vietnamese: str) -> None:
    assert sentence(reason, "en") == english
    assert sentence(reason, "vi") == vietnamese
    assert sentence(reason, "fr") == english  # a language not offered reads English


def test_the_structured_form_is_plain_json() -> None:
    reason = Reason(id=ReasonId.CODE_HELD_AT_DATE, params={
        "code": CodeHeld(kind="mailbox", text="47120 HN"), "unit": "Trung đoàn 66", "date": "1974",
        "period": Span(start="1974", end="1975")})
    assert reason.model_dump(mode="json") == {"id": "code_held_at_date", "params": {
        "code": {"kind": "mailbox", "text": "47120 HN"}, "unit": "Trung đoàn 66", "date": "1974",
        "period": {"from": "1974", "to": "1975"}}}
