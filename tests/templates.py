"""Test databases made once per session and copied: the same rows as migrating and loading for each test.

Migrating a new database and importing the hand-built dataset or the bundled sample takes 0.5–3 s; a
thousand tests doing it was most of the suite's time. Here each state (``empty``: migrated;
``files``: the hand-built dataset of :mod:`tests.builders`; ``sample``: the bundled sample) is made
once per session and per province date (imports date what they record by :func:`mapapp.clock.today`),
then:

- SQLite: the template file is copied to the test's own path (a new URL) and its data and figure versions in
  ``meta`` are renewed, so nothing kept under another test's URL or versions can be found;
- PostgreSQL (one database for the whole session, given by ``MAPAPP_TEST_POSTGRES``): the tables are
  emptied and refilled from a snapshot schema, and every data and figure version in ``meta`` is renewed,
  so that nothing kept under the snapshot's versions (in memory or in the database) is taken as current.

A state is only ever built by the loaders the tests use (:func:`kind_of`); any other loader runs as before.
"""
from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text

from mapapp import clock
from mapapp.store import figure_versions, versions
from mapapp.store.backend import Store

SNAPSHOT_PREFIX = "mapapp_test_tmpl_"
# PostGIS's own table stays; alembic_version is the schema's, not the data's
KEEP_TABLES = ("spatial_ref_sys", "alembic_version")
# what a write renews (mapapp.store.versions, mapapp.store.figure_versions): renewed after each refill
VERSION_KEYS = (f"key = 'data_version' OR key LIKE '{versions.key('')}%' "
                f"OR key IN ('{figure_versions.EPOCH}', '{figure_versions.STEPS}') OR key LIKE '{figure_versions.ZONE_PREFIX}%'")

_folder: Path | None = None
_sqlite: dict[tuple, Path] = {}
_postgres: dict[tuple, str] = {}
_postgres_head: dict[str, str] = {}


def kind_of(load: Callable | None) -> str | None:
    """The template a loader makes (``empty`` for none), or None: a loader of the test's own, run as is."""
    from mapapp.sources.sample import load_sample

    if load is None:
        return "empty"
    if load is load_sample:
        return "sample"
    return getattr(load, "template_kind", None)


def _dir() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="mapapp-templates-"))
        atexit.register(shutil.rmtree, _folder, True)
    return _folder


def copy_sqlite(kind: str, load: Callable | None, dest: Path) -> None:
    """Write the SQLite database of state ``kind`` (made by ``load`` the first time) at ``dest``."""
    if (kind == "empty") != (load is None):
        raise ValueError(f"the {kind!r} template is made {'without' if kind == 'empty' else 'with'} a loader")
    key = (kind, clock.today())
    made = _sqlite.get(key)
    if made is None:
        made = _dir() / f"{kind}-{key[1]}.sqlite"
        store = Store(f"sqlite:///{made}")
        store.init_schema()
        if load is not None:
            load(store)
        store.engine.dispose()
        with sqlite3.connect(made) as conn:  # everything in the main file: only it is copied
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _sqlite[key] = made
    shutil.copyfile(made, dest)
    with sqlite3.connect(dest) as conn:  # nothing kept under the template's versions is current here
        conn.execute(f"UPDATE meta SET value = lower(hex(randomblob(16))) WHERE {VERSION_KEYS}")
    conn.close()


def _tables(conn) -> list[str]:
    rows = conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars().all()
    return [t for t in rows if t not in KEEP_TABLES]


def _columns(conn, schema: str, table: str) -> str:
    """The table's columns a row may be given (generated ones, such as PostGIS's ``geom_pg``, are made)."""
    names = conn.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = :s AND table_name = :t "
        "AND is_generated = 'NEVER' ORDER BY ordinal_position"), {"s": schema, "t": table}).scalars().all()
    return ", ".join(f'"{n}"' for n in names)


def _at_head(engine: Engine) -> bool:
    with engine.connect() as conn:
        if conn.execute(text("SELECT to_regclass('public.alembic_version')")).scalar() is None:
            return False
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _postgres_head.get(engine.url.render_as_string(hide_password=False))


