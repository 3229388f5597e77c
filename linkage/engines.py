"""Where Splink runs: DuckDB in this process (the default), or Spark (local mode here,
a cluster in production) for when one machine is not enough."""

from __future__ import annotations

from typing import Literal

from splink.internals.database_api import DatabaseAPISubClass

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")


def open_engine(engine: Engine, *, spark_master: str = "local[2]") -> DatabaseAPISubClass:
    """A Splink database API for ``engine``; Spark is started (or joined) here."""
    if engine == "spark":
        from pyspark.sql import SparkSession  # Spark is needed only when asked for
        from splink.backends.spark import SparkAPI

        session = (SparkSession.builder.master(spark_master).appName("phienhieu-linkage")
                   .config("spark.sql.shuffle.partitions", "8").config("spark.ui.enabled", "false")
                   .getOrCreate())
        return SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]
    from splink.backends.duckdb import DuckDBAPI

    return DuckDBAPI()
