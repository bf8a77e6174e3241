"""Per-table row counts and checksums that agree across SQLite and PostgreSQL: what proves a restore gave back the backup."""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json

from sqlalchemy import Connection, String, Table, select

from mapapp.store.backend import Store
from mapapp.store.backup_files import BATCH, _tables


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