def _refill(engine: Engine, snapshot: str | None) -> None:
    """Empty mapapp's tables and fill them from ``snapshot`` (a schema; None: leave them empty), ids and
    sequences as they were; then renew the data and figure versions."""
    with engine.begin() as conn:
        tables = _tables(conn)
        conn.execute(text("TRUNCATE " + ", ".join(f'public."{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        if snapshot is not None:
            for t in _parents_first(conn, conn.execute(text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": snapshot}).scalars().all()):
                cols = _columns(conn, "public", t)
                conn.execute(text(f'INSERT INTO public."{t}" ({cols}) OVERRIDING SYSTEM VALUE '
                                  f'SELECT {cols} FROM "{snapshot}"."{t}"'))
            for table, column in conn.execute(text(
                    # CASE: the planner may test the columns of other schemas' tables before table_schema, and
                    # pg_get_serial_sequence('public.pg_proc', …) raises
                    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    "AND CASE WHEN table_schema = 'public' "
                    "THEN pg_get_serial_sequence('public.' || quote_ident(table_name), column_name) END IS NOT NULL")).all():
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('public.\"{table}\"', '{column}'), "
                    f'COALESCE((SELECT max("{column}") FROM public."{table}"), 0) + 1, false)'))
        conn.execute(text(f"UPDATE meta SET value = md5(random()::text || key) WHERE {VERSION_KEYS}"))


def _parents_first(conn, tables: list[str]) -> list[str]:
    """``tables`` ordered so that a table's foreign keys point at tables before it."""
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in conn.execute(text(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'")).all():
        child, parent = child.strip('"'), parent.strip('"')
        if child in parents and parent in parents and parent != child:
            parents[child].add(parent)
    ordered: list[str] = []
    while parents:
        ready = sorted(t for t, p in parents.items() if not p - set(ordered))
        if not ready:
            raise RuntimeError(f"foreign keys in a cycle among {sorted(parents)}")
        ordered += ready
        for t in ready:
            del parents[t]
    return ordered


def _snapshot(engine: Engine, name: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
        for t in _tables(conn):
            conn.execute(text(f'CREATE TABLE "{name}"."{t}" AS TABLE public."{t}"'))


def drop_snapshots(engine: Engine) -> None:
    """Drop every snapshot schema (a session's own at its end; a killed session's at the next start)."""
    with engine.begin() as conn:
        for name in conn.execute(text(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": SNAPSHOT_PREFIX + "%"}).scalars().all():
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def fill_postgres(store: Store, kind: str, load: Callable | None, empty_database: Callable[[Engine], None]) -> None:
    """Bring the session's PostgreSQL database to state ``kind`` (made by ``load`` the first time)."""
    url = store.engine.url.render_as_string(hide_password=False)
    if not _at_head(store.engine):
        if url not in _postgres_head:
            drop_snapshots(store.engine)
            atexit.register(drop_at_exit, url)
        empty_database(store.engine)
        store.init_schema()
        with store.engine.connect() as conn:
            _postgres_head[url] = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        for k in [k for k in _postgres if k[0] == url]:
            del _postgres[k]
        # the state right after migrating (rows the migrations write), before any other
        _snapshot(store.engine, SNAPSHOT_PREFIX + "empty")
        _postgres[(url, "empty", None)] = SNAPSHOT_PREFIX + "empty"
    key = (url, kind, None if kind == "empty" else clock.today())
    snapshot = _postgres.get(key)
    if snapshot is None:
        _refill(store.engine, _postgres[(url, "empty", None)])
        load(store)
        snapshot = f"{SNAPSHOT_PREFIX}{kind}_{key[2]:%Y%m%d}"
        _snapshot(store.engine, snapshot)
        _postgres[key] = snapshot
    _refill(store.engine, snapshot)


def drop_at_exit(url: str) -> None:
    """Drop the session's snapshot schemas in the database of ``url`` (registered with atexit)."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        drop_snapshots(engine)
    finally:
        engine.dispose()
