"""PostgreSQL's client programs (``pg_dump``, ``pg_restore``, ``psql``) found, versioned and run, and the names they are given."""
from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection, Table

from mapapp.store.backend import Store
from mapapp.store.backup_files import BackupError

DEBIAN_PG_BIN = Path("/usr/lib/postgresql")


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
