"""Splink on Spark (local mode) scores and clusters a generated world as Splink on DuckDB
does: the engine for when one machine is not enough gives the same answers."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from bench.linkage_world import write_world
from linkage.clusters import cluster
from linkage.engines import open_engine
from linkage.features import LinkRecord, features
from linkage.model import Records, score_pairs
from linkage.written import unit_chain, written_date


def world_records(folder: Path) -> list[LinkRecord]:
    """The rows of a small world's CSV list, read as the list import reads them."""
    world = write_world(folder, persons=150, lists=1, seed=9)
    with world.lists[0].open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    return [LinkRecord.from_written(
        f"entry:a:{number}", row["Họ và tên"], hometown=row["Nguyên quán"] or None,
        birth_year=int(row["Năm sinh"]) if row["Năm sinh"] else None, unit_chain=unit_chain(row["Đơn vị"]),
        death_date=written_date(row["Ngày hy sinh"]), death_place=row["Nơi hy sinh"] or None)
        for number, row in enumerate(rows, start=1)]


@pytest.fixture(scope="module")
def spark_work() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="spark-") as folder:
        yield folder
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


def test_spark_and_duckdb_give_the_same_clusters(tmp_path: Path, spark_work: str) -> None:
    records = world_records(tmp_path)
    records += [LinkRecord.from_written(f"entry:b:{n}", record.name.upper(), hometown=record.hometown,
                                        birth_year=record.birth_year, unit_chain=record.unit_chain)
                for n, record in enumerate(records[:60], start=1)]  # a second list copying the first
    table = Records(features(record) for record in records)
    found = {}
    for engine in ("duckdb", "spark"):
        pairs = list(score_pairs(table, open_engine(engine, work_dir=spark_work)))
        joined = [(p.left, p.right, p.probability) for p in pairs if not p.contradictions]
        found[engine] = (cluster(table.keys, joined, [], threshold=0.99).clusters,
                         {(p.left, p.right): p.probability for p in pairs})
    assert found["spark"][0] == found["duckdb"][0]
    assert sum(len(members) > 1 for members in found["duckdb"][0]) >= 55
    assert found["spark"][1].keys() == found["duckdb"][1].keys()
    spark, duckdb = found["spark"][1], found["duckdb"][1]
    gaps = sorted(abs(spark[pair] - probability) for pair, probability in duckdb.items())
    # u is estimated from a random sample of pairs, which each engine draws its own way.
    assert gaps[len(gaps) // 2] < 0.01
    assert gaps[-1] < 0.1, gaps[-10:]
