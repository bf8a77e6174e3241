"""A large insert into a layer table: SQLite's index triggers set aside, the indexes filled in one statement each.

On SQLite every inserted row fires the R*Tree trigger (migration ``0002_spatial_index``) and the
FTS5 search index trigger (``0004_search_index``): row by row, they cost several times the insert
itself (measured at 10⁵ lots: ~8 s of triggers against ~1 s of insert). :func:`inserting` drops a
table's *insert* triggers, lets the caller insert, adds the new rows (every ``id`` above the
largest before: rows are never deleted from layer tables, and SQLite gives a new row a larger
``id``) to the R*Tree and the search index with one ``INSERT … SELECT`` each, then creates the
triggers again from their stored SQL. All of it runs in the caller's write transaction, so a
reader never sees the table without its triggers nor an index that lacks a committed row (SQLite
DDL is transactional). Below :data:`BULK_ROWS` rows, and on PostgreSQL (whose GiST and trigram
indexes are ordinary indexes, kept by the insert itself), it does nothing but run the insert.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Connection, Table, text

# Past this many rows the triggers cost more than dropping, refilling and recreating them
# (a DDL statement makes every open connection re-read the schema: not worth it for an edit).
BULK_ROWS = 5000


def _triggers(conn: Connection, table: str, events: tuple[str, ...] = ("insert",)) -> list[tuple[str, str]]:
    """(name, SQL) of the R*Tree and search index triggers on ``table`` for ``events`` (those the migrations made)."""
    names = [f"{prefix}_{event}" for event in events for prefix in (f"rtree_{table}", f"{table}_search")]
    rows = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN ({', '.join('?' for _ in names)}) "
        "ORDER BY name", (table, *names)).all()
    return [(name, sql) for name, sql in rows]


def _exists(conn: Connection, name: str) -> bool:
    return conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).first() is not None


@contextlib.contextmanager
def inserting(conn: Connection, table: Table, rows: int) -> Iterator[None]:
    """Around an insert of ``rows`` rows into layer ``table`` in ``conn``'s write transaction (see the module).

    The R*Tree and the search index end exactly as the triggers would have left them: one entry
    per new row with its box (WGS84 degrees) and its folded search text.
    """
    if conn.dialect.name != "sqlite" or rows < BULK_ROWS:
        yield
        return
    name = table.name
    triggers = _triggers(conn, name)
    last = conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{name}"')).scalar_one()
    for trigger, _ in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{trigger}"')
    yield
    dropped = {trigger for trigger, _ in triggers}
    if f"rtree_{name}_insert" in dropped:
        conn.execute(text(f'INSERT OR REPLACE INTO "rtree_{name}" (id, minx, maxx, miny, maxy) '
                          f'SELECT id, minx, maxx, miny, maxy FROM "{name}" WHERE id > :last ORDER BY id'), {"last": last})
    if f"{name}_search_insert" in dropped and _exists(conn, f"{name}_search"):
        conn.execute(text(f'INSERT INTO "{name}_search" (rowid, search_text, search_personal) '
                          f'SELECT id, search_text, search_personal FROM "{name}" WHERE id > :last ORDER BY id'), {"last": last})
    for _, sql in triggers:
        conn.exec_driver_sql(sql)


@contextlib.contextmanager
def emptied(conn: Connection, table: Table, key: str = "id") -> Iterator[None]:
    """Delete every row of ``table`` (and, on SQLite, its R*Tree entries, in one statement each), let the
    caller insert the new rows, then give those their R*Tree entries (keyed by ``key``: ``rowid`` for
    ``conflicts``) in one statement: a full recompute replaces every conflict, each of which would fire
    the R*Tree's delete and insert triggers. In ``conn``'s write transaction, as :func:`inserting`."""
    name = table.name
    if conn.dialect.name != "sqlite":
        conn.execute(table.delete())
        yield
        return
    triggers = [t for t in _triggers(conn, name, ("insert", "delete")) if t[0].startswith("rtree_")]
    if _exists(conn, f"{name}_search"):
        raise ValueError(f"{name} has a search index: empty it row by row")
    for trigger, _ in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{trigger}"')
    conn.execute(table.delete())
    if triggers:
        conn.exec_driver_sql(f'DELETE FROM "rtree_{name}"')
    yield
    if triggers:
        conn.exec_driver_sql(f'INSERT INTO "rtree_{name}" (id, minx, maxx, miny, maxy) '
                             f'SELECT {key}, minx, maxx, miny, maxy FROM "{name}" ORDER BY {key}')
    for _, sql in triggers:
        conn.exec_driver_sql(sql)
