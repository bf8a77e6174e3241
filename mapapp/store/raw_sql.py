"""Fixed SQL texts run on a connection's DB-API cursor: for the reads a map view makes on every request.

SQLAlchemy's statement building and result rows cost about a millisecond a statement; a view of
1,000 lots makes a few fixed statements whose rows are plain values, so they are run here as texts
(``?`` placeholders, turned into ``%s`` for psycopg) in the connection's own transaction.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection


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
