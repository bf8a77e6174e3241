"""Schema migrations (mapapp.store.migrate): new databases, databases from before migrations, drift."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from mapapp.store import migrate, schema
from mapapp.store.backend import Store
from tests.conftest import empty_database

PG_URL = os.environ.get("MAPAPP_TEST_POSTGRES")
BACKENDS = ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="no PostgreSQL: set MAPAPP_TEST_POSTGRES")])]


@pytest.fixture(params=BACKENDS)
def empty_store(request, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'm.sqlite'}" if request.param == "sqlite" else PG_URL)
    empty_database(store.engine)
    yield store
    empty_database(store.engine)
    store.engine.dispose()


def test_a_new_database_is_migrated_to_the_head_and_matches_the_schema(empty_store):
    assert migrate.upgrade(empty_store.engine) is True
    with empty_store.engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        # every change of mapapp.store.schema needs its migration: none is missing
        assert compare_metadata(MigrationContext.configure(conn, opts={"include_object": migrate.include_object}), schema.metadata) == []
    assert migrate.upgrade(empty_store.engine) is False


def test_a_database_from_before_migrations_keeps_its_rows_and_gets_new_columns(empty_store):
    # as mapapp made them before migrations: create_all, and a column added later missing
    engine = empty_store.engine
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE lots DROP COLUMN changed_by"))
        conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('made_by', 'an older mapapp')"))
    empty_store.init_schema()
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        assert "changed_by" in {c["name"] for c in sa.inspect(conn).get_columns("lots")}
        assert conn.execute(sa.text("SELECT value FROM meta WHERE key = 'made_by'")).scalar_one() == "an older mapapp"
        assert compare_metadata(MigrationContext.configure(conn, opts={"include_object": migrate.include_object}), schema.metadata) == []


def test_each_migration_file_is_named_after_its_revision_and_the_newest_is_the_head():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate._config())
    assert {s.revision: s.path.rsplit("/", 1)[-1] for s in scripts.walk_revisions()} == {
        p.stem: p.name for p in (migrate.MIGRATIONS / "versions").glob("[0-9]*.py")}
    assert migrate.newest_file() == migrate.head()


def test_a_database_at_the_newest_revision_is_known_so_by_one_query(empty_store):
    engine = empty_store.engine
    assert not migrate._at_newest_file(engine)  # no alembic_version table yet: Alembic is asked
    with engine.begin() as conn:  # Alembic's stamp, as upgrade leaves it (made here: migrating costs a second)
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": migrate.newest_file()})
    assert migrate._at_newest_file(engine)
    assert migrate.upgrade(engine) is False
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0010_lot_readiness'"))
    assert not migrate._at_newest_file(engine)  # an older database: Alembic is asked (and migrates it)
