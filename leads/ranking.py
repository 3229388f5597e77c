"""Unidentified and partial graves ranked by how well they fit a person's search areas.

A grave's point is where its remains were collected (its coordinates, else its written
place through the gazetteer), else its cemetery's point, which stands for remains brought
from anywhere around it. The point is scored against every area (its weight times a fall-off
with the distance relative to the radius); the best area counts. The date the remains were
collected must not lie before the death; partial facts on the grave raise or lower it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from leads import matching
from leads.burials import record_point
from leads.geo import distance_km, spatial_fit
from leads.model import RANKED_STATUSES, Area, Burial, Evidence, Grave, GraveLead
from leads.reasons import Param, Reason, ReasonId

#: How far around a cemetery its remains may have come from, when nothing else says (km).
CEMETERY_SPREAD_KM = 30.0
#: What agreeing and conflicting facts do to a grave's score.
AGREE_GAIN = 0.6
CONFLICT_FACTOR = {"names": 0.1, "units": 0.3, "years": 0.4, "dates": 0.3, "hometowns": 0.3}
#: Remains collected before the death cannot be the person's (but dates are written wrong).
BEFORE_DEATH_FACTOR = 0.05
#: The grave is where a matching burial's remains went: the strongest lead there is.
LINK_GAIN = 3.0
#: The grave is where the remains of a first burial under another name went: most likely his.
CLAIMED_FACTOR = 0.15
#: A grave fitting no area better than this is not tied to them (three radii out).
MIN_RAW = 1e-3
#: Fits smaller than this are left out of a grave's reasons.
MIN_FIT_SAID = 0.05
#: Scores are squashed into 0..1 as raw / (raw + SQUASH), keeping the order.
SQUASH = 0.25


@dataclass(frozen=True)
class _Spot:
    """A grave's point; ``cemetery`` when it is only its cemetery's."""

    lat: float
    lon: float
    spread_km: float
    cemetery: str | None = None


#: Claims are read for this many times ``limit`` of the best graves: a claimed grave falls
#: out of the first ones, and those below it move up.
CLAIM_DEPTH = 3
#: Claims by grave id, or a function reading them for some grave ids (a store reads only
#: the first graves' claims, not those of thousands of candidates).
Claims = Mapping[str, Burial] | Callable[[Sequence[str]], Mapping[str, Burial]]


def rank_graves(areas: Sequence[Area], graves: Iterable[Grave], evidence: Evidence, *,
                limit: int | None = 20, claims: Claims | None = None) -> list[GraveLead]:
    """The unidentified and partial graves that fit the areas, best first.

    Every grave is scored first; only the first are then given their claims and reasons
    (building reasons for thousands of candidates would cost more than ranking them).

    Args:
        areas: the person's search areas (``areas_for``).
        graves: candidate graves; named ones are skipped.
        evidence: the person's facts, compared with a partial grave's.
        limit: how many to return (None: all with a score above zero).
        claims: by grave id, a first burial whose remains the records say went into it
            (a grave claimed under another name ranks low), or a function reading them.
    """
    ranked = [grave for grave in graves if grave.status in RANKED_STATUSES]
    scored: list[tuple[float, float | None, Grave]]
    if limit is None:  # every grave's reasons are wanted: no first pass
        scored = [(0.0, None, grave) for grave in ranked]
    else:
        scored = [(lead.score, lead.distance_km, grave) for grave in ranked
                  if (lead := score_grave(areas, grave, evidence, reasons=False)) is not None]
        scored.sort(key=lambda item: (-item[0], item[1] if item[1] is not None else 1e9, item[2].id))
    depth = len(scored) if limit is None else CLAIM_DEPTH * limit
    while True:
        first = [grave for _, _, grave in scored[:depth]]
        found = _claims_of(claims, [grave.id for grave in first])
        leads = [lead for grave in first
                 if (lead := score_grave(areas, grave, evidence, found.get(grave.id))) is not None]
        leads.sort(key=lambda lead: (-lead.score, lead.distance_km if lead.distance_km is not None else 1e9,
                                     lead.grave_id))
        unclaimed = sum(grave.id not in found for grave in first)
        # Graves below the first ``depth`` score no more than any unclaimed one among them.
        if limit is None or unclaimed >= limit or depth >= len(scored):
            return leads[:limit] if limit is not None else leads
        depth *= 2


def _claims_of(claims: Claims | None, grave_ids: Sequence[str]) -> Mapping[str, Burial]:
    if claims is None or not grave_ids:
        return {}
    return claims(grave_ids) if callable(claims) else claims


def score_grave(areas: Sequence[Area], grave: Grave, evidence: Evidence,
                claim: Burial | None = None, *, reasons: bool = True) -> GraveLead | None:
    """One grave's score and reasons, or None when nothing ties it to the areas; ``claim``
    is a first burial whose remains went into the grave; without ``reasons`` only the
    score (and distance) is worked out."""
    spot = _spot(grave)
    raw, said, best, distance = _spatial(areas, spot, reasons)
    raw, more = _linked(areas, grave, raw)
    if raw < MIN_RAW:
        return None
    factor, facts = _facts(grave, evidence)
    if claim is not None and not more:
        factor, facts = _claimed(claim, evidence, factor, facts)
    raw *= factor
    score = raw / (raw + SQUASH)
    return GraveLead(grave_id=grave.id, cemetery=grave.cemetery, score=score,
                     reasons=tuple(said + more + facts) if reasons else (),
                     distance_km=distance, area=best, lat=spot.lat if spot else None,
                     lon=spot.lon if spot else None)


def _spot(grave: Grave) -> _Spot | None:
    point = record_point(grave.remains_lat, grave.remains_lon, grave.remains_place)
    if point is not None:
        spread = 0.0 if point.how.id is ReasonId.RECORDED_POINT else point.radius_km * 0.5
        return _Spot(point.lat, point.lon, spread)
    if grave.cemetery_lat is not None and grave.cemetery_lon is not None:
        return _Spot(grave.cemetery_lat, grave.cemetery_lon, CEMETERY_SPREAD_KM, grave.cemetery)
    return None


def _spatial(areas: Sequence[Area], spot: _Spot | None, with_reasons: bool = True
             ) -> tuple[float, list[Reason], int | None, float | None]:
    """The sum, over the kinds of evidence, of the best fit among each kind's areas.

    Areas of one kind are alternatives (the unit was at one place or another; a written name
    fits one commune or another), so only the best counts; different kinds are separate
    witnesses, so a grave that fits the unit's position and the burial record both ranks
    above one that fits either alone.
    """
    if spot is None or not areas:
        return 0.0, [], None, None
    best_of: dict[str, tuple[float, int, float]] = {}
    for i, area in enumerate(areas):
        d = distance_km(spot.lat, spot.lon, area.lat, area.lon)
        fit = area.weight * spatial_fit(d, area.radius_km, spot.spread_km)
        if fit > best_of.get(area.kind, (0.0, -1, 0.0))[0]:
            best_of[area.kind] = (fit, i, d)
    if not best_of:
        return 0.0, [], None, None
    ranked = sorted(best_of.values(), reverse=True)
    reasons = [_said(spot, areas[i], d, fit) for fit, i, d in ranked if fit >= MIN_FIT_SAID and with_reasons]
    _, best, distance = ranked[0]
    return sum(fit for fit, _, _ in ranked), reasons, best, distance


def _said(spot: _Spot, area: Area, distance: float, fit: float) -> Reason:
    near: dict[str, Param] = {"distance": distance, "area": area.summary or area.place,
                              "radius": area.radius_km, "weight": area.weight, "fit": fit}
    if spot.cemetery is None:
        return Reason(ReasonId.REMAINS_NEAR_AREA, **near)
    return Reason(ReasonId.CEMETERY_NEAR_AREA, cemetery=spot.cemetery, **near)


def _linked(areas: Sequence[Area], grave: Grave, raw: float) -> tuple[float, list[Reason]]:
    """A grave that an area names (its remains came from a matching burial) rises above the rest."""
    for area in areas:
        if area.record and area.record in (grave.id, grave.remains_burial) and area.kind != "unit_position":
            return raw + LINK_GAIN * area.weight, [Reason(ReasonId.NAMED_BY_EVIDENCE, reason=area.reasons[0])]
    return raw, []


def _facts(grave: Grave, evidence: Evidence) -> tuple[float, list[Reason]]:
    reasons: list[Reason]
    factor, reasons = 1.0, []
    died = evidence.death_date
    if grave.remains_date and died and grave.remains_date.last_day < died.first_day:
        factor *= BEFORE_DEATH_FACTOR
        reasons.append(Reason(ReasonId.COLLECTED_BEFORE_DEATH, date=grave.remains_date, death=died))
    checks = {"names": matching.names(evidence.name, grave.name),
              "units": matching.units(evidence.unit_text, grave.unit_text),
              "years": matching.years(evidence.birth_year, grave.birth_year),
              "dates": matching.dates(evidence.death_date, grave.death_date),
              "hometowns": matching.hometowns(evidence.hometown, grave.hometown)}
    for kind, check in checks.items():
        if check.verdict == "agree":
            factor *= 1 + AGREE_GAIN * check.strength
        elif check.verdict == "conflict":
            factor *= CONFLICT_FACTOR[kind]
        if check.said is not None:  # agreeing or conflicting; an unknown verdict says nothing
            reasons.append(Reason(ReasonId.GRAVE_BEARS, fact=check.said))
    return factor, reasons


def _claimed(claim: Burial, evidence: Evidence, factor: float, facts: list[Reason]
             ) -> tuple[float, list[Reason]]:
    """A grave the remains of another man's first burial went into is most likely his."""
    mine = claim.person_id == evidence.person_id
    if mine or matching.names(evidence.name, claim.name).verdict != "conflict":
        return factor, facts
    moved = Reason(ReasonId.CLAIMED_BY_ANOTHER, burial=claim.id, name=claim.name or "")
    return factor * CLAIMED_FACTOR, [*facts, moved]
