"""Linkage stored: the records to link, the clusters found, the pairs under review and the
officers' decisions.

Every function takes the caller's ``Session`` and only flushes. A run replaces the
clusters and the pairs waiting for review whole; decided pairs are never touched by a run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.bulk import insert_rows
from archive.models import Grave, LinkCluster, LinkMember, LinkPair, ListEntry, Person, utc_now
from decoder.errors import NotFoundError
from linkage.clusters import Decision, cluster_id
from linkage.features import LinkRecord
from linkage.model import FieldReading, ScoredPair
from linkage.written import unit_chain

_BATCH = 5000
#: What an officer may decide about a pair.
DECISIONS = ("same", "different")


def entry_key(source: str, row: int) -> str:
    """The key of a list entry in linkage: ``entry:SOURCE:ROW``."""
    return f"entry:{source}:{row}"


def records_to_link(session: Session) -> Iterator[LinkRecord]:
    """Every list entry, person record, and grave that carries a name."""
    entries = select(ListEntry.source, ListEntry.row, ListEntry.name, ListEntry.birth_year,
                     ListEntry.hometown, ListEntry.commune, ListEntry.district, ListEntry.province,
                     ListEntry.unit_chain, ListEntry.death_date, ListEntry.death_place)
    for row in session.execute(entries.execution_options(yield_per=_BATCH)):
        yield LinkRecord(entry_key(row.source, row.row), row.name, birth_year=row.birth_year,
                         hometown=row.hometown, commune=row.commune, district=row.district,
                         province=row.province, unit_chain=row.unit_chain, death_date=row.death_date,
                         death_place=row.death_place)
    persons = select(Person.id, Person.full_name, Person.birth_year, Person.hometown, Person.unit_text,
                     Person.death_date, Person.death_place)
    for person in session.execute(persons.execution_options(yield_per=_BATCH)):
        yield LinkRecord.from_written(f"person:{person.id}", person.full_name, hometown=person.hometown,
                                      birth_year=person.birth_year, unit_chain=unit_chain(person.unit_text),
                                      death_date=person.death_date, death_place=person.death_place)
    graves = select(Grave.id, Grave.name, Grave.birth_year, Grave.hometown, Grave.unit_text, Grave.death_date
                    ).where(Grave.name.is_not(None))
    for grave in session.execute(graves.execution_options(yield_per=_BATCH)):
        yield LinkRecord.from_written(f"grave:{grave.id}", grave.name, hometown=grave.hometown,
                                      birth_year=grave.birth_year, unit_chain=unit_chain(grave.unit_text),
                                      death_date=grave.death_date)


def decisions(session: Session) -> list[Decision]:
    """Every decision officers have made."""
    rows = session.execute(select(LinkPair.left, LinkPair.right, LinkPair.status)
                           .where(LinkPair.status.in_(DECISIONS)))
    return [Decision(left, right, status == "same") for left, right, status in rows]


def replace_clusters(session: Session, clusters: Sequence[list[str]]) -> None:
    """Store these clusters in place of all the clusters stored."""
    session.execute(delete(LinkMember))
    session.execute(delete(LinkCluster))
    now = utc_now()
    people = {key.removeprefix("person:") for members in clusters for key in members
              if key.startswith("person:")}
    known = set(session.scalars(select(Person.id).where(Person.id.in_(people)))) if people else set()
    rows = [{"id": cluster_id(members), "size": len(members), "updated_at": now,
             "person_id": next((key[7:] for key in members if key.startswith("person:") and key[7:] in known),
                               None)} for members in clusters]
    for start in range(0, len(rows), _BATCH):
        insert_rows(session, LinkCluster, rows[start:start + _BATCH])
    members = [{"record": key, "cluster_id": cluster_id(group)} for group in clusters for key in group]
    for start in range(0, len(members), _BATCH):
        insert_rows(session, LinkMember, members[start:start + _BATCH])


def replace_review(session: Session, pairs: Sequence[tuple[ScoredPair, Sequence[FieldReading]]]) -> int:
    """Put these pairs (each with its field-by-field reading) up for review in place of those
    waiting; a pair already decided stays as decided. Returns how many wait now."""
    session.execute(delete(LinkPair).where(LinkPair.status == "review"))
    decided = {(left, right) for left, right in session.execute(select(LinkPair.left, LinkPair.right))}
    now = utc_now()
    rows = [{"left": pair.left, "right": pair.right, "probability": pair.probability,
             "match_weight": pair.match_weight, "fields": [vars(reading) for reading in fields],
             "status": "review", "decided_by": None, "decided_at": None, "note": None, "updated_at": now}
            for pair, fields in pairs if (pair.left, pair.right) not in decided]
    for start in range(0, len(rows), _BATCH):
        insert_rows(session, LinkPair, rows[start:start + _BATCH])
    return len(rows)


def review_queue(session: Session, *, limit: int, offset: int) -> tuple[int, list[LinkPair]]:
    """The pairs waiting for review, the least certain first, and how many wait."""
    total = session.scalar(select(func.count()).select_from(LinkPair).where(LinkPair.status == "review")) or 0
    pairs = session.scalars(select(LinkPair).where(LinkPair.status == "review")
                            .order_by(func.abs(LinkPair.probability - 0.5), LinkPair.id)
                            .limit(limit).offset(offset)).all()
    return total, list(pairs)


def decide(session: Session, pair_id: int, decision: str, *, note: str | None, actor: str) -> LinkPair:
    """Record an officer's decision on a pair; ``same`` joins the two records' clusters now.

    Raises:
        NotFoundError: no such pair.
    """
    pair = session.get(LinkPair, pair_id)
    if pair is None:
        raise NotFoundError(f"There is no pair {pair_id} in the review queue.")
    before = pair.status
    pair.status, pair.note, pair.decided_by, pair.decided_at = decision, note, actor[:100], utc_now()
    if decision == "same":
        _join(session, pair.left, pair.right)
    record_event(session, actor=actor, action="link.decide", subject=f"pair:{pair_id}",
                 details={"left": pair.left, "right": pair.right, "decision": decision, "before": before,
                          "note": note})
    return pair


def _join(session: Session, left: str, right: str) -> None:
    clusters = dict(session.execute(select(LinkMember.record, LinkMember.cluster_id)
                                    .where(LinkMember.record.in_([left, right]))).all())
    if clusters.get(left) and clusters.get(right) and clusters[left] != clusters[right]:
        session.execute(update(LinkMember).where(LinkMember.cluster_id == clusters[right])
                        .values(cluster_id=clusters[left]))
        size = session.scalar(select(func.count()).where(LinkMember.cluster_id == clusters[left])) or 0
        session.execute(update(LinkCluster).where(LinkCluster.id == clusters[left]).values(size=size))
        session.execute(delete(LinkCluster).where(LinkCluster.id == clusters[right]))


def cluster_members(session: Session) -> Iterator[tuple[LinkCluster, list[str]]]:
    """Every cluster with its members' keys, by cluster id."""
    members: dict[str, list[str]] = {}
    for record, cluster in session.execute(select(LinkMember.record, LinkMember.cluster_id)):
        members.setdefault(cluster, []).append(record)
    for cluster_row in session.scalars(select(LinkCluster).order_by(LinkCluster.id)):
        yield cluster_row, sorted(members.get(cluster_row.id, []))


