"""Schema migrations (Alembic), run by mapapp itself on both backends.

:func:`upgrade` brings any mapapp database to the newest schema: a new one is created, one made
before migrations existed is brought to the baseline and stamped, a current one is left alone.
It runs under the store's write lock, so two app processes starting together migrate once.
Each schema change is a new file in ``mapapp/store/migrations/versions``; a test checks that
the migrated schema equals :mod:`mapapp.store.schema`, so a change without its migration fails.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from mapapp.store import spatial  # noqa: F401  (teaches reflection PostGIS's geometry type)
from mapapp.store.db import write_transaction
from mapapp.store.search_index import is_index_object

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# PostGIS's own tables live beside mapapp's; they are not mapapp's to migrate
FOREIGN_TABLES = frozenset({"spatial_ref_sys"})
# The spatial indexes differ per backend, so mapapp.store.schema (one schema for both) does not
# declare them; migration 0002_spatial_index makes them: SQLite's R*Tree tables (and their
# _node/_rowid/_parent shadow tables), PostGIS's generated geometry column and its GiST index.
SPATIAL_TABLE_PREFIX = "rtree_"
SPATIAL_COLUMNS = frozenset({"geom_pg"})
SPATIAL_INDEX_PREFIX = "gix_"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter (for autogenerate and drift checks): everything but :data:`FOREIGN_TABLES`,
    the backend-specific spatial indexes (R*Tree tables, ``geom_pg``, GiST indexes) and the search
    index (made by its migration per backend, not described in the schema)."""
    if is_index_object(type_, name):
        return False
    if type_ == "table":
        return name not in FOREIGN_TABLES and not name.startswith(SPATIAL_TABLE_PREFIX)
    if type_ == "column":
        return name not in SPATIAL_COLUMNS
    if type_ == "index":
        return not (name or "").startswith(SPATIAL_INDEX_PREFIX)
    return True


def _config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision id in ``migrations/versions``."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current(conn: Connection) -> str | None:
    """The revision a database is at (None: new, or made before migrations existed)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Migrate the database to :func:`head`; True when something was run.

    Raises what the migration raises (the transaction is rolled back), or
    :class:`mapapp.errors.StoreBusy` when another writer holds the lock too long.
    """
    if _at_newest_file(engine):
        return False
    from alembic import command

    with engine.connect() as conn:
        if current(conn) == head():
            return False
    with write_transaction(engine) as conn:
        if current(conn) == head():  # another process migrated meanwhile
            return False
        command.upgrade(_config(conn), "head")
    return True


def newest_file() -> str:
    """The revision of the newest migration file, by its name: each file is named after its revision
    (``0011_conflict_counts_index.py`` holds revision ``0011_conflict_counts_index``), numbered in order."""
    return max(path.stem for path in (MIGRATIONS / "versions").glob("[0-9]*.py"))


def _at_newest_file(engine: Engine) -> bool:
    """Whether the database is at :func:`newest_file`'s revision, read with one query: what every process
    start asks, answered without loading Alembic and every migration script (a tenth of a second or more of
    a command's start). False (ask Alembic) for anything else: a new database, an older one, no such table."""
    try:
        with engine.connect() as conn:
            stamped = [row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    except DBAPIError:
        return False
    return stamped == [newest_file()]
