"""The public registry shipped in ``archive/public``: its citation ledger and its coverage.

``registry.json`` is a registry document like any other. ``sources.json`` is its ledger:
every public page cited (address, title, publisher) and, for every unit, the pages behind
each fact (the unit itself, its founding and dissolution, each parent link, code and
event), in the order of the registry file. A fact is *verified* when pages of at least
two different publishers state it; mirrors of one encyclopaedia count as one publisher.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from decoder.model import Level
from decoder.registry_schema import RegistryDocument, UnitEntry

#: Founding periods the coverage is counted by: (label, first year, last year).
PERIODS: tuple[tuple[str, int, int], ...] = (
    ("1945–1954", 1945, 1954),
    ("1955–1975", 1955, 1975),
    ("1976–1989", 1976, 1989),
)
UNKNOWN_PERIOD = "?"
#: The kinds of fact the ledger cites, in the order a unit's record lists them.
FACT_KINDS = ("unit", "founded", "dissolved", "parents", "codes", "events")


@dataclass(frozen=True)
class Source:
    """One public page the registry cites."""

    id: str
    url: str
    title: str
    publisher: str


@dataclass
class Coverage:
    """What the public registry covers and how well its facts are sourced."""

    units_by_level: dict[str, dict[str, int]] = field(default_factory=dict)
    facts: Counter[str] = field(default_factory=Counter)
    verified: Counter[str] = field(default_factory=Counter)
    codes_by_kind: Counter[str] = field(default_factory=Counter)
    sources: list[tuple[Source, int]] = field(default_factory=list)

    @property
    def total_facts(self) -> int:
        """Every cited fact."""
        return sum(self.facts.values())

    @property
    def total_verified(self) -> int:
        """Facts stated by two or more publishers."""
        return sum(self.verified.values())

    @property
    def share_verified(self) -> float:
        """Verified facts over all facts (0 when there are none)."""
        return self.total_verified / self.total_facts if self.total_facts else 0.0


def _read(name: str) -> bytes:
    return resources.files("archive").joinpath("public", name).read_bytes()


@cache
def public_document() -> RegistryDocument:
    """The public registry file, validated."""
    return RegistryDocument.model_validate(json.loads(_read("registry.json")))


@cache
def ledger() -> dict[str, Any]:
    """The citation ledger (``sources.json``) as parsed JSON."""
    data: dict[str, Any] = json.loads(_read("sources.json"))
    return data


def sources() -> dict[str, Source]:
    """Every cited page by its id."""
    return {row["id"]: Source(row["id"], row["url"], row["title"], row["publisher"])
            for row in ledger()["sources"]}


def is_verified(source_ids: list[str], by_id: dict[str, Source]) -> bool:
    """Whether pages of two or more different publishers back a fact."""
    return len({by_id[source].publisher for source in source_ids}) >= 2


def fact_sources(record: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """A unit's ledger record as (kind, source ids) pairs, one pair per fact."""
    pairs: list[tuple[str, list[str]]] = []
    for kind in FACT_KINDS:
        value = record.get(kind)
        if value is None:
            continue
        if kind in ("parents", "codes", "events"):
            pairs += [(kind, ids) for ids in value]
        else:
            pairs.append((kind, value))
    return pairs


def period_of(unit: UnitEntry) -> str:
    """The founding period a unit is counted in."""
    if not unit.founded:
        return UNKNOWN_PERIOD
    year = int(unit.founded[:4])
    for label, first, last in PERIODS:
        if first <= year <= last:
            return label
    return UNKNOWN_PERIOD


@cache
def coverage() -> Coverage:
    """Count the public registry's units, codes, facts and sources."""
    by_id = sources()
    result = Coverage()
    for level in reversed(Level):
        result.units_by_level[level.value] = {}
    cited: Counter[str] = Counter()
    records = ledger()["facts"]
    for unit in public_document().units:
        row = result.units_by_level[unit.level.value]
        row[period_of(unit)] = row.get(period_of(unit), 0) + 1
        result.codes_by_kind.update(code.kind.value for code in unit.codes)
        for kind, ids in fact_sources(records[unit.id]):
            result.facts[kind] += 1
            result.verified[kind] += is_verified(ids, by_id)
            cited.update(set(ids))
    result.units_by_level = {level: row for level, row in result.units_by_level.items() if row}
    result.sources = sorted(((by_id[i], n) for i, n in cited.items()),
                            key=lambda pair: (-pair[1], pair[0].id))
    return result
