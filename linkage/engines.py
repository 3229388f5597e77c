"""Where Splink runs: DuckDB in this process (the default), or Spark (local mode here,
a cluster in production) for when one machine is not enough."""

from __future__ import annotations

import tempfile
from typing import Literal

import duckdb
from splink.internals.database_api import DatabaseAPISubClass

from linkage.errors import EngineUnavailableError

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")


def open_engine(engine: Engine, *, spark_master: str = "local[2]", work_dir: str | None = None,
                memory_limit: str = "6GB") -> DatabaseAPISubClass:
    """A Splink database API for ``engine``: DuckDB holding at most ``memory_limit`` in
    memory, or Spark, started (or joined) here; each keeps what spills over, or its
    checkpoints, under ``work_dir`` (a temporary folder by default)."""
    if engine == "spark":
        try:
            from pyspark.sql import SparkSession  # Spark is needed only when asked for
            from splink.backends.spark import SparkAPI, similarity_jar_location
        except ImportError:
            raise EngineUnavailableError("The Spark engine needs pyspark (pip install 'phienhieu[spark]') "
                                         "and Java 17 or later.") from None

        # Splink's string similarities (Jaro–Winkler) are Spark functions in its own jar.
        session = (SparkSession.builder.master(spark_master).appName("phienhieu-linkage")
                   .config("spark.jars", similarity_jar_location())
                   .config("spark.sql.shuffle.partitions", "8").config("spark.ui.enabled", "false")
                   .getOrCreate())
        session.sparkContext.setCheckpointDir(work_dir or tempfile.mkdtemp(prefix="phienhieu-spark-"))
        return SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]
    from splink.backends.duckdb import DuckDBAPI

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")  # else DuckDB draws on the terminal
    connection.execute(f"SET temp_directory = '{work_dir or tempfile.mkdtemp(prefix='phienhieu-duckdb-')}'")
    connection.execute(f"SET memory_limit = '{memory_limit}'")  # beyond it, DuckDB spills to disk
    return DuckDBAPI(connection=connection)
