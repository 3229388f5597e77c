"""Leads measured on a generated world with known truth (:mod:`bench.leads_world`, invented).

For each of ``--persons`` dead men (among ``3 × persons`` graves in 10 cemeteries), leads are
built from his evidence (decoded units, written places, burial records found by name) and
every unidentified or partial grave is ranked; the rank of the grave that truly holds him is
recorded. The baseline ranks the same graves by distance alone from the position of the
first candidate unit (or its nearest ancestor with one) at the death date, as a reader of
the registry would. Reported: the share of persons whose grave is ranked 1st, in the top
5 / 10 / 20 (recall at k), the mean rank (a grave not ranked at all counts as the last), the
top-10 share split by what the true grave records of where its remains were collected (a
point, a written commune, or nothing but its cemetery), and the time per person (p50 / p99:
areas and ranking of every grave of the world, in process; a store would first fetch only
the graves inside ``leads.search_boxes``). The ceiling ranks graves by distance from where
each man truly died, which only the generator knows: no ranking by place does better on
graves that record a place, and men die among their comrades, so even it misses some.

Run: ``.venv/bin/python -m bench.leads [--persons 300] [--seed 11] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from bench.leads_world import Truth, World, make_world
from decoder.plots import name_key
from leads import Burial, Evidence, Grave, leads_for
from leads.burials import record_point
from leads.geo import distance_km
from leads.positions import unit_areas

CUTS = (1, 5, 10, 20)


@dataclass(frozen=True)
class Scores:
    """Where the true grave came in the ranking, over all persons looked for."""

    persons: int
    graves: int
    at: dict[str, float]
    mean_rank: float
    top10_by_collection: dict[str, float]
    ms_p50: float | None = None
    ms_p99: float | None = None


def _by_given_name(burials: Sequence[Burial]) -> dict[str, list[Burial]]:
    """Burial records by the last word of the folded name, as a store would index them."""
    index: dict[str, list[Burial]] = defaultdict(list)
    for burial in burials:
        if burial.name:
            index[name_key(burial.name).split()[-1]].append(burial)
    return index


def _burials_for(evidence: Evidence, index: dict[str, list[Burial]]) -> list[Burial]:
    return index.get(name_key(evidence.name).split()[-1], []) if evidence.name else []


def _rank(ranked: Sequence[str], truth: str, total: int) -> int:
    return ranked.index(truth) + 1 if truth in ranked else total


def _collection(grave: Grave) -> str:
    """What the true grave says of where its remains came from."""
    if grave.remains_lat is not None:
        return "point"
    return "written place" if grave.remains_place else "cemetery only"


def _by_collection(ranks: list[int], world: World) -> dict[str, float]:
    graves = {grave.id: grave for grave in world.graves}
    groups: dict[str, list[int]] = defaultdict(list)
    for rank, truth in zip(ranks, world.truths, strict=False):
        groups[_collection(graves[truth.grave_id])].append(rank)
    return {kind: round(sum(r <= 10 for r in found) / len(found), 3)
            for kind, found in sorted(groups.items())}


def _scores(ranks: list[int], world: World, times: list[float] | None = None) -> Scores:
    at = {f"top{cut}": round(sum(r <= cut for r in ranks) / len(ranks), 3) for cut in CUTS}
    ms = sorted(1000 * t for t in times) if times else []
    return Scores(persons=len(ranks), graves=len(world.graves), at=at,
                  mean_rank=round(statistics.fmean(ranks), 1),
                  top10_by_collection=_by_collection(ranks, world),
                  ms_p50=round(ms[len(ms) // 2], 2) if ms else None,
                  ms_p99=round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2) if ms else None)


def run_leads(world: World) -> Scores:
    """Rank every grave for every person looked for, with the leads."""
    index = _by_given_name(world.burials)
    claims = {b.recovered_grave: b for b in world.burials if b.recovered_grave}
    ranks, times = [], []
    for truth in world.truths[:world.looked_for]:
        start = time.perf_counter()
        result = leads_for(truth.evidence, world.registry, burials=_burials_for(truth.evidence, index),
                           graves=world.graves, limit=None, claims=claims)
        times.append(time.perf_counter() - start)
        ranks.append(_rank([g.grave_id for g in result.graves], truth.grave_id, len(world.graves)))
    return _scores(ranks, world, times)


def _grave_point(grave: Grave) -> tuple[float, float] | None:
    point = record_point(grave.remains_lat, grave.remains_lon, grave.remains_place)
    if point is not None:
        return point.lat, point.lon
    if grave.cemetery_lat is not None and grave.cemetery_lon is not None:
        return grave.cemetery_lat, grave.cemetery_lon
    return None


def _baseline_ranking(truth: Truth, world: World, points: dict[str, tuple[float, float] | None]) -> list[str]:
    first = Evidence(person_id=truth.evidence.person_id, death_date=truth.evidence.death_date,
                     units=truth.evidence.units[:1])
    areas = unit_areas(first, world.registry)
    if not areas:
        return []
    where = max(areas, key=lambda a: a.weight)
    placed = [(distance_km(where.lat, where.lon, *point), grave_id)
              for grave_id, point in points.items() if point]
    return [grave_id for _, grave_id in sorted(placed)]


def run_baseline(world: World) -> Scores:
    """Rank every grave by distance alone from the first unit's position at the death date."""
    points = {grave.id: _grave_point(grave) for grave in world.graves}
    ranks = [_rank(_baseline_ranking(truth, world, points), truth.grave_id, len(world.graves))
             for truth in world.truths[:world.looked_for]]
    return _scores(ranks, world)


def run_ceiling(world: World) -> Scores:
    """Rank every grave by distance from where the man truly died, which only the generator
    knows: what a ranking by place alone could reach at best (graves that record nothing
    but their cemetery stay out of its reach)."""
    points = {grave.id: _grave_point(grave) for grave in world.graves}
    ranks = []
    for truth in world.truths[:world.looked_for]:
        placed = sorted((distance_km(truth.death_lat, truth.death_lon, *point), grave_id)
                        for grave_id, point in points.items() if point)
        ranks.append(_rank([grave_id for _, grave_id in placed], truth.grave_id, len(world.graves)))
    return _scores(ranks, world)


def main(argv: Sequence[str] | None = None) -> None:
    """Build the world, run leads and the baseline, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    world = make_world(args.persons, args.seed)
    built = time.perf_counter() - start
    report = {"world_s": round(built, 1), "leads": asdict(run_leads(world)),
              "baseline": asdict(run_baseline(world)), "ceiling": asdict(run_ceiling(world))}
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"world: {args.persons} persons looked for among {len(world.graves)} graves "
          f"(built in {built:.1f} s)")
    for name in ("leads", "baseline", "ceiling"):
        scores = report[name]
        assert isinstance(scores, dict)
        cuts = "  ".join(f"{key} {value:.3f}" for key, value in scores["at"].items())
        timing = (f"  {scores['ms_p50']} ms p50, {scores['ms_p99']} ms p99"
                  if scores["ms_p50"] is not None else "")
        print(f"{name:9s} {cuts}  mean rank {scores['mean_rank']}{timing}")
        kinds = ", ".join(f"{kind} {value:.3f}" for kind, value in scores["top10_by_collection"].items())
        print(f"{'':9s} top10 by what the true grave records of its remains' origin: {kinds}")


if __name__ == "__main__":
    main()
