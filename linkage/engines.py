"""Where Splink runs: DuckDB in this process (the default), or Spark (local mode here,
a cluster in production) for when one machine is not enough."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from splink.internals.database_api import DatabaseAPISubClass

from linkage.errors import EngineUnavailableError

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")


#: Where a Spark session keeps the tables handed to it (see :func:`register_table`).
_SPARK_WORK_DIR = "spark.phienhieu.workDir"


def open_engine(engine: Engine, *, spark_master: str = "local[2]", work_dir: str | None = None,
                memory_limit: str = "6GB", spark_memory: str = "4g") -> DatabaseAPISubClass:
    """A Splink database API for ``engine``: DuckDB holding at most ``memory_limit`` in
    memory, or Spark, started (or joined) here with a driver of ``spark_memory`` (in local
    mode the driver does the work); each keeps what spills over, its checkpoints and the
    tables it is handed under ``work_dir`` (a temporary folder by default)."""
    if engine == "spark":
        try:
            from pyspark.sql import SparkSession  # Spark is needed only when asked for
            from splink.backends.spark import SparkAPI, similarity_jar_location
        except ImportError:
            raise EngineUnavailableError("The Spark engine needs pyspark (pip install 'phienhieu[spark]') "
                                         "and Java 17 or later.") from None

        folder = work_dir or tempfile.mkdtemp(prefix="phienhieu-spark-")
        # Splink's string similarities (Jaro–Winkler) are Spark functions in its own jar.
        session = (SparkSession.builder.master(spark_master).appName("phienhieu-linkage")
                   .config("spark.jars", similarity_jar_location())
                   .config("spark.driver.memory", spark_memory)
                   .config("spark.sql.shuffle.partitions", "8").config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")  # its bars would cover the terminal
                   .getOrCreate())
        session.conf.set(_SPARK_WORK_DIR, folder)
        session.sparkContext.setCheckpointDir(folder)
        return SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]
    from splink.backends.duckdb import DuckDBAPI

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")  # else DuckDB draws on the terminal
    connection.execute(f"SET temp_directory = '{work_dir or tempfile.mkdtemp(prefix='phienhieu-duckdb-')}'")
    connection.execute(f"SET memory_limit = '{memory_limit}'")  # beyond it, DuckDB spills to disk
    return DuckDBAPI(connection=connection)


def register_table(api: DatabaseAPISubClass, table: pa.Table, name: str) -> Any:
    """``table`` registered with ``api`` as ``name``. DuckDB reads it where it lies in
    memory. Spark is handed a Parquet file in its work folder: given the table itself, it
    ships every row to its executors inside one task, and its driver ran out of memory
    at 200,000 records."""
    spark = getattr(api, "spark", None)
    if spark is None:
        return api.register(table, dataset_display_name=name)
    path = Path(spark.conf.get(_SPARK_WORK_DIR)) / f"{name}-{uuid.uuid4().hex}.parquet"
    pq.write_table(table, path)
    return api.register(spark.read.parquet(str(path)), dataset_display_name=name)
