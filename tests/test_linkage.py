"""Linkage end to end on DuckDB: a generated world linked better than the simple rule,
namesakes never joined silently, officers' decisions kept run after run, person records
and graves linked with list entries. Every name here is invented."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from archive.grave_schema import CemeteryRecord, GraveRecord
from archive.person_schema import PersonRecord
from bench.linkage_world import baseline_clusters, pairwise_scores, read_truth, write_world
from decoder.errors import NotFoundError
from usecases.graves import save_cemetery, save_grave
from usecases.linkage import decide_pair, export_clusters, pairs_for_review, run_linkage, unmerge_record
from usecases.lists import import_list_file
from usecases.persons import save_person

LIMIT = 10**8
HEADER = "Họ và tên,Năm sinh,Quê quán,Đơn vị,Ngày hy sinh,Nơi hy sinh\n"


def import_text(sessions: sessionmaker[Session], folder: Path, source: str, rows: str) -> None:
    path = folder / f"{source}.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    assert not import_list_file(path, source, sessions=sessions, actor="test", max_bytes=LIMIT).problems


def clusters_of(sessions: sessionmaker[Session]) -> list[set[str]]:
    return [{f"{m['source']}:{m['row']}" if m["kind"] == "entry" else f"{m['kind']}:{m['id']}"
             for m in cluster["members"]} for cluster in export_clusters(sessions=sessions)["clusters"]]


def together(sessions: sessionmaker[Session], *keys: str) -> bool:
    return any(set(keys) <= cluster for cluster in clusters_of(sessions))


def test_a_generated_world_is_linked_far_better_than_the_simple_rule(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    world = write_world(tmp_path, persons=500, lists=3, seed=11)
    for path in world.lists:
        import_list_file(path, path.stem, sessions=sessions, actor="test", max_bytes=LIMIT)
    heard: list[tuple[str, int, int]] = []
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(scratch))
        run = run_linkage(sessions=sessions, actor="test", progress=lambda *step: heard.append(step))
    assert run.records == world.entries
    assert not list(scratch.iterdir())  # the engine's work folder went with the run
    steps = list(dict.fromkeys(step for step, _, _ in heard))
    assert steps == ["reading", "training", "scoring", "clustering", "storing"]
    assert [done for step, done, _ in heard if step == "scoring"] == [0, 1]  # one chunk, then done
    exported = export_clusters(sessions=sessions)
    members = [m for cluster in exported["clusters"] for m in cluster["members"]]
    assert len(members) == len({(m["source"], m["row"]) for m in members}) == world.entries  # each once
    truth = read_truth(world.truth)
    found = [{f"{m['source']}:{m['row']}" for m in cluster["members"]} for cluster in exported["clusters"]]
    scores = pairwise_scores(found, truth)
    baseline = pairwise_scores(baseline_clusters(world), truth)
    assert scores.precision >= 0.97
    assert scores.recall >= 0.95
    assert scores.f1 > baseline.f1 + 0.15


def background(sessions: sessionmaker[Session], folder: Path) -> None:
    """Lists of other men for the model to learn from, as any office has."""
    world = write_world(folder / "world", persons=300, lists=2, seed=3)
    for path in world.lists:
        import_list_file(path, path.stem, sessions=sessions, actor="test", max_bytes=LIMIT)


def test_namesakes_wait_for_an_officer_and_decisions_outlive_every_run(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    background(sessions, tmp_path)
    place = '"xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc"'
    import_text(sessions, tmp_path, "a", f"Nguyễn Văn Thắng,1950,{place},c3 d2 e7 f950,15/4/1974,Quảng Trị\n"
                                         f"Trần Văn Bình,1948,{place},c1 d1 e9 f304,2/3/1972,Quảng Trị\n")
    import_text(sessions, tmp_path, "b", f"Nguyễn Văn Thắng,1950,{place},c3 d2 e7 f950,3/9/1968,Quảng Trị\n"
                                         f"Tran Van Binh,1948,Yên Phong - Bắc Ninh,C1D1E9F304,03/72,\n")
    run_linkage(sessions=sessions, actor="test")
    assert not together(sessions, "a:1", "b:1"), "all alike but the death dates: never joined silently"
    assert together(sessions, "a:2", "b:2")
    queue = pairs_for_review(sessions=sessions, limit=50, offset=0)
    sides = {("a", 1), ("b", 1)}
    pair = next(p for p in queue["pairs"]
                if {(p[side].get("source"), p[side].get("row")) for side in ("left", "right")} == sides)
    death = next(field for field in pair["fields"] if field["field"] == "death_date")
    assert (death["left"], death["right"], death["level"]) == ("1974-04-15", "1968-09-03", "different")
    assert death["weight"] < 0
    decide_pair(pair["id"], "same", note="the family's letters say so", sessions=sessions, actor="officer")
    assert together(sessions, "a:1", "b:1")
    run_linkage(sessions=sessions, actor="test")
    assert together(sessions, "a:1", "b:1"), "a decision is never undone by a run"
    decide_pair(pair["id"], "different", note="two men after all", sessions=sessions, actor="officer")
    run_linkage(sessions=sessions, actor="test")
    assert not together(sessions, "a:1", "b:1")
    waiting = pairs_for_review(sessions=sessions, limit=200, offset=0)["pairs"]
    assert all(p["id"] != pair["id"] for p in waiting)


def test_a_person_record_a_grave_and_list_entries_are_one_cluster(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    background(sessions, tmp_path)
    save_person(PersonRecord.model_validate({
        "id": "p-thang", "full_name": "Nguyễn Văn Thắng", "birth_year": 1950, "hometown": "Yên Phong, Hà Bắc",
        "unit_text": "c3 d2 e7 f950", "death_date": "1974-04-15"}), sessions=sessions, actor="test")
    save_cemetery(CemeteryRecord.model_validate({"id": "nt-1", "name": "Nghĩa trang thử"}), sessions=sessions,
                  actor="test")
    save_grave(GraveRecord.model_validate({
        "id": "g-1", "cemetery": "nt-1", "number": "1", "status": "named", "name": "Nguyễn Văn Thắng",
        "birth_year": 1950, "hometown": "Bắc Ninh", "unit_text": "e7 f950", "death_date": "1974-04-15"}),
        sessions=sessions, actor="test")
    import_text(sessions, tmp_path, "a", "Nguyen Van Thang,1950,Yên Phong - Hà Bắc,C3D2E7F950,15/4/74,\n"
                                         "Lê Thị Hoa,1952,Thanh Hoá,,,\n")
    run_linkage(sessions=sessions, actor="test")
    assert together(sessions, "person:p-thang", "grave:g-1", "a:1")
    exported = export_clusters(sessions=sessions)
    cluster = next(c for c in exported["clusters"] if {"kind": "grave", "id": "g-1"} in c["members"])
    assert cluster["person_id"] == "p-thang"
    assert {"kind": "entry", "source": "a", "row": 1} in cluster["members"]


def test_a_decision_on_an_unknown_pair_is_not_found(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(NotFoundError):
        decide_pair(12345, "same", note=None, sessions=sessions, actor="officer")
    assert run_linkage(sessions=sessions, actor="test").records == 0  # nothing to link is no error


def test_a_record_taken_out_of_its_cluster_stays_out(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    background(sessions, tmp_path)
    import_text(sessions, tmp_path, "a", "Lê Văn Tám,1950,\"Yên Phong, Hà Bắc\",c3 d2 e7 f950,15/4/1974,\n")
    import_text(sessions, tmp_path, "b", "Le Van Tam,1950,Yên Phong - Hà Bắc,C3D2E7F950,04/74,\n")
    import_text(sessions, tmp_path, "c", "LÊ VĂN TÁM,1950,Bắc Ninh,e7 f950,1974,\n")
    run_linkage(sessions=sessions, actor="test")
    assert together(sessions, "a:1", "b:1", "c:1")
    unmerged = unmerge_record("entry:c:1", note="another man: his mother's letter", sessions=sessions,
                              actor="officer")
    assert unmerged["record"] == {"kind": "entry", "source": "c", "row": 1}
    assert together(sessions, "a:1", "b:1")
    assert not together(sessions, "a:1", "c:1")
    run_linkage(sessions=sessions, actor="test")
    assert together(sessions, "a:1", "b:1")
    assert not together(sessions, "a:1", "c:1"), "a later run follows the unmerge"
    with pytest.raises(NotFoundError):
        unmerge_record("entry:c:1", note=None, sessions=sessions, actor="officer")
