"""Each zone's clearance figure row kept in the database (table ``zone_figure_rows``, migration 0006).

Working out every zone's clearance figures takes minutes at province scale; the zone rows of
:class:`mapapp.clearance.view.ZoneFigures` are few numbers per zone. So the readers keep them
here at the dataset's date, each with what it was worked out from: a ``fingerprint`` (the
zone's figure versions, the date, the settings and the code: see
:mod:`mapapp.queries.zone_rows`), the ``steps`` version (:mod:`mapapp.store.figure_versions`)
and a digest of the all-zones ``paces`` the forecast used. A row whose fingerprint no longer
holds is worked out again; every app process reads the same rows, so none disagrees.

The rows are a cache of what the stored records give, not data: a reader writes them in a short
transaction of its own that never waits for a writer (when the database is busy the rows are
simply not kept this time), and they change no data version. The all-zones paces the rows' forecast
needs (reading every dated step) are kept the same way, in ``meta`` (:data:`PACES_KEY`).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from mapapp.store import schema
from mapapp.store.db import BUSY_TIMEOUT_S

#: The figure columns of a zone row, in :func:`mapapp.clearance.view.zone_figures` order.
COLUMNS = ("zone_code", "area_ha", "cleared_ha", "cleared_share", "largest_cleared_block_ha", "blocks", "parcels_open",
           "expected_handover")
#: Past this many zones, read every row of the date (one scan beats thousands of lookups).
WHOLE_ABOVE = 200
CHUNK = 500
#: ``meta`` key of the all-zones paces last worked out (JSON: what they were worked out from, and the paces).
PACES_KEY = "figures_paces"
#: A reader waits this long (ms) for SQLite's write lock before it gives up keeping rows.
WAIT_MS = 100


@dataclass(frozen=True)
class Kept:
    """A stored zone row: ``fingerprint``, ``steps`` and ``paces`` as written, and ``row`` (a tuple in
    :data:`COLUMNS` order: code, hectares as floats, counts as ints, ``expected_handover`` a date or None)."""

    fingerprint: str
    steps: str | None
    paces: str
    row: tuple


def keepable(row: tuple) -> bool:
    """Whether ``row`` (in :data:`COLUMNS` order) reads back exactly as it is: plain numbers, a date or None."""
    expected = row[7]
    return (len(row) == len(COLUMNS) and isinstance(row[0], str) and all(isinstance(v, float) for v in row[1:5])
            and all(isinstance(v, int) and not isinstance(v, bool) for v in row[5:7])
            and (expected is None or type(expected) is dt.date))


def read(conn: Connection, at: dt.date, zones: Collection[str]) -> dict[str, Kept]:
    """The stored rows of ``zones`` at ``at``, by zone code (zones without one are left out)."""
    table = schema.zone_figure_rows
    query = select(table.c.fingerprint, table.c.steps, table.c.paces, *(table.c[c] for c in COLUMNS)).where(
        table.c.at == at.isoformat())
    wanted = sorted(zones)
    if len(wanted) > WHOLE_ABOVE:
        chunks = [conn.execute(query).all()]
    else:
        chunks = [conn.execute(query.where(table.c.zone_code.in_(wanted[i:i + CHUNK]))).all()
                  for i in range(0, len(wanted), CHUNK)]
    asked = set(wanted)
    out = {}
    for rows in chunks:
        for fingerprint, steps, paces, *row in rows:
            if row[0] in asked:
                row[7] = dt.date.fromisoformat(row[7]) if row[7] is not None else None
                out[row[0]] = Kept(fingerprint, steps, paces, tuple(row))
    return out


def write(engine: Engine, at: dt.date, kept: Mapping[str, Kept]) -> bool:
    """Keep the rows ``kept`` (by zone code) at ``at``, replacing those zones' rows, and drop the rows of other
    dates (only the dataset's date is kept). False, and nothing written, when the database was busy."""
    table = schema.zone_figure_rows
    values = [dict(zip(COLUMNS, k.row), at=at.isoformat(), fingerprint=k.fingerprint, steps=k.steps, paces=k.paces)
              for k in kept.values()]
    for v in values:
        v["expected_handover"] = v["expected_handover"].isoformat() if v["expected_handover"] is not None else None
    return keep_dated(engine, table, at, values, (*COLUMNS[1:], "fingerprint", "steps", "paces"), CHUNK)


def keep_dated(engine: Engine, table: Table, at: dt.date, values: list[dict], replaced: tuple[str, ...], chunk: int) -> bool:
    """Upsert ``values`` (dicts of ``table``'s columns, keyed by ``zone_code`` and ``at``) into ``table``, replacing
    the ``replaced`` columns of rows already there, ``chunk`` rows a statement, and drop the rows of other dates
    (only the dataset's date is kept); in a short transaction of its own (:func:`briefly`). False, and nothing
    written, when the database was busy."""
    if not values:
        return True

    def upsert(conn: Connection) -> None:
        conn.execute(delete(table).where(table.c.at != at.isoformat()))
        make = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        for i in range(0, len(values), chunk):
            stmt = make(table).values(values[i:i + chunk])
            conn.execute(stmt.on_conflict_do_update(index_elements=["zone_code", "at"],
                                                    set_={c: stmt.excluded[c] for c in replaced}))

    return briefly(engine, upsert)


def restamp(engine: Engine, at: dt.date, zones: Collection[str], steps: str | None) -> bool:
    """Mark the rows of ``zones`` at ``at`` as holding at the steps version ``steps`` (their paces were checked
    equal to that version's); False when the database was busy."""
    table = schema.zone_figure_rows
    codes = sorted(zones)

    def stamp(conn: Connection) -> None:
        for i in range(0, len(codes), CHUNK):
            conn.execute(update(table).where(table.c.at == at.isoformat(), table.c.zone_code.in_(codes[i:i + CHUNK]))
                         .values(steps=steps))

    return briefly(engine, stamp) if codes else True


def read_paces(conn: Connection, made_by: Mapping[str, str | None]) -> dict[str, tuple[float | None, int]] | None:
    """The all-zones paces (``{step: (median days or None, samples)}``) kept under ``made_by`` (what they were
    worked out from: epoch, steps version, date, code), or None when the kept ones are not those."""
    text = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == PACES_KEY)).scalar()
    kept = json.loads(text) if text else {}
    if kept.get("made_by") != dict(made_by):
        return None
    return {step: (median, int(n)) for step, (median, n) in kept["paces"].items()}


