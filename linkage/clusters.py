"""Clusters: records joined into one person, never against an officer's decision.

Pairs an officer decided ``same`` are joined first, then the model's pairs at or above the
automatic threshold, most probable first. Two groups are never joined when an officer
decided that a record of one is ``different`` from a record of the other, however the
model scores them: a namesake kept apart stays apart, run after run. A cluster's id comes
from its first member's key, so a cluster that keeps that member keeps its id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Decision:
    """An officer's decision on two records."""

    left: str
    right: str
    same: bool


@dataclass
class Clustering:
    """The clusters (each its members' keys, sorted), and the ``same`` decisions that
    could not be followed because of a ``different`` one (left, right)."""

    clusters: list[list[str]]
    conflicts: list[tuple[str, str]] = field(default_factory=list)


class _Groups:
    """Union–find over record keys, each group knowing the groups it must not join."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.apart: dict[str, set[str]] = {}

    def root(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def keep_apart(self, left: str, right: str) -> None:
        a, b = self.root(left), self.root(right)
        self.apart.setdefault(a, set()).add(b)
        self.apart.setdefault(b, set()).add(a)

    def join(self, left: str, right: str) -> bool:
        """Join the groups of two records; False when a decision keeps them apart."""
        a, b = self.root(left), self.root(right)
        if a == b:
            return True
        if b in self.apart.get(a, set()):
            return False
        self.parent[b] = a
        moved = self.apart.pop(b, set())
        for other in moved:
            self.apart[other].discard(b)
            self.apart[other].add(a)
        self.apart.setdefault(a, set()).update(moved)
        return True


def cluster(records: Iterable[str], pairs: Iterable[tuple[str, str, float]], decisions: Iterable[Decision],
            *, threshold: float) -> Clustering:
    """Cluster ``records`` by the model's ``pairs`` (left, right, probability) at or above
    ``threshold`` and the officers' ``decisions``."""
    groups = _Groups()
    for key in records:
        groups.root(key)
    decided = list(decisions)
    for decision in decided:
        if not decision.same:
            groups.keep_apart(decision.left, decision.right)
    conflicts = [(d.left, d.right) for d in decided if d.same and not groups.join(d.left, d.right)]
    for left, right, _ in sorted((p for p in pairs if p[2] >= threshold), key=lambda p: (-p[2], p[0], p[1])):
        groups.join(left, right)
    members: dict[str, list[str]] = {}
    for key in list(groups.parent):
        members.setdefault(groups.root(key), []).append(key)
    return Clustering(sorted(sorted(group) for group in members.values()), conflicts)


def cluster_id(members: list[str]) -> str:
    """A cluster's id, from its first member's key (``k`` and 16 hex digits)."""
    return "k" + hashlib.sha256(min(members).encode()).hexdigest()[:16]
