"""The registry store on real databases: round trips, idempotence, all-or-nothing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from archive.db import make_engine
from archive.migrate import upgrade_database
from archive.registry_store import export_registry, import_registry, load_registry, registry_revision
from decoder.errors import InvalidRegistryError
from tests.factories import code, document, event, parent, sample_units, unit


def test_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"units", "unit_aliases", "unit_parents", "unit_codes", "unit_events",
            "registry_meta", "alembic_version"} <= tables


def test_migrations_are_safe_to_repeat_concurrently(engine: Engine) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            upgrade_database(make_engine(engine.url.render_as_string(hide_password=False)))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_runs_in_wal_mode(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_import_then_load_gives_the_same_document(sessions: sessionmaker[Session]) -> None:
    original = document(*sample_units())
    with sessions.begin() as session:
        report = import_registry(session, document=original)
    assert (report.created, report.updated, report.unchanged, report.revision) == (
        len(original.units), 0, 0, 1)
    with sessions() as session:
        loaded = load_registry(session)
    assert loaded == document(*sorted(sample_units(), key=lambda u: u["id"]))


def test_import_is_idempotent(sessions: sessionmaker[Session]) -> None:
    original = document(*sample_units())
    with sessions.begin() as session:
        import_registry(session, document=original)
    with sessions.begin() as session:
        again = import_registry(session, document=original)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(original.units))
    with sessions() as session:
        assert registry_revision(session) == 1


def test_a_unit_is_replaced_with_its_relations(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        import_registry(session, document=document(*sample_units()))
    changed = unit("f308-e88", "regiment", "88", "Trung đoàn 88", parents=[parent("f308", "1950")],
                   codes=[code("99999 QT", "mailbox", "1968", "1969")],
                   events=[event("Mậu Thân", "1968", "1968")])
    with sessions.begin() as session:
        report = import_registry(session, document=document(changed))
    assert (report.created, report.updated, report.revision) == (0, 1, 2)
    with sessions() as session:
        stored = {u.id: u for u in load_registry(session).units}
    assert [c.code for c in stored["f308-e88"].codes] == ["99999 QT"]
    assert [e.title for e in stored["f308-e88"].events] == ["Mậu Thân"]
    assert "f304-e66" in stored  # units not in the file are kept


def test_parent_defined_later_in_the_file(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        import_registry(session, document=document(
            unit("e1", "regiment", "1", "E1", parents=[parent("f1")]),
            unit("f1", "division", "1", "F1")))
    with sessions() as session:
        assert [u.id for u in load_registry(session).units] == ["e1", "f1"]


@pytest.mark.parametrize("bad", [
    [unit("e1", "regiment", "1", "E1", parents=[parent("nowhere")])],
    [unit("a", "division", "1", "A", parents=[parent("b")]),
     unit("b", "corps", "1", "B", parents=[parent("a")])],
    [unit("x", "regiment", "1", "X", codes=[code("47120 HN", "mailbox", "1971", "1973")])],
])
def test_an_invalid_file_changes_nothing(sessions: sessionmaker[Session], bad: list[dict[str, object]]
                                         ) -> None:
    with sessions.begin() as session:
        import_registry(session, document=document(*sample_units()))
    with sessions() as session:
        before = load_registry(session)
    with pytest.raises(InvalidRegistryError) as raised, sessions.begin() as session:
        import_registry(session, document=document(*sample_units()[:2], *bad))
    assert raised.value.problems
    with sessions() as session:
        assert load_registry(session) == before
        assert registry_revision(session) == 1


def test_export_import_round_trip(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        import_registry(session, document=document(*sample_units()))
    with sessions() as session:
        exported = export_registry(session)
    with sessions.begin() as session:
        report = import_registry(session, document=exported)
    assert (report.created, report.updated) == (0, 0)


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from archive import migrate

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == migrate.SCHEMA_HEAD


def test_schema_version_after_upgrade(engine: Engine) -> None:
    from archive.migrate import SCHEMA_HEAD, schema_version

    assert schema_version(engine) == SCHEMA_HEAD
