"""The store gives a person the same leads as ranking against every grave does: the world of
``bench.leads`` imported from CONTRACT's files, each person's leads asked of the store."""

from __future__ import annotations

from bench.leads_store import measure
from bench.leads_world import make_world


def test_the_store_ranks_the_true_graves_as_ranking_every_grave_does(database_url: str) -> None:
    world = make_world(60, seed=3)
    report = measure(world, database_url)
    store, alone = report["store"], report["in_process"]
    assert store["at"] == alone["at"]
    assert store["top10_by_collection"] == alone["top10_by_collection"]
    assert store["at"]["top10"] >= 0.5  # the leads work at all: the baseline's is about 0.3
