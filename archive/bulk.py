"""Many new rows into one table at once: PostgreSQL's ``COPY`` where the database is
PostgreSQL (psycopg 3), one ``executemany`` elsewhere.

Values go through each column's own type first (a JSON document serialised, an instant
put in UTC), as an ``INSERT`` would send them; a row that breaks a constraint fails the
whole call with SQLAlchemy's ``IntegrityError``, as an ``INSERT`` would. Rows already
written in ``COPY``'s text format (:mod:`archive.grave_lines`) go to PostgreSQL as they
are (:func:`copy_text`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def copies_text(session: Session) -> bool:
    """Whether the session's database takes rows as ``COPY`` text (:func:`copy_text`)."""
    connection = session.connection()
    return connection.dialect.name == "postgresql" and isinstance(
        connection.connection.driver_connection, psycopg.Connection)


def copy_text(session: Session, model: Any, names: Sequence[str], data: str) -> None:
    """Insert rows given in ``COPY``'s text format (a line each, ``names``' values in order,
    tab-separated) into a mapped class's table, in the caller's transaction; PostgreSQL
    only (:func:`copies_text`).

    Raises:
        IntegrityError: a row breaks a unique, foreign-key or other constraint.
    """
    connection = session.connection()
    preparer = connection.dialect.identifier_preparer
    statement = (f"COPY {preparer.format_table(model.__table__)} "
                 f"({', '.join(preparer.quote(name) for name in names)}) FROM STDIN")
    driver = connection.connection.driver_connection
    if not isinstance(driver, psycopg.Connection):
        raise TypeError("COPY text needs PostgreSQL through psycopg 3")
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(data)
    except psycopg.errors.IntegrityError as error:
        raise IntegrityError(statement, None, error) from None


def insert_rows(session: Session, model: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` of a mapped class (each row with the same keys, every column it
    sets) in the caller's transaction.

    Raises:
        IntegrityError: a row breaks a unique, foreign-key or other constraint.
    """
    if not rows:
        return
    table = model.__table__
    connection = session.connection()
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    if dialect.name != "postgresql" or not isinstance(driver, psycopg.Connection):
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    processors = [(place, process) for place, name in enumerate(names)
                  if (process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))]
    quote = dialect.identifier_preparer.quote
    statement = (f"COPY {dialect.identifier_preparer.format_table(table)} "
                 f"({', '.join(quote(name) for name in names)}) FROM STDIN")
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row[name] for name in names]
                for place, process in processors:  # most columns need none
                    if values[place] is not None:
                        values[place] = process(values[place])
                copy.write_row(values)
    except psycopg.errors.IntegrityError as error:
        raise IntegrityError(statement, None, error) from None


def refresh_statistics(session: Session, model: Any) -> None:
    """Have PostgreSQL's planner count a mapped class's table again (``ANALYZE``) after a
    bulk load grew it. Until autovacuum comes round, the planner takes the table for as
    small as when it last looked and reads the whole of it for each batch's lookup by id:
    a second import of 50,000 graves took 46 s instead of 12. Nothing on other databases;
    a database user who does not own the table gets a warning from PostgreSQL, no error.
    """
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {dialect.identifier_preparer.format_table(model.__table__)}"))
