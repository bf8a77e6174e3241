"""Fixed SQL texts run on a connection's DB-API cursor: for the reads a map view makes on every request.

SQLAlchemy's statement building and result rows cost about a millisecond a statement; a view of
1,000 lots makes a few fixed statements whose rows are plain values, so they are run here as texts
(``?`` placeholders, turned into ``%s`` for psycopg) in the connection's own transaction.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from mapapp.store import figure_versions


def run(conn: Connection, sql: str, params: Sequence = ()) -> list[tuple]:
    """``sql`` (``?`` placeholders) with ``params`` on ``conn``'s DB-API cursor: its rows as tuples."""
    if conn.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return cursor.fetchall()
    finally:
        cursor.close()


def figure_versions_of(conn: Connection) -> figure_versions.Versions:
    """What :func:`mapapp.store.figure_versions.read` gives, read as a fixed text (that module is part of the
    figures' code digest: changing it would make every kept figure stale)."""
    prefix = figure_versions.ZONE_PREFIX
    values = dict(run(conn, "SELECT key, value FROM meta WHERE key = ? OR key = ? OR substr(key, 1, ?) = ?",
                      (figure_versions.EPOCH, figure_versions.STEPS, len(prefix), prefix)))
    zones = {k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix)}
    return figure_versions.Versions(values.get(figure_versions.EPOCH), values.get(figure_versions.STEPS), zones)
