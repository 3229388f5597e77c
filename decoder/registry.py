"""The registry in memory: units, their time-bounded parents, codes and names, indexed
for the resolver.

Built once from validated :class:`~decoder.registry_schema.UnitEntry` objects (the
archive loads them from the database) and then only read, so one instance may serve
many threads.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from decoder.dates import PartialDate, Period
from decoder.errors import UnknownUnitError
from decoder.grammar import NameEntry, NameTable, name_key
from decoder.model import Echelon, Level
from decoder.registry_schema import CodeKind, EventEntry, ParentEntry, UnitEntry

_MAILBOX_CODE = re.compile(r"^\s*([0-9]{2,7})\s*([^\W\d_]{1,3})?\s*(?:[-/]\s*(\w+))?\s*$")


@dataclass(frozen=True, slots=True)
class Holding:
    """A unit holding a code or name for a period, with where that fact comes from."""

    unit_id: str
    text: str
    kind: str  # a CodeKind value, or "alias" / "name"
    period: Period
    source: str | None
    verified: bool


@dataclass(frozen=True, slots=True)
class MailboxHolding:
    """A mailbox code split into its parts (``47120 HN-B5``)."""

    holding: Holding
    number: str
    letters: str | None
    suffix: str | None


class Registry:
    """Read-only index over every unit of the registry.

    Args:
        units: validated unit entries; parents must refer to units among them.
    """

    def __init__(self, units: Iterable[UnitEntry]) -> None:
        self._units: dict[str, UnitEntry] = {unit.id: unit for unit in units}
        self._by_number: dict[tuple[Level, str], list[str]] = defaultdict(list)
        self._mailboxes: dict[str, list[MailboxHolding]] = defaultdict(list)
        self._names: dict[str, list[Holding]] = defaultdict(list)
        self._codes: dict[str, list[Holding]] = defaultdict(list)
        self._children: dict[str, list[str]] = defaultdict(list)
        for unit in self._units.values():
            self._index(unit)
        # Ancestor walks repeat for every echelon of every candidate; the registry never
        # changes, so their results can be kept.
        self.ancestors = lru_cache(maxsize=65_536)(self._walk_ancestors)
        self._descendants_matching = lru_cache(maxsize=65_536)(self._find_descendants)
        self.name_table = NameTable({
            key: NameEntry(holders[0].text, needs_context=_needs_context(holders))
            for key, holders in self._names.items()
        })

    def _index(self, unit: UnitEntry) -> None:
        if unit.number is not None:
            self._by_number[(unit.level, _plain_number(unit.number))].append(unit.id)
        for parent in unit.parents:
            self._children[parent.unit].append(unit.id)
        life = unit.lifetime
        self._names[name_key(unit.name)].append(
            Holding(unit.id, unit.name, "name", life, None, True))
        for alias in unit.aliases:
            self._names[name_key(alias)].append(Holding(unit.id, alias, "alias", life, None, True))
        for code in unit.codes:
            holding = Holding(unit.id, code.code, code.kind.value, code.period, code.source,
                              code.verified)
            self._codes[name_key(code.code)].append(holding)
            if code.kind == CodeKind.MAILBOX:
                self._index_mailbox(holding)
            else:
                self._names[name_key(code.code)].append(holding)

    def _index_mailbox(self, holding: Holding) -> None:
        match = _MAILBOX_CODE.match(holding.text)
        if match is None:
            return  # an odd mailbox text is still found through its code key
        number, letters, suffix = match.groups()
        self._mailboxes[_plain_number(number)].append(MailboxHolding(
            holding, number, letters.upper() if letters else None,
            suffix.upper() if suffix else None))

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._units

    def __iter__(self) -> Iterator[UnitEntry]:
        return iter(self._units.values())

    def unit(self, unit_id: str) -> UnitEntry:
        """The unit with this id.

        Raises:
            UnknownUnitError: no such unit.
        """
        try:
            return self._units[unit_id]
        except KeyError:
            raise UnknownUnitError(f"There is no unit {unit_id!r} in the registry.") from None

    def units_numbered(self, level: Level, number: str) -> list[str]:
        """Ids of the units of ``level`` that carry ``number``."""
        return self._by_number.get((level, _plain_number(number)), [])

    def units_matching(self, echelon: Echelon) -> list[str]:
        """Ids of the units an echelon names: by theatre code (``B5``) or level and number."""
        if echelon.prefix is not None:
            code = f"{echelon.prefix}{echelon.number or ''}"
            return sorted({h.unit_id for h in self.code_holdings(code)})
        if echelon.number is None:
            return []
        return self.units_numbered(echelon.level, echelon.number)

    def descendants_matching(self, unit_id: str, echelon: Echelon) -> list[str]:
        """Units ever below ``unit_id`` (at any depth) that the echelon names."""
        return self._descendants_matching(unit_id, echelon.level, echelon.number, echelon.prefix)

    def _find_descendants(self, unit_id: str, level: Level, number: str | None,
                          prefix: str | None) -> list[str]:
        wanted = set(self.units_matching(Echelon(level=level, number=number, prefix=prefix)))
        found: list[str] = []
        seen = {unit_id}
        frontier = [unit_id]
        while frontier:
            for child in self.children(frontier.pop(0)):
                if child in seen:
                    continue
                seen.add(child)
                if child in wanted:
                    found.append(child)
                # Nothing below a smaller echelon can be the one asked for.
                if self._units[child].level.rank > level.rank:
                    frontier.append(child)
        return found

    def mailbox_holdings(self, number: str) -> list[MailboxHolding]:
        """Every period in which some unit used mailbox ``number``."""
        return self._mailboxes.get(_plain_number(number), [])

    def name_holdings(self, text: str) -> list[Holding]:
        """Every unit that bore the name (alias, cover name, honorific) ``text``."""
        return self._names.get(name_key(text), [])

    def code_holdings(self, text: str) -> list[Holding]:
        """Every unit that held the code ``text`` (of any kind)."""
        return self._codes.get(name_key(text), [])

    def children(self, unit_id: str) -> list[str]:
        """Ids of the units that were ever under ``unit_id``."""
        return self._children.get(unit_id, [])

    def parents_at(self, unit_id: str, when: PartialDate | None) -> list[ParentEntry]:
        """Parent links of a unit that hold at ``when`` (all of them without a date)."""
        links = self.unit(unit_id).parents
        if when is None:
            return list(links)
        return [link for link in links if link.period.contains(when)]

    def _walk_ancestors(self, unit_id: str, when: PartialDate | None) -> tuple[str, ...]:
        """Every unit above ``unit_id`` through links that hold at ``when``, nearest first."""
        seen = {unit_id}
        order: list[str] = []
        frontier = [unit_id]
        while frontier:
            current = frontier.pop(0)
            for link in self.parents_at(current, when):
                if link.unit not in seen and link.unit in self._units:
                    seen.add(link.unit)
                    order.append(link.unit)
                    frontier.append(link.unit)
        return tuple(order)

    def path(self, unit_id: str, when: PartialDate | None) -> list[str]:
        """Ids from the topmost ancestor down to ``unit_id`` at ``when``.

        Without a date the latest link is followed; with one, only links that hold then.
        """
        chain = [unit_id]
        while len(chain) < 32:
            links = self.parents_at(chain[-1], when)
            if not links:
                break
            latest = max(links, key=lambda link: link.period.first_day)
            if latest.unit in chain or latest.unit not in self._units:
                break
            chain.append(latest.unit)
        return list(reversed(chain))

    def events_of(self, unit_id: str) -> list[EventEntry]:
        """The unit's history events, as recorded."""
        return list(self.unit(unit_id).events)


def _plain_number(number: str) -> str:
    return number.lstrip("0") or "0"


def _needs_context(holders: list[Holding]) -> bool:
    """Honorific names are often ordinary words ("Thép", "Vinh Quang")."""
    return all(holder.kind == CodeKind.HONORIFIC.value for holder in holders)
