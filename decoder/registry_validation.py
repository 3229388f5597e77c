"""Whole-document checks of a registry file against the registry already stored.

Field checks happen in :mod:`decoder.registry_schema`; here we look at what only the
whole picture shows: duplicate ids, parents that exist nowhere, cycles, periods that
end before they begin, and codes held twice at the same time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from decoder.dates import Period
from decoder.errors import RegistryProblem
from decoder.registry_schema import BoundedEntry, RegistryDocument, UnitEntry

_CodeHolder = tuple[str, str, Period]  # JSON path, unit id, period


def validate_document(
    document: RegistryDocument, stored: Mapping[str, UnitEntry]
) -> list[RegistryProblem]:
    """Every problem that importing ``document`` over ``stored`` would cause.

    Args:
        document: the file, already field-validated.
        stored: the units already in the registry, by id.

    Returns:
        The problems, each with its JSON path; empty when the import is safe.
    """
    problems: list[RegistryProblem] = []
    problems += _duplicate_ids(document)
    merged = {**stored, **{unit.id: unit for unit in document.units}}
    paths = {unit.id: f"$.units[{index}]" for index, unit in enumerate(document.units)}
    for index, unit in enumerate(document.units):
        problems += _unit_problems(unit, f"$.units[{index}]", merged)
    problems += _cycles(merged, paths)
    problems += _overlapping_codes(merged, paths)
    return problems


def _duplicate_ids(document: RegistryDocument) -> list[RegistryProblem]:
    seen: dict[str, int] = {}
    problems = []
    for index, unit in enumerate(document.units):
        if unit.id in seen:
            problems.append(RegistryProblem(
                f"$.units[{index}].id",
                f"unit id {unit.id!r} is already used by $.units[{seen[unit.id]}]",
            ))
        seen.setdefault(unit.id, index)
    return problems


def _unit_problems(
    unit: UnitEntry, path: str, merged: Mapping[str, UnitEntry]
) -> list[RegistryProblem]:
    problems = []
    if unit.lifetime.is_reversed():
        problems.append(RegistryProblem(f"{path}.dissolved", "the unit is dissolved before it is founded"))
    for index, parent in enumerate(unit.parents):
        where = f"{path}.parents[{index}]"
        if parent.unit == unit.id:
            problems.append(RegistryProblem(f"{where}.unit", "a unit cannot be its own parent"))
        elif parent.unit not in merged:
            problems.append(RegistryProblem(
                f"{where}.unit", f"parent {parent.unit!r} is neither in this file nor stored"
            ))
    bounded: list[tuple[str, BoundedEntry]] = [
        (f"{path}.parents[{i}]", p) for i, p in enumerate(unit.parents)]
    bounded += [(f"{path}.codes[{i}]", c) for i, c in enumerate(unit.codes)]
    bounded += [(f"{path}.events[{i}]", e) for i, e in enumerate(unit.events)]
    for where, entry in bounded:
        if entry.period.is_reversed():
            problems.append(RegistryProblem(f"{where}.to", "the period ends before it begins"))
    return problems


def _cycles(
    merged: Mapping[str, UnitEntry], paths: Mapping[str, str]
) -> list[RegistryProblem]:
    """Report each cycle of parent links once, at a unit of the file that is on it."""
    graph = {uid: {p.unit for p in unit.parents if p.unit in merged} for uid, unit in merged.items()}
    problems = []
    reported: set[frozenset[str]] = set()
    for start in paths:
        cycle = _find_cycle(start, graph)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            chain = " -> ".join([*cycle, cycle[0]])
            problems.append(RegistryProblem(f"{paths[start]}.parents", f"parent links form a cycle: {chain}"))
    return problems


def _find_cycle(start: str, graph: Mapping[str, set[str]]) -> list[str] | None:
    """The cycle through ``start``, if any, by depth-first search."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for parent in sorted(graph.get(node, ())):
            if parent == start:
                return trail
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, [*trail, parent]))
    return None


def _overlapping_codes(
    merged: Mapping[str, UnitEntry], paths: Mapping[str, str]
) -> list[RegistryProblem]:
    """A code may be reused, but never held by two units (or twice) at the same time."""
    holders: dict[tuple[str, str], list[_CodeHolder]] = defaultdict(list)
    for uid, unit in merged.items():
        base = paths.get(uid, f"stored unit {uid!r}")
        for index, code in enumerate(unit.codes):
            key = (code.kind.value, " ".join(code.code.casefold().split()))
            holders[key].append((f"{base}.codes[{index}]", uid, code.period))
    problems: list[RegistryProblem] = []
    for entries in holders.values():
        problems += _clashes(entries, in_file=set(paths))
    return problems


def _clashes(entries: list[_CodeHolder], in_file: set[str]) -> Iterable[RegistryProblem]:
    for i, (path_a, unit_a, period_a) in enumerate(entries):
        for path_b, unit_b, period_b in entries[i + 1:]:
            if unit_a not in in_file and unit_b not in in_file:
                continue  # a clash already stored is not this file's doing
            if period_a.overlaps(period_b):
                where, other = (path_b, path_a) if unit_b in in_file else (path_a, path_b)
                problems_text = (
                    f"the code is also held by {unit_a if where == path_b else unit_b!r} "
                    f"at {other} in an overlapping period"
                )
                yield RegistryProblem(where, problems_text)
