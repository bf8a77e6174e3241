"""Writing a backup of the whole database: every table of :data:`mapapp.store.schema.metadata`.

Two kinds of backup file:

- ``sqlite``: an SQLite database holding mapapp's tables. An SQLite store is copied with
  SQLite's online backup API (one step, so one consistent snapshot while the server keeps
  writing). It is also the *portable* format: it restores into SQLite or PostgreSQL, row by
  row, and ``backup(..., portable=True)`` writes it from PostgreSQL (every table read in one
  REPEATABLE READ, READ ONLY transaction).
- ``pg_dump``: a PostgreSQL custom-format archive of mapapp's tables, taken by ``pg_dump`` in
  the very snapshot in which the rows are counted; it restores into PostgreSQL only.

Neither backup nor restore writes anything of its own into the database (no meta row, no
audit entry), so a restore gives back exactly what was copied; an SQLite backup file
describes itself in an extra ``mapapp_backup`` table, which is never restored.
:func:`mapapp.store.table_fingerprints.table_fingerprints` gives, per table, the row count and a
checksum that agree across the two backends, to prove it. Restoring is :mod:`mapapp.store.restore`.
"""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from mapapp import clock
from mapapp.store import schema
from mapapp.store.backend import Store
from mapapp.store.backup_files import (
    FORMAT_VERSION,
    INFO_TABLE,
    PG_DUMP,
    SQLITE,
    BackupError,
    BackupSummary,
    _copy_rows,
    _sqlite_engine,
    _tables,
)
from mapapp.store.pg_tools import _libpq, _quote, _run, _server_major, find_pg_tool


def backup(store: Store, path: str | os.PathLike, portable: bool = False) -> BackupSummary:
    """Write a consistent copy of every table to ``path``, a new file, while others keep writing.

    SQLite stores give an ``sqlite`` file; PostgreSQL stores a ``pg_dump`` archive, or an
    ``sqlite`` file with ``portable``. The file appears only once complete.
    Raises :class:`BackupError` when ``path`` exists or its folder does not, for another
    database backend, or when ``pg_dump`` is missing, older than the server, or fails.
    """
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} already exists: give the backup a new file name (a backup never overwrites a file)")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist")
    backend = store.engine.dialect.name
    if backend not in (SQLITE, "postgresql"):
        raise BackupError(f"backup of {backend} databases is not supported (SQLite and PostgreSQL are)")
    fd, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(fd)
    partial = Path(partial_name)
    try:
        if backend == SQLITE:
            _online_backup(store, partial)
            fmt, tables = SQLITE, _label_copy(partial, store)
        elif portable:
            partial.unlink()
            _copy_from_postgres(store, partial)
            fmt, tables = SQLITE, _label_copy(partial, store)
        else:
            fmt, tables = PG_DUMP, _pg_dump(store, partial)
        if target.exists():
            raise BackupError(f"{target} appeared while the backup ran: give the backup a new file name")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(target, fmt, tables)


def _online_backup(store: Store, out: Path) -> None:
    """SQLite's online backup API in one step: one read transaction, so one snapshot."""
    source = store.engine.raw_connection()
    try:
        copy = sqlite3.connect(out)
        try:
            source.driver_connection.backup(copy, pages=-1)
        finally:
            copy.close()
    finally:
        source.close()


def _copy_from_postgres(store: Store, out: Path) -> None:
    """Every mapapp table read in one REPEATABLE READ, READ ONLY transaction into a new SQLite file."""
    copy = _sqlite_engine(out, read_only=False)
    try:
        schema.metadata.create_all(copy)
        source = store.engine.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with source, copy.begin() as dst:
            for table in _tables():
                _copy_rows(source, dst, table, [c.name for c in table.columns])
            source.rollback()
    finally:
        copy.dispose()


def _label_copy(out: Path, store: Store) -> dict[str, int]:
    """Describe an SQLite backup in its own ``mapapp_backup`` table; return its rows per mapapp table.

    The copy leaves WAL mode so that it is one self-contained file.
    """
    con = sqlite3.connect(out)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {t.name: con.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] for t in _tables() if t.name in present}
        info = {
            "format_version": FORMAT_VERSION,
            "made_at": clock.stamp(),
            "source_backend": store.engine.dialect.name,
            "source": store.engine.url.render_as_string(hide_password=True),
            "tables": json.dumps(sorted(counts)),
        }
        with con:
            con.execute(f'CREATE TABLE "{INFO_TABLE}" (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
            con.executemany(f'INSERT INTO "{INFO_TABLE}" VALUES (?, ?)', list(info.items()))
        return counts
    finally:
        con.close()


def _pg_dump(store: Store, out: Path) -> dict[str, int]:
    """``pg_dump --format=custom`` of mapapp's tables, in the snapshot in which they are counted."""
    conn = store.engine.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with conn:
        tool = find_pg_tool("pg_dump", _server_major(conn))
        namespace = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in _tables()}
        dsn, env = _libpq(store)
        tables = [f"--table={_quote(namespace)}.{_quote(t.name)}" for t in _tables()]
        _run(
            [str(tool), "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-privileges",
             "--strict-names", "--lock-wait-timeout=60000", f"--file={out}", *tables, f"--dbname={dsn}"],
            env,
        )
        conn.rollback()
    return counts
