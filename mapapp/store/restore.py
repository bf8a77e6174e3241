"""Restoring a backup (:mod:`mapapp.store.backup`) over the whole database, in one transaction.

An ``sqlite`` backup restores into SQLite or PostgreSQL row by row; a ``pg_dump`` archive into
PostgreSQL by ``pg_restore`` and ``psql``. Nothing of the restore's own is written (no meta row,
no audit entry), so the database holds exactly what was copied; the backup file's
``mapapp_backup`` table is never restored.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, Integer, delete, func, inspect, select
from sqlalchemy.exc import DatabaseError, DBAPIError

from mapapp.store.backend import Store
from mapapp.store.backup_files import (
    INFO_TABLE,
    PG_DUMP,
    REQUIRED_TABLES,
    SQLITE,
    BackupError,
    RestoreSummary,
    _copy_rows,
    _sqlite_engine,
    _tables,
)
from mapapp.store.pg_tools import _first_line, _libpq, _qualified, _run, _server_major, find_pg_tool


def restore(store: Store, path: str | os.PathLike, force: bool = False) -> RestoreSummary:
    """Replace the whole content of the database with the backup at ``path``, in one transaction.

    An ``sqlite`` backup restores into either backend, a ``pg_dump`` archive into PostgreSQL.
    Afterwards the schema is brought up to date and ids continue after the highest restored one.
    Raises :class:`BackupError`, changing nothing, when the database holds rows and ``force`` is
    false, when the file is not a mapapp backup, comes from the other backend (``pg_dump`` into
    SQLite), or holds tables or columns this version of mapapp does not know.
    """
    source = Path(path)
    fmt = identify(source)
    backend = store.engine.dialect.name
    if fmt == PG_DUMP and backend != "postgresql":
        raise BackupError(
            f"{source} is a PostgreSQL backup (pg_dump archive) and restores only into PostgreSQL; "
            "`mapapp backup --portable` on PostgreSQL writes a copy either backend restores"
        )
    store.init_schema()
    if not force:
        holding = _tables_with_rows(store)
        if holding:
            raise BackupError(
                f"the database is not empty ({', '.join(holding)} hold rows): pass --force to replace its whole content with {source}"
            )
    if fmt == SQLITE:
        tables = _restore_rows(store, source)
    else:
        tables = _restore_pg_dump(store, source)
    store.init_schema()
    return RestoreSummary(source, fmt, tables)


def identify(path: Path) -> str:
    """``sqlite`` or ``pg_dump`` from the file's first bytes (an SQLite backup is also checked for mapapp's tables).

    Raises :class:`BackupError` for a missing file or one that is not a mapapp backup.
    """
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"SQLite format 3\x00"):
        _sqlite_plan(path)
        return SQLITE
    if head.startswith(b"PGDMP"):
        return PG_DUMP
    raise BackupError(f"{path} is not a mapapp backup (neither an SQLite database nor a pg_dump archive)")


def _sqlite_plan(path: Path) -> dict[str, list[str]]:
    """The columns to read from each mapapp table of an SQLite backup; refuses what cannot be restored."""
    engine = _sqlite_engine(path, read_only=True)
    try:
        inspector = inspect(engine)
        present = set(inspector.get_table_names())
        if not REQUIRED_TABLES <= present:
            raise BackupError(f"{path} is not a mapapp backup (an SQLite database without mapapp's tables)")
        known = {t.name: t for t in _tables()}
        if INFO_TABLE in present:
            with engine.connect() as conn:
                row = conn.exec_driver_sql(f"SELECT value FROM \"{INFO_TABLE}\" WHERE key = 'tables'").first()
            listed = set(json.loads(row[0])) if row else set()
            _refuse_unknown(path, sorted(listed - set(known)), "tables")
        plan: dict[str, list[str]] = {}
        for name, table in known.items():
            if name not in present:
                continue
            columns = [c["name"] for c in inspector.get_columns(name)]
            _refuse_unknown(path, [f"{name}.{c}" for c in columns if c not in table.c], "columns")
            plan[name] = columns
        return plan
    except DatabaseError as exc:
        raise BackupError(f"{path} is not a mapapp backup (unreadable SQLite file: {exc.orig})") from exc
    finally:
        engine.dispose()


def _refuse_unknown(path: Path, unknown: Sequence[str], what: str) -> None:
    if unknown:
        raise BackupError(
            f"{path} holds {what} this version of mapapp does not know ({', '.join(unknown)}): "
            "restore it with the version that wrote it"
        )


def _restore_rows(store: Store, path: Path) -> dict[str, int]:
    """Empty every mapapp table and copy the backup's rows in, in one transaction on the store."""
    plan = _sqlite_plan(path)
    copy = _sqlite_engine(path, read_only=True)
    postgres = store.engine.dialect.name == "postgresql"
    counts: dict[str, int] = {}
    try:
        with copy.connect() as src, store.writing() as dst:
            if postgres:
                dst.exec_driver_sql("TRUNCATE " + ", ".join(_qualified(dst, t) for t in _tables()))
            else:
                for table in reversed(_tables()):
                    dst.execute(delete(table))
            for table in _tables():
                counts[table.name] = _copy_rows(src, dst, table, plan[table.name]) if table.name in plan else 0
            if postgres:
                for statement in _setval_statements(dst):
                    dst.exec_driver_sql(statement)
    except DBAPIError as exc:
        raise BackupError(f"restore failed, the database is unchanged: {_first_line(str(exc.orig))}") from exc
    finally:
        copy.dispose()
    return counts


