"""Inserting many rows at once: on SQLite, values converted column by column and handed to ``executemany``.

SQLAlchemy's ``execute(insert(table), rows)`` converts every row on its own (a dict of bind
parameters per row, each value through its type's processor): at 10⁵ rows of 25 columns that
costs more than SQLite's insert itself. :func:`insert_rows` runs the same processors, once per
column over all its values, and gives the driver plain tuples. What reaches the database is the
same. PostgreSQL keeps SQLAlchemy's batched ``insertmanyvalues`` path, which is already fast there.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import Connection, LargeBinary, Table, insert

# Below this many rows SQLAlchemy's own path costs nothing worth saving.
MANY = 1000


def insert_rows(conn: Connection, table: Table, rows: list[dict], raw: Collection[str] = ()) -> None:
    """Insert ``rows`` (dicts with the same keys, column names of ``table``) in ``conn``'s transaction.

    Columns in ``raw`` hold values already as the database stores them (e.g. JSON text) and are
    passed as they are. A column missing from the rows that has a Python-side default takes the
    SQLAlchemy path, which fills it.
    """
    if rows:
        insert_columns(conn, table, {key: [row[key] for row in rows] for key in rows[0]}, raw)


def insert_columns(conn: Connection, table: Table, columns: Mapping[str, Sequence], raw: Collection[str] = ()) -> None:
    """Insert rows given column by column (``columns``: column name of ``table`` → its values, all of one
    length) in ``conn``'s transaction, as :func:`insert_rows` does: a large import builds its rows as
    columns, and turning them into a dict per row only to take them apart again costs a second per 10⁵."""
    keys = list(columns)
    count = len(columns[keys[0]]) if keys else 0
    if not count:
        return
    defaulted = any(c.default is not None and c.name not in keys for c in table.c)
    if raw and (conn.dialect.name != "sqlite" or defaulted):
        raise ValueError("raw columns are for SQLite rows that give every column with a default")
    if not raw and (conn.dialect.name != "sqlite" or count < MANY or defaulted):
        conn.execute(insert(table), [dict(zip(keys, values)) for values in zip(*columns.values())])
        return
    dialect = conn.dialect
    processed = []
    for key in keys:
        values = columns[key]
        kind = table.c[key].type
        # sqlite3 stores bytes as a BLOB as they are: wrapping each in a memoryview first (LargeBinary's processor) costs ~0.5 s per 10⁵
        process = None if key in raw or isinstance(kind, LargeBinary) else kind.dialect_impl(dialect).bind_processor(dialect)
        processed.append(values if process is None else [process(v) for v in values])
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
           f"VALUES ({', '.join('?' for _ in keys)})")
    conn.exec_driver_sql(sql, list(zip(*processed)))
