"""The generated world leads are measured on: known truth, the same for the same seed, and
leads that find the true grave far more often than distance from the unit alone."""

from __future__ import annotations

from bench.leads import run_baseline, run_leads
from bench.leads_world import make_world
from leads.geo import distance_km


def test_the_same_seed_makes_the_same_world() -> None:
    one, two = make_world(20, seed=3), make_world(20, seed=3)
    assert [t.evidence for t in one.truths] == [t.evidence for t in two.truths]
    assert one.graves == two.graves
    assert one.burials == two.burials


def test_every_dead_man_has_one_true_grave_among_decoys() -> None:
    world = make_world(30, seed=4)
    graves = {grave.id: grave for grave in world.graves}
    assert len(world.graves) == 3 * world.looked_for == len(world.truths)
    assert len({t.grave_id for t in world.truths}) == len(world.truths)
    assert {graves[t.grave_id].status for t in world.truths} <= {"unidentified", "partial"}
    assert all(g.cemetery in world.cemeteries for g in world.graves)


def test_men_die_near_where_their_regiment_was() -> None:
    world = make_world(30, seed=5)
    near = 0
    for truth in world.truths:
        grave = next(g for g in world.graves if g.id == truth.grave_id)
        if grave.remains_lat is not None and grave.remains_lon is not None:
            near += distance_km(truth.death_lat, truth.death_lon, grave.remains_lat, grave.remains_lon) < 15
    assert near >= 0.5 * len(world.truths)


def test_leads_find_the_true_grave_more_often_than_distance_alone() -> None:
    world = make_world(60, seed=11)
    leads, baseline = run_leads(world), run_baseline(world)
    assert leads.at["top10"] >= baseline.at["top10"] + 0.15
    assert leads.at["top10"] >= 0.5
    assert leads.mean_rank < baseline.mean_rank