def _restore_pg_dump(store: Store, path: Path) -> dict[str, int]:
    """``pg_restore`` of the archive's data, run by ``psql`` in one transaction with the emptying and the sequences."""
    with store.engine.connect() as conn:
        major = _server_major(conn)
        namespace = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
        truncate = "TRUNCATE " + ", ".join(_qualified(conn, t) for t in _tables()) + ";\n"
        setvals = "".join(s + ";\n" for s in _setval_statements(conn))
    pg_restore = find_pg_tool("pg_restore", major)
    psql = find_pg_tool("psql", 0)
    listing = _run([str(pg_restore), "--list", str(path)], dict(os.environ)).stdout
    entries: dict[str, tuple[str, str]] = {}  # table: (its line in the archive's listing, its schema)
    for m in re.finditer(r"^\d+; \d+ \d+ TABLE DATA (\S+) (\S+)", listing, re.M):
        entries[m.group(2)] = (m.group(0), m.group(1))
    if not REQUIRED_TABLES <= set(entries):
        raise BackupError(f"{path} is not a mapapp backup (a pg_dump archive without mapapp's tables)")
    _refuse_unknown(path, sorted(set(entries) - {t.name for t in _tables()}), "tables")
    schemas = {namespace_of for _, namespace_of in entries.values()}
    if schemas != {namespace}:
        raise BackupError(f"{path} was taken from schema {', '.join(sorted(schemas))}; this database uses schema {namespace}")
    dsn, env = _libpq(store)
    with tempfile.TemporaryDirectory(prefix="mapapp-restore-") as work:
        folder = Path(work)
        (folder / "list").write_text("".join(entries[t.name][0] + "\n" for t in _tables() if t.name in entries), encoding="utf-8")
        (folder / "before.sql").write_text(truncate, encoding="utf-8")
        (folder / "after.sql").write_text(setvals, encoding="utf-8")
        data = folder / "data.sql"
        _run([str(pg_restore), "--data-only", "--no-owner", "--no-privileges", f"--use-list={folder / 'list'}",
              f"--file={data}", str(path)], env)
        _run([str(psql), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
              f"--file={folder / 'before.sql'}", f"--file={data}", f"--file={folder / 'after.sql'}", f"--dbname={dsn}"],
             env, failure="restore failed, the database is unchanged")
    with store.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in _tables()}


def _tables_with_rows(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [t.name for t in _tables() if conn.execute(select(1).select_from(t).limit(1)).first() is not None]


def _setval_statements(conn: Connection) -> list[str]:
    """PostgreSQL: move each serial/identity sequence past the highest id its table holds."""
    statements = []
    for table in _tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer) or key[0].autoincrement is False:
            continue
        name = _qualified(conn, table)
        column = conn.dialect.identifier_preparer.quote(key[0].name)
        literal = "'" + name.replace("'", "''") + "'"
        statements.append(
            f"SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence({literal}, '{key[0].name}'), "
            f"COALESCE((SELECT max({column}) FROM {name}), 0) + 1, false)"
        )
    return statements