def write_paces(engine: Engine, made_by: Mapping[str, str | None], paces: Mapping[str, tuple[float | None, int]]) -> bool:
    """Keep ``paces`` under ``made_by`` (one set, the last worked out); False when the database was busy."""
    text = json.dumps({"made_by": dict(made_by), "paces": {step: [median, n] for step, (median, n) in paces.items()}})

    def put(conn: Connection) -> None:
        conn.execute(delete(schema.meta).where(schema.meta.c.key == PACES_KEY))
        conn.execute(insert(schema.meta).values(key=PACES_KEY, value=text))

    return briefly(engine, put)


def briefly(engine: Engine, work) -> bool:
    """Run ``work(conn)`` in a transaction that waits at most :data:`WAIT_MS` for a lock; False when it could not."""
    try:
        with engine.connect() as conn:
            conn.execution_options(mapapp_write=True)  # SQLite: BEGIN IMMEDIATE, the lock taken first
            # SQLite's timeout is set on the driver's connection: through SQLAlchemy it would begin a transaction
            driver = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
            if driver is not None:
                driver.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
            try:
                with conn.begin():
                    if driver is None:
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {WAIT_MS}")
                    work(conn)
            finally:
                if driver is not None:  # the pooled connection goes back with the writers' timeout
                    driver.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return True
    except DBAPIError:
        # busy, a deadlock with another reader keeping rows, or a read-only replica or user: the rows are a
        # cache, so the answer is given without keeping them
        return False