def pair_json(pair: LinkPair) -> dict[str, Any]:
    """A pair as the review API shows it."""
    return {"id": pair.id, "left": member_json(pair.left), "right": member_json(pair.right),
            "probability": round(pair.probability, 4), "match_weight": round(pair.match_weight, 2),
            "fields": pair.fields, "status": pair.status, "note": pair.note}


def member_json(key: str) -> dict[str, Any]:
    """A record's key as the contract writes a member: kind, and source and row or id."""
    kind, _, rest = key.partition(":")
    if kind == "entry":
        source, _, row = rest.rpartition(":")
        return {"kind": "entry", "source": source, "row": int(row)}
    return {"kind": kind, "id": rest}


def cluster_of(session: Session, key: str) -> list[str]:
    """The keys of the records in the cluster of ``key`` (itself alone when it is in none)."""
    cluster = session.scalar(select(LinkMember.cluster_id).where(LinkMember.record == key))
    if cluster is None:
        return [key]
    return sorted(session.scalars(select(LinkMember.record).where(LinkMember.cluster_id == cluster)))


def copies(session: Session, keys: Sequence[str]) -> list[dict[str, Any]]:
    """What each record says: list entries with their list and row, person records, graves."""
    found: list[dict[str, Any]] = []
    for key in keys:
        member = member_json(key)
        row = _stored(session, member)
        if row is None:
            continue
        chain = row.unit_chain if isinstance(row, ListEntry) else unit_chain(row.unit_text)
        found.append({**member, "name": row.full_name if isinstance(row, Person) else row.name,
                      "birth_year": row.birth_year, "hometown": row.hometown, "unit_text": row.unit_text,
                      "unit_chain": chain, "death_date": row.death_date,
                      "death_place": getattr(row, "death_place", None)})
    return found


def _stored(session: Session, member: dict[str, Any]) -> ListEntry | Person | Grave | None:
    if member["kind"] == "entry":
        return session.get(ListEntry, (member["source"], member["row"]))
    if member["kind"] == "person":
        return session.get(Person, member["id"])
    return session.get(Grave, member["id"]) if member["kind"] == "grave" else None


def unmerge(session: Session, key: str, *, note: str | None, actor: str) -> str:
    """Take a record out of its cluster into one of its own, and keep it apart from every
    record it leaves (a ``different`` decision on each pair, which later runs follow).
    Returns the new cluster's id.

    Raises:
        NotFoundError: the record is in no cluster with others.
    """
    members = cluster_of(session, key)
    if len(members) < 2:
        raise NotFoundError(f"{key} is not joined with any other record.")
    now = utc_now()
    for other in members:
        if other == key:
            continue
        left, right = sorted((key, other))
        pair = session.scalar(select(LinkPair).where(LinkPair.left == left, LinkPair.right == right))
        if pair is None:
            pair = LinkPair(left=left, right=right, probability=0.0, match_weight=0.0, fields=[])
            session.add(pair)
        pair.status, pair.note, pair.decided_by, pair.decided_at, pair.updated_at = (
            "different", note, actor[:100], now, now)
    old = session.scalar(select(LinkMember.cluster_id).where(LinkMember.record == key))
    new = cluster_id([key])
    person = key.removeprefix("person:") if key.startswith("person:") else None
    session.add(LinkCluster(id=new, size=1, updated_at=now, person_id=person))
    session.flush()
    session.execute(update(LinkMember).where(LinkMember.record == key).values(cluster_id=new))
    session.execute(update(LinkCluster).where(LinkCluster.id == old).values(size=len(members) - 1))
    record_event(session, actor=actor, action="link.unmerge", subject=key,
                 details={"cluster": old, "others": [m for m in members if m != key], "note": note})
    return new
