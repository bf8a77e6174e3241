"""Each lot's readiness kept in the database (table ``lot_readiness``, migration 0010).

A lot's readiness (:mod:`mapapp.queries.lot_readiness`) is worked out from the figures of the zones
around it, which a reader would otherwise decode from ``zone_figure_parts`` (a few ms per zone). So
the readiness is kept here, one row per lot code, under a ``key``: a digest of what it was worked out
from (:mod:`mapapp.queries.lot_keys`), computed without decoding any zone's figures. A row whose key
no longer holds is worked out again and replaced; only the dataset's date is kept (the key holds it).

The rows are a cache of what the stored records give, not data: a reader writes them in a short
transaction of its own that never waits for a writer (:func:`mapapp.store.figure_rows.briefly`: when
the database is busy they are simply not kept this time), and they change no data version.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mapapp.store import schema
from mapapp.store.figure_rows import briefly

#: Codes asked per query (a bound parameter each).
CHUNK = 1000
#: Rows written per execution of the statement.
WRITE_CHUNK = 1000

#: A lot's readiness: (ready, missing parcel codes (sorted), reason or None, ready_expected (a date) or None).
Row = tuple[bool, tuple[str, ...], str | None, dt.date | None]


def keepable(row: Row) -> bool:
    """Whether ``row`` reads back exactly as it is: a bool, a tuple of codes, a text or None, a date or None."""
    ready, missing, reason, expected = row
    return (type(ready) is bool and isinstance(missing, tuple) and all(isinstance(c, str) for c in missing)
            and (reason is None or isinstance(reason, str)) and (expected is None or type(expected) is dt.date))


def read(conn: Connection, codes: Iterable[str]) -> dict[str, tuple[str, Row]]:
    """The kept ``(key, row)`` of each of ``codes`` that has one, by code (one indexed query per :data:`CHUNK`)."""
    table = schema.lot_readiness
    wanted = sorted(set(codes))
    out = {}
    for i in range(0, len(wanted), CHUNK):
        query = select(table.c.code, table.c.key, table.c.ready, table.c.missing, table.c.reason,
                       table.c.ready_expected).where(table.c.code.in_(wanted[i:i + CHUNK]))
        rows = conn.execute(query).all()
        # every row's missing codes decoded in one call (most are empty lists)
        missing = json.loads("[" + ",".join(r[3] for r in rows) + "]") if rows else []
        for (code, key, ready, _, reason, expected), codes_missing in zip(rows, missing):
            out[code] = (key, (bool(ready), tuple(codes_missing), reason,
                               dt.date.fromisoformat(expected) if expected is not None else None))
    return out


def write(engine: Engine, rows: Mapping[str, tuple[str, Row]]) -> bool:
    """Keep ``rows`` (lot code -> (key, row)), replacing those lots' rows, in a short transaction of its own.
    False, and nothing written, when the database was busy."""
    values = [dict(code=code, key=key, ready=row[0], missing=json.dumps(list(row[1])), reason=row[2],
                   ready_expected=row[3].isoformat() if row[3] is not None else None)
              for code, (key, row) in sorted(rows.items())]
    if not values:
        return True
    table = schema.lot_readiness

    def upsert(conn: Connection) -> None:
        stmt = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
        # one statement run for many rows (executemany): compiled once and cached, whereas a VALUES list of
        # a thousand rows is compiled anew for each length, which cost more than the writing
        stmt = stmt.on_conflict_do_update(index_elements=["code"], set_={
            c: stmt.excluded[c] for c in ("key", "ready", "missing", "reason", "ready_expected")})
        for i in range(0, len(values), WRITE_CHUNK):
            conn.execute(stmt, values[i:i + WRITE_CHUNK])

    return briefly(engine, upsert)
