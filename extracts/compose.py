"""From a person record, the registry and the archived pages to an extract's content.

Pure: the caller reads the records; nothing here touches storage. An extract states
only what verified evidence supports, so every reason to refuse is an error with a
message an officer can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from decoder.decode import decode
from decoder.registry import Registry
from decoder.result import Candidate
from extracts.errors import ExtractBlockedError
from extracts.model import ExtractContent, Office, SourcePage, UnitEvent

#: Two valid readings closer than this are both plausible: the officer must choose.
AMBIGUITY_MARGIN = 0.05


def choose_unit(person: dict[str, Any], registry: Registry, unit_id: str | None) -> Candidate:
    """The unit the record's "unit as written" meant at the date of death.

    Raises:
        ExtractBlockedError: no unit written, no valid reading, an ambiguous reading
            without ``unit_id``, or a reading that relies on unverified registry entries.
    """
    written = (person.get("unit_text") or "").strip()
    if not written:
        raise ExtractBlockedError("The person record names no unit; add the unit as written "
                                  "on the documents before issuing.")
    when = person.get("death_date")
    result = decode(written, when, registry)
    first = [c for c in result.candidates if c.designation == 0 and c.valid]
    if unit_id is not None:
        chosen = [c for c in result.candidates if c.unit_id == unit_id and c.valid]
        if not chosen:
            raise ExtractBlockedError(f"{unit_id!r} is not a valid reading of {written!r}"
                                      f"{f' at {when}' if when else ''}.")
        candidate = chosen[0]
    elif not first:
        raise ExtractBlockedError(f"{written!r} cannot be decoded to a unit"
                                  f"{f' at {when}' if when else ''}; correct the record or the registry.")
    else:
        candidate = first[0]
        rivals = [c.name for c in first[1:] if c.unit_id != candidate.unit_id
                  and candidate.score - c.score < AMBIGUITY_MARGIN]
        if rivals:
            raise ExtractBlockedError(f"{written!r} may mean {candidate.name} or {', '.join(rivals)}; "
                                      "choose the unit the evidence supports.")
    if not candidate.verified:
        raise ExtractBlockedError(f"The reading of {written!r} as {candidate.name} relies on a registry "
                                  "entry that is not verified; verify it in the registry before issuing.")
    return candidate


def compose(person: dict[str, Any], registry: Registry, sources: Sequence[SourcePage], *,
            serial: str, issued_at: datetime, office: Office, requester: str | None = None,
            unit_id: str | None = None) -> ExtractContent:
    """The content of the extract about ``person`` (CONTRACT's person JSON).

    Raises:
        ExtractBlockedError: see :func:`choose_unit`; or no archived page is cited.
    """
    if not sources:
        raise ExtractBlockedError("The person record cites no archived page; link the pages its facts "
                                  "were taken from before issuing.")
    unit = choose_unit(person, registry, unit_id)
    return ExtractContent(
        serial=serial, issued_at=issued_at, office=office, person_id=str(person["id"]),
        full_name=person["full_name"], birth_year=person.get("birth_year"),
        birth_date=person.get("birth_date"), hometown=person.get("hometown"), rank=person.get("rank"),
        position=person.get("position"), enlisted=person.get("enlisted"),
        unit_written=person["unit_text"], unit_id=unit.unit_id, unit_name=unit.name, unit_path=unit.path,
        unit_events=[UnitEvent(start=event.start, end=event.end, title=event.title,
                               place=", ".join(filter(None, (event.place, event.province))) or None,
                               source=event.source) for event in unit.history],
        death_date=person.get("death_date"), death_place=person.get("death_place"),
        circumstances=person.get("circumstances"), burial_place=person.get("burial_place"),
        grave=person.get("grave"), requester=requester, sources=list(sources))
