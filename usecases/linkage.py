"""Linkage use cases: link every record that names a person, review the uncertain pairs,
export the clusters.

A run reads the records (list entries, person records, graves with a name), lets Splink
score the pairs its blocking lets through, joins the pairs at or above the automatic
threshold into clusters (never against an officer's decision, never a pair whose birth
years, hometowns, units or death dates disagree), and puts every other pair scored above
the review floor up for review when its records ended in different clusters.
Scoring holds no transaction; the clusters and the queue are then replaced in one.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.links import (
    cluster_members,
    cluster_of,
    copies,
    decide,
    decisions,
    member_json,
    pair_json,
    records_to_link,
    replace_clusters,
    replace_review,
    review_queue,
    unmerge,
)
from linkage.clusters import cluster
from linkage.conflicts import conflicts
from linkage.engines import Engine, open_engine
from linkage.features import features
from linkage.model import REVIEW_MIN, Progress, Records, readings, score_pairs, unheard

#: Pairs at or above this probability are joined without an officer.
AUTO_THRESHOLD = 0.99


@dataclass(frozen=True)
class LinkRun:
    """What a run found."""

    records: int
    pairs: int
    joined: int
    clusters: int
    review: int
    conflicts: int


def run_linkage(*, sessions: sessionmaker[Session], engine: Engine = "duckdb", actor: str,
                threshold: float = AUTO_THRESHOLD, progress: Progress = unheard) -> LinkRun:
    """Link every record that names a person; see the module's docstring. ``progress``
    hears of each step as it starts: ``reading``, ``training``, ``scoring`` (chunks of
    pairs done, of how many), ``clustering``, ``storing``."""
    progress("reading", 0, 0)
    with sessions() as session:
        records = Records(features(record) for record in records_to_link(session))
        decided = decisions(session)
    same = [(decision.left, decision.right) for decision in decided if decision.same]
    # The engine's spill files, checkpoints and tables go in a folder removed after the run.
    with tempfile.TemporaryDirectory(prefix="phienhieu-link-", ignore_cleanup_errors=True) as work:
        pairs = (list(score_pairs(records, open_engine(engine, work_dir=work), same=same, progress=progress))
                 if len(records) > 1 else [])
    progress("clustering", 0, 0)
    joined = [(p.left, p.right, p.probability) for p in pairs if not p.contradictions]
    found = cluster(records.keys, joined, decided, threshold=threshold)
    where = {key: index for index, members in enumerate(found.clusters) for key in members}
    uncertain = [(pair, readings(pair, records)) for pair in pairs if where[pair.left] != where[pair.right]]
    progress("storing", 0, 0)
    with sessions.begin() as session:
        replace_clusters(session, found.clusters)
        waiting = replace_review(session, uncertain)
        run = LinkRun(records=len(records), pairs=len(pairs),
                      joined=sum(probability >= threshold for _, _, probability in joined),
                      clusters=len(found.clusters), review=waiting, conflicts=len(found.conflicts))
        record_event(session, actor=actor, action="link.run", subject="linkage",
                     details={"engine": engine, **vars(run)})
    return run


def export_clusters(*, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """CONTRACT's export: every cluster with its members, and how many pairs wait."""
    with sessions() as session:
        clusters = [{"id": row.id, "person_id": row.person_id,
                     "members": [member_json(key) for key in members]}
                    for row, members in cluster_members(session)]
        waiting, _ = review_queue(session, limit=0, offset=0)
    return {"clusters": clusters, "review": waiting}


#: Which column of a record each compared field was read from, to show it as written.
WRITTEN_FIELDS = {"name": "name", "birth_year": "birth_year", "hometown": "hometown", "unit": "unit_text",
                  "death_date": "death_date", "death_place": "death_place"}


def pairs_for_review(*, sessions: sessionmaker[Session], limit: int, offset: int) -> dict[str, Any]:
    """The review queue, a page at a time; each field carries, beside the keys compared,
    what each record says as written (``left_written``, ``right_written``)."""
    with sessions() as session:
        total, pairs = review_queue(session, limit=limit, offset=offset)
        shown = []
        for pair in pairs:
            data = pair_json(pair)
            sides = {_key(copy): copy for copy in copies(session, [pair.left, pair.right])}
            left, right = sides.get(pair.left, {}), sides.get(pair.right, {})
            data["fields"] = [field | {"left_written": left.get(WRITTEN_FIELDS.get(field["field"], "")),
                                       "right_written": right.get(WRITTEN_FIELDS.get(field["field"], ""))}
                              for field in data["fields"]]
            shown.append(data)
        return {"total": total, "pairs": shown}


def _key(copy: dict[str, Any]) -> str:
    """The record key of a copy (``entry:SOURCE:ROW``, ``person:ID``, ``grave:ID``)."""
    if copy["kind"] == "entry":
        return f"entry:{copy['source']}:{copy['row']}"
    return f"{copy['kind']}:{copy['id']}"


def decide_pair(pair_id: int, decision: str, *, note: str | None, sessions: sessionmaker[Session],
                actor: str) -> dict[str, Any]:
    """Record an officer's decision on a pair (see :func:`archive.links.decide`)."""
    with sessions.begin() as session:
        return pair_json(decide(session, pair_id, decision, note=note, actor=actor))


def unmerge_record(key: str, *, note: str | None, sessions: sessionmaker[Session],
                   actor: str) -> dict[str, Any]:
    """Take a record out of its cluster (see :func:`archive.links.unmerge`)."""
    with sessions.begin() as session:
        return {"record": member_json(key), "cluster": unmerge(session, key, note=note, actor=actor)}


def copies_of(key: str, *, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Every copy of the person a record belongs to (its cluster), and where they conflict."""
    with sessions() as session:
        found = copies(session, cluster_of(session, key))
    return {"copies": found, "conflicts": conflicts(found)}


__all__ = ["REVIEW_MIN", "LinkRun", "copies_of", "decide_pair", "export_clusters", "pairs_for_review",
           "run_linkage", "unmerge_record"]
