"""From a designation and a date to the units it may mean, ranked, with reasons.

A chain is matched from each of its echelons upwards: a unit that carries one echelon's
number is a candidate, and every larger echelon written beside it is checked against the
unit's parents at the date. Candidates that hold at the date always rank above those
that do not (``valid: false``); among each group the score says how much of what was
written the unit explains and how exactly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from decoder.dates import PartialDate, Period
from decoder.model import Designation, Echelon, Level
from decoder.reasons import CodeHeld, Reason, ReasonId, ReasonParam, Span, UnitWritten
from decoder.registry import Holding, Registry
from decoder.registry_schema import EventEntry, UnitEntry
from decoder.result import Candidate, HistoryItem

# How much each kind of mismatch costs, out of 1.
_LOWER_UNKNOWN = 0.03  # "c2" below a regiment the registry knows no companies of
_HIGHER_UNKNOWN = 0.10  # the registry does not say which division it belonged to
_HIGHER_ELSEWHEN = 0.15  # the parent is right, but not at this date
_HIGHER_CONTRADICTED = 0.35  # the registry puts the unit under another parent
_QUALIFIER_MISMATCH = 0.10
_OCR_REPAIR = 0.02
_UNVERIFIED = 0.05
_LETTERS_MISMATCH = 0.30
_HISTORY_WINDOW_DAYS = 366
_HISTORY_LIMIT = 12
_MAX_ALTERNATIVES = 8  # direct matches offered when a chain contradicts the registry
_MAX_CANDIDATES = 25


@dataclass
class _Assessment:
    """What one unit explains of one designation, before it becomes a Candidate."""

    unit_id: str
    designation: int
    penalty: float = 0.0
    valid: bool = True
    verified: bool = True
    reasons: list[Reason] = field(default_factory=list)
    confirmed_ancestors: set[str] = field(default_factory=set)

    def note(self, reason: ReasonId, **params: ReasonParam) -> None:
        self.reasons.append(Reason(id=reason, params=params))

    def cost(self, amount: float, reason: ReasonId, **params: ReasonParam) -> None:
        self.penalty += amount
        self.note(reason, **params)

    def fail(self, amount: float, reason: ReasonId, **params: ReasonParam) -> None:
        self.valid = False
        self.cost(amount, reason, **params)

    @property
    def score(self) -> float:
        quality = max(0.02, 1.0 - self.penalty)
        # Valid candidates occupy (0.5, 1], the others [0, 0.5): sorting by score alone
        # always lists what holds at the date first.
        return round(0.5 + quality / 2 if self.valid else quality * 0.49, 4)


class Resolver:
    """Resolves designations against one registry.

    Args:
        registry: the registry to read; never modified.
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def resolve(
        self, designations: list[Designation], when: PartialDate | None
    ) -> list[Candidate]:
        """Candidates for every designation, best first.

        Args:
            designations: what the grammar found.
            when: the date the text speaks of, if known.
        """
        assessments: list[_Assessment] = []
        for index, designation in enumerate(designations):
            assessments += self._assess(index, designation, when)
        kept = _drop_dominated(assessments)
        best: dict[str, _Assessment] = {}
        for item in kept:
            if item.unit_id not in best or item.score > best[item.unit_id].score:
                best[item.unit_id] = item
        ranked = sorted(best.values(), key=lambda a: (-a.score, a.unit_id))[:_MAX_CANDIDATES]
        return [self._candidate(item, when) for item in ranked]

    def _assess(self, index: int, designation: Designation, when: PartialDate | None
                ) -> list[_Assessment]:
        if designation.kind == "chain":
            return self._assess_chain(index, designation, when)
        if designation.kind == "mailbox":
            return self._assess_mailbox(index, designation, when)
        return self._assess_name(index, designation, when)

    # Chains -------------------------------------------------------------------------

    def _assess_chain(self, index: int, designation: Designation, when: PartialDate | None
                      ) -> list[_Assessment]:
        echelons = designation.echelons
        found = []
        for unit_id, position in self._chain_units(echelons):
            item = _Assessment(unit_id, index)
            self._check_chain(item, position, echelons, when)
            self._check_lifetime(item, when)
            if designation.repaired:
                item.cost(_OCR_REPAIR, ReasonId.NUMBERS_REPAIRED, text=designation.raw)
            found.append(item)
        return found

    def _chain_units(self, echelons: list[Echelon]) -> list[tuple[str, int]]:
        """Units a chain may mean, each with the position of the echelon it matches.

        The search starts at the largest echelon the registry knows and descends through
        its sub-units, so "c2" is never looked up among every company of the army. Where
        the descent fails, units matching the next echelon directly are offered as
        alternatives (the writer may have the division wrong), if they are few.
        """
        order = sorted(range(len(echelons)), key=lambda i: -echelons[i].level.rank)
        current: list[tuple[str, int]] = []
        for position in order:
            if not current:
                current = [(uid, position) for uid in self._units_for(echelons[position])]
                continue
            narrowed = [
                (uid, position) for parent, _ in current
                for uid in self.registry.descendants_matching(parent, echelons[position])
            ]
            if not narrowed:
                direct = self._units_for(echelons[position])
                if len(direct) <= _MAX_ALTERNATIVES:
                    current += [(uid, position) for uid in direct]
                break
            current = narrowed
        return list(dict.fromkeys(current))

    def _units_for(self, echelon: Echelon) -> list[str]:
        return self.registry.units_matching(echelon)

    def _check_chain(self, item: _Assessment, position: int, echelons: list[Echelon],
                     when: PartialDate | None) -> None:
        unit = self.registry.unit(item.unit_id)
        own = echelons[position]
        item.note(ReasonId.UNIT_IS, unit=unit.name, echelon=UnitWritten.of(own))
        if own.qualifier is not None and unit.branch is not None and own.qualifier != unit.branch:
            item.cost(_QUALIFIER_MISMATCH, ReasonId.BRANCH_MISMATCH,
                      written=own.qualifier, unit=unit.name, branch=unit.branch)
        below = [e for e in echelons if e.level.rank < own.level.rank]
        if below:
            item.cost(_LOWER_UNKNOWN * len(below), ReasonId.BELOW_RECORDED,
                      echelons=[UnitWritten.of(e) for e in below], unit=unit.name)
        for other in echelons:
            if other.level.rank > own.level.rank:
                self._check_ancestor(item, own, other, when)

    def _check_ancestor(self, item: _Assessment, own: Echelon, wanted: Echelon,
                        when: PartialDate | None) -> None:
        at_date = self._ancestor_matching(item.unit_id, wanted, when)
        child, parent = UnitWritten.of(own), UnitWritten.of(wanted)
        if at_date is not None:
            item.confirmed_ancestors.add(at_date)
            if when:
                item.note(ReasonId.PARENT_AT_DATE, child=child, parent=parent, date=str(when))
            else:
                item.note(ReasonId.PARENT_IN_REGISTRY, child=child, parent=parent)
            return
        if when is not None:
            other_time = self._ancestor_matching(item.unit_id, wanted, None)
            if other_time is not None:
                item.confirmed_ancestors.add(other_time)
                item.fail(_HIGHER_ELSEWHEN, ReasonId.PARENT_AT_OTHER_TIME, child=child, parent=parent,
                          periods=self._link_periods(item.unit_id, other_time), date=str(when))
                return
        actual = self._ancestor_at_level(item.unit_id, wanted.level, when)
        if actual is not None:
            item.cost(_HIGHER_CONTRADICTED, ReasonId.PARENT_CONTRADICTED,
                      child=child, actual=actual.name, parent=parent)
        else:
            item.cost(_HIGHER_UNKNOWN, ReasonId.PARENT_UNKNOWN, level=wanted.level, child=child)

    def _ancestor_matching(self, unit_id: str, wanted: Echelon, when: PartialDate | None
                           ) -> str | None:
        targets = set(self._units_for(wanted))
        return next((a for a in self.registry.ancestors(unit_id, when) if a in targets), None)

    def _ancestor_at_level(self, unit_id: str, level: Level, when: PartialDate | None
                           ) -> UnitEntry | None:
        for ancestor in self.registry.ancestors(unit_id, when):
            unit = self.registry.unit(ancestor)
            if unit.level == level:
                return unit
        return None

    def _link_periods(self, unit_id: str, ancestor: str) -> list[Span]:
        """When ``unit_id`` was under ``ancestor``, directly or through others (none:
        at another time than the registry records)."""
        path = [unit_id, *self._path_to(unit_id, ancestor)]
        periods = [
            link.period for child, parent in itertools.pairwise(path)
            for link in self.registry.unit(child).parents if link.unit == parent
        ]
        return [Span.of(period) for period in periods]

    def _path_to(self, unit_id: str, ancestor: str) -> list[str]:
        for link in self.registry.unit(unit_id).parents:
            if link.unit == ancestor:
                return [ancestor]
            rest = self._path_to(link.unit, ancestor) if link.unit in self.registry else []
            if rest:
                return [link.unit, *rest]
        return []

    def _check_lifetime(self, item: _Assessment, when: PartialDate | None) -> None:
        unit = self.registry.unit(item.unit_id)
        if when is None or unit.lifetime.contains(when):
            return
        item.fail(_HIGHER_ELSEWHEN, ReasonId.OUTSIDE_LIFETIME,
                  unit=unit.name, lifetime=Span.of(unit.lifetime), date=str(when))

    # Mailboxes and names ----------------------------------------------------------------

    def _assess_mailbox(self, index: int, designation: Designation, when: PartialDate | None
                        ) -> list[_Assessment]:
        assert designation.mailbox is not None  # the grammar fills it for this kind
        wanted = designation.mailbox
        found = []
        for held in self.registry.mailbox_holdings(wanted.number):
            item = _Assessment(held.holding.unit_id, index)
            if wanted.letters and held.letters and wanted.letters != held.letters:
                item.cost(_LETTERS_MISMATCH, ReasonId.LETTERS_MISMATCH,
                          written=wanted.letters, held=held.letters)
            self._check_holding(item, held.holding, CodeHeld(kind="mailbox", text=held.holding.text), when)
            if designation.repaired:
                item.cost(_OCR_REPAIR, ReasonId.NUMBER_REPAIRED, text=designation.raw)
            found.append(item)
        return found

    def _assess_name(self, index: int, designation: Designation, when: PartialDate | None
                     ) -> list[_Assessment]:
        assert designation.name is not None  # the grammar fills it for this kind
        found = []
        for holding in self.registry.name_holdings(designation.name):
            item = _Assessment(holding.unit_id, index)
            self._check_holding(item, holding, CodeHeld(kind=holding.kind, text=holding.text), when)
            found.append(item)
        return found

    def _check_holding(self, item: _Assessment, holding: Holding, code: CodeHeld,
                       when: PartialDate | None) -> None:
        unit = self.registry.unit(holding.unit_id)
        period = Span.of(holding.period)
        if when is None:
            item.note(ReasonId.CODE_HELD, code=code, unit=unit.name, period=period)
        elif holding.period.contains(when):
            item.note(ReasonId.CODE_HELD_AT_DATE, code=code, unit=unit.name, date=str(when), period=period)
        else:
            item.fail(_HIGHER_ELSEWHEN, ReasonId.CODE_HELD_AT_OTHER_TIME,
                      code=code, unit=unit.name, period=period, date=str(when))
        if not holding.verified:
            item.verified = False
            if holding.source:
                item.cost(_UNVERIFIED, ReasonId.CODE_UNVERIFIED_SOURCE, code=code, source=holding.source)
            else:
                item.cost(_UNVERIFIED, ReasonId.CODE_UNVERIFIED, code=code)
        self._check_lifetime(item, when)

    # Output -------------------------------------------------------------------------

    def _candidate(self, item: _Assessment, when: PartialDate | None) -> Candidate:
        unit = self.registry.unit(item.unit_id)
        path = self.registry.path(item.unit_id, when)
        return Candidate(
            unit_id=unit.id, name=unit.name, level=unit.level,
            path=[self.registry.unit(uid).name for uid in path],
            score=item.score, valid=item.valid, reasons=[], reasons_structured=item.reasons,
            history=self.history(item.unit_id, when), designation=item.designation,
            verified=item.verified,
        )

    def history(self, unit_id: str, when: PartialDate | None) -> list[HistoryItem]:
        """The unit's events around ``when`` (within a year), or all without a date.

        A unit with no events of its own there borrows its parent's: a regiment was where
        its division fought.
        """
        for holder in reversed(self.registry.path(unit_id, when)):
            events = [e for e in self.registry.events_of(holder) if _near(e.period, when)]
            if events:
                events.sort(key=lambda e: (e.period.first_day, e.title))
                return [_history_item(holder, e) for e in events[:_HISTORY_LIMIT]]
        return []


def _drop_dominated(items: list[_Assessment]) -> list[_Assessment]:
    """Drop a unit that another candidate explains as its ancestor ("f308" in "e88 f308")."""
    covered = {ancestor for item in items for ancestor in item.confirmed_ancestors}
    return [item for item in items if item.unit_id not in covered]


def _near(period: Period, when: PartialDate | None) -> bool:
    if when is None:
        return True
    start = _shift(when.first_day, -_HISTORY_WINDOW_DAYS)
    end = _shift(when.last_day, _HISTORY_WINDOW_DAYS)
    return period.first_day <= end and start <= period.last_day


def _shift(day: date, days: int) -> date:
    try:
        return date.fromordinal(day.toordinal() + days)
    except (ValueError, OverflowError):
        return day


def _history_item(unit_id: str, event: EventEntry) -> HistoryItem:
    return HistoryItem(
        start=event.start, end=event.end, title=event.title, place=event.place,
        province=event.province, lat=event.lat, lon=event.lon, source=event.source,
        unit_id=unit_id,
    )

