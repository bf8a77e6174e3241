"""What a backup file is: its formats, the errors and summaries of backup and restore, and the table copying they share.

A backup holds every table of :data:`mapapp.store.schema.metadata`, either as an ``sqlite``
file (with an extra ``mapapp_backup`` table describing it) or as a ``pg_dump`` archive (see
:mod:`mapapp.store.backup`); :mod:`mapapp.store.restore` puts one back.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, Table, create_engine, insert, select

from mapapp.errors import MapappError
from mapapp.store import schema

SQLITE = "sqlite"
PG_DUMP = "pg_dump"
INFO_TABLE = "mapapp_backup"
FORMAT_VERSION = "1"
BATCH = 1000
# tables every mapapp database has had: what tells a mapapp backup from another database
REQUIRED_TABLES = frozenset({"meta", *schema.layer_tables})


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


def _copy_rows(src: Connection, dst: Connection, table: Table, columns: list[str]) -> int:
    """Copy ``columns`` of ``table`` from one connection to the other in batches; the number of rows."""
    result = src.execution_options(yield_per=BATCH).execute(select(*(table.c[c] for c in columns)))
    copied = 0
    for part in result.partitions(BATCH):
        dst.execute(insert(table), [dict(zip(columns, row)) for row in part])
        copied += len(part)
    return copied


def _sqlite_engine(path: Path, read_only: bool) -> Engine:
    """An engine on an SQLite file that is not the store (no WAL switch): read-only when asked."""
    uri = f"file:{quote(str(path.resolve()))}" + ("?mode=ro" if read_only else "")
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
