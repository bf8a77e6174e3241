"""Engine creation and write transactions: one place that knows SQLite from PostgreSQL."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from mapapp.errors import StoreBusy
from mapapp.store import json_text
from mapapp.store.figure_versions import SCOPE_KEY

# Writers wait this long for the write lock before the request is answered 503 (Retry-After).
BUSY_TIMEOUT_S = 15
# PostgreSQL: one advisory lock serialises writers as SQLite's write lock does, so a write's
# read-check-write (and the conflicts it recomputes) never interleaves with another's.
WRITE_LOCK_KEY = 0x6D617061  # "mapa"


def make_engine(url: str) -> Engine:
    """Create an engine (JSON columns written by :func:`mapapp.store.json_text.dumps`); for SQLite, make the
    folder and turn on foreign keys, WAL and a busy timeout.

    SQLite ignores foreign keys unless asked per connection; WAL lets the map keep reading
    while an import writes. SQLAlchemy emits BEGIN itself so that a write transaction can
    take the write lock at once (``BEGIN IMMEDIATE``) instead of upgrading a read lock
    mid-way, which fails at once with "database is locked" under concurrent writers.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, json_serializer=json_text.dumps)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, json_serializer=json_text.dumps)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if parsed.database and parsed.database != ":memory:":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("mapapp_write") else "BEGIN")

    return engine


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction holding the database's write lock from its first statement.

    Raises :class:`mapapp.errors.StoreBusy` when the lock cannot be had in time (the
    web answers 503 with Retry-After); any other error rolls the whole write back.
    """
    try:
        with engine.connect() as conn:
            conn.execution_options(mapapp_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # as SQLite's busy timeout: wait this long for the lock, then StoreBusy (never forever)
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
                conn.info.pop(SCOPE_KEY, None)  # a failed write's declared zones are not this one's
                yield conn
    except OperationalError as exc:
        # SQLite: "database is locked" / "busy"; PostgreSQL: lock_timeout ran out (SQLSTATE 55P03)
        if getattr(exc.orig, "sqlstate", None) == "55P03" or any(w in str(exc).lower() for w in ("locked", "busy")):
            raise StoreBusy("the database is busy with another change; try again in a few seconds") from exc
        raise
