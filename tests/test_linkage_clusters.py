"""Clusters never join what an officer kept apart, and keep their ids across runs."""

from __future__ import annotations

from linkage.clusters import Decision, cluster, cluster_id


def test_pairs_at_the_threshold_join_and_the_others_do_not() -> None:
    found = cluster(["a", "b", "c", "d"], [("a", "b", 0.995), ("c", "d", 0.9)], [], threshold=0.99)
    assert found.clusters == [["a", "b"], ["c"], ["d"]]


def test_a_different_decision_keeps_two_records_apart_even_through_a_third() -> None:
    pairs = [("a", "b", 0.999), ("b", "c", 0.998)]
    assert cluster("abc", pairs, [], threshold=0.99).clusters == [["a", "b", "c"]]
    apart = cluster("abc", pairs, [Decision("a", "c", same=False)], threshold=0.99)
    assert apart.clusters == [["a", "b"], ["c"]]  # the likelier pair wins, the other waits


def test_a_same_decision_joins_below_the_threshold_unless_it_contradicts_another() -> None:
    found = cluster("abc", [("a", "b", 0.6)], [Decision("a", "b", same=True)], threshold=0.99)
    assert found.clusters == [["a", "b"], ["c"]]
    clash = cluster("abc", [], [Decision("a", "b", same=True), Decision("b", "c", same=True),
                                Decision("a", "c", same=False)], threshold=0.99)
    assert clash.clusters == [["a", "b"], ["c"]]
    assert clash.conflicts == [("b", "c")]


def test_a_cluster_keeps_its_id_while_it_keeps_its_first_member() -> None:
    assert cluster_id(["entry:a:1", "person:p1"]) == cluster_id(["person:p1", "entry:a:1", "grave:g"])
    assert cluster_id(["entry:a:1"]) != cluster_id(["entry:a:2"])
    assert cluster_id(["x"]).startswith("k")
    assert len(cluster_id(["x"])) == 17
