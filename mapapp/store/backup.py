"""Backup and restore of the whole database: every table of :data:`mapapp.store.schema.metadata`.

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
:func:`table_fingerprints` gives, per table, the row count and a checksum that agree across
the two backends, to prove it.
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, Integer, String, Table, create_engine, delete, func, insert, inspect, select
from sqlalchemy.exc import DatabaseError, DBAPIError

from mapapp import clock
from mapapp.errors import MapappError
from mapapp.store import schema
from mapapp.store.backend import Store

SQLITE = "sqlite"
PG_DUMP = "pg_dump"
INFO_TABLE = "mapapp_backup"
FORMAT_VERSION = "1"
BATCH = 1000
# tables every mapapp database has had: what tells a mapapp backup from another database
REQUIRED_TABLES = frozenset({"meta", *schema.layer_tables})
DEBIAN_PG_BIN = Path("/usr/lib/postgresql")


class BackupError(MapappError):
    """A backup or restore that was refused or failed; the database is as it was."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup wrote: the file, its format (``sqlite`` or ``pg_dump``) and the rows per table."""

    path: Path
    format: str
    tables: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def describe(self) -> str:
        """One line: ``12 tables, 345 rows (zones 2, lots 3, …)``."""
        return _describe(self.tables)


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore put back: the file, its format and the rows per table now in the database."""

    path: Path
    format: str
    tables: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def describe(self) -> str:
        return _describe(self.tables)


def _describe(tables: dict[str, int]) -> str:
    listed = ", ".join(f"{name} {count}" for name, count in tables.items())
    return f"{len(tables)} tables, {sum(tables.values())} rows ({listed})"


def _tables() -> list[Table]:
    """mapapp's tables, parents before the tables that refer to them."""
    return list(schema.metadata.sorted_tables)


# -- backup ---------------------------------------------------------------------------
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


# -- restore ----------------------------------------------------------------------------
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


def _copy_rows(src: Connection, dst: Connection, table: Table, columns: list[str]) -> int:
    """Copy ``columns`` of ``table`` from one connection to the other in batches; the number of rows."""
    result = src.execution_options(yield_per=BATCH).execute(select(*(table.c[c] for c in columns)))
    copied = 0
    for part in result.partitions(BATCH):
        dst.execute(insert(table), [dict(zip(columns, row)) for row in part])
        copied += len(part)
    return copied


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


# -- fingerprints ----------------------------------------------------------------------
def table_fingerprints(store: Store) -> dict[str, tuple[int, str]]:
    """Per mapapp table: (row count, SHA-256 of its rows in primary-key order).

    Values are normalised so that SQLite and PostgreSQL agree: floats by ``repr``, bytes as
    hex, JSON canonical (sorted keys), timestamps in UTC, text keys ordered by code point.
    """
    conn = store.engine.connect()
    if store.engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with conn:
        return {table.name: _fingerprint(conn, table) for table in _tables()}


def _fingerprint(conn: Connection, table: Table) -> tuple[int, str]:
    postgres = conn.dialect.name == "postgresql"
    key = [c.collate("C") if postgres and isinstance(c.type, String) else c for c in table.primary_key.columns]
    result = conn.execution_options(yield_per=BATCH).execute(select(*table.columns).order_by(*key))
    lines = (json.dumps([_normal(v) for v in row], ensure_ascii=False, separators=(",", ":")) for row in result)
    if not key:
        lines = iter(sorted(lines))
    digest = hashlib.sha256()
    count = 0
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
        count += 1
    return count, digest.hexdigest()


def _normal(value: object) -> object:
    """A stored value as JSON-ready text or number, the same whichever backend returned it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return str(value)


# -- PostgreSQL client programs -----------------------------------------------------------
def find_pg_tool(name: str, server_major: int, folders: Iterable[Path] | None = None) -> Path:
    """The newest ``name`` (``pg_dump``, ``pg_restore``, ``psql``) in Debian's per-version folders or on PATH.

    Raises :class:`BackupError` when there is none, or when the newest is older than the server
    (``pg_dump`` cannot dump a newer server).
    """
    if folders is None:
        debian = sorted(DEBIAN_PG_BIN.glob("*/bin"), key=lambda p: _numeric(p.parent.name), reverse=True)
        folders = [*debian, *(Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p)]
    found = []
    for folder in folders:
        exe = Path(folder) / name
        if exe.is_file() and os.access(exe, os.X_OK):
            version = _tool_version(exe)
            if version is not None:
                found.append((version, str(exe)))
    if not found:
        raise BackupError(f"{name} not found: install PostgreSQL's client programs (Debian: apt-get install postgresql-client)")
    version, exe = max(found)
    if version[0] < server_major:
        raise BackupError(
            f"{name} {'.'.join(map(str, version))} ({exe}) is older than the PostgreSQL {server_major} server: "
            f"install postgresql-client-{server_major} or newer (Debian: apt-get install postgresql-client-{server_major}, "
            "from the PGDG repository apt.postgresql.org when the release lacks it)"
        )
    return Path(exe)


def _numeric(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)) or (0,)


def _tool_version(exe: Path) -> tuple[int, int] | None:
    try:
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?", out)
    return (int(match.group(1)), int(match.group(2) or 0)) if match else None


def _server_major(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000


def _libpq(store: Store) -> tuple[str, dict[str, str]]:
    """A libpq URI for the store's database (no password in it) and the environment carrying the password."""
    url = store.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], failure: str = "") -> subprocess.CompletedProcess:
    """Run a PostgreSQL client program; its first error line becomes a :class:`BackupError` (after ``failure``)."""
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()] or lines or [f"exit status {done.returncode}"]
        line = re.sub(r"^psql:[^:]*:\d+:\s*", "", errors[0])
        raise BackupError(f"{failure or Path(args[0]).name + ' failed'}: {_first_line(line)}")
    return done


def _first_line(message: str) -> str:
    """The first line of a database error, whitespace folded (details may quote a whole row)."""
    return " ".join(message.strip().splitlines()[0].split()) if message.strip() else message


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _qualified(conn: Connection, table: Table) -> str:
    namespace = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    return f"{_quote(namespace)}.{_quote(table.name)}"


def _sqlite_engine(path: Path, read_only: bool) -> Engine:
    """An engine on an SQLite file that is not the store (no WAL switch): read-only when asked."""
    uri = f"file:{quote(str(path.resolve()))}" + ("?mode=ro" if read_only else "")
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
