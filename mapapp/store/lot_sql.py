"""Lots read in plain DB-API SQL for the map's bbox view and the OGC API's pages: tuples, no frame.

A zoom-14 view of about 1,000 lots is a few milliseconds of index search and row reading; through
SQLAlchemy's statement building and a GeoDataFrame it cost several times that. Here each statement is
a fixed text run on the connection's DB-API cursor, and each lot's row comes with its readiness kept in
``lot_readiness`` (:mod:`mapapp.store.lot_rows`; a LEFT JOIN by code: NULLs where none is kept, whether
it still holds is for the caller to check by its key). The rows are those
:meth:`mapapp.store.backend.Store.read_layer` and :meth:`Store.read_page` give, in the same ``code``
order (the database's own collation), the columns in the schema's order.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from mapapp.store import schema
from mapapp.store.raw_sql import run as _run
from mapapp.store.reads import INTERNAL_COLUMNS

BBox = tuple[float, float, float, float]

#: What is kept of a lot's readiness, read after its stored columns (see :mod:`mapapp.store.lot_rows`).
KEPT = ("key", "ready", "missing", "reason", "ready_expected")
#: Boxes searched per statement (SQLite allows 500 terms in a compound SELECT).
SEARCHES = 400
#: Stored columns of a JSON type, read as text (decoded by the caller in one call, as :mod:`mapapp.store.reads` does).
JSON_COLUMNS = frozenset(c.name for c in schema.layer_tables["lots"].c if c.type.__class__.__name__ == "JSON")


def lot_columns(skip: Sequence[str]) -> list[str]:
    """The stored columns of ``lots`` a view reads (schema order), but the internal ones and ``skip``."""
    drop = INTERNAL_COLUMNS | set(skip)
    return [c.name for c in schema.layer_tables["lots"].c if c.name not in drop]


def _select(columns: Sequence[str]) -> str:
    listed = [f"CAST(l.{c} AS TEXT)" if c in JSON_COLUMNS else f"l.{c}" for c in columns]
    listed += [f'r."{c}"' for c in KEPT]  # "key" is a keyword on some backends
    return f"SELECT {', '.join(listed)} FROM lots l LEFT JOIN lot_readiness r ON r.code = l.code"


def meta_value(conn: Connection, key: str) -> str | None:
    """The ``meta`` table's value of ``key`` (None when unset)."""
    rows = _run(conn, "SELECT value FROM meta WHERE key = ?", (key,))
    return rows[0][0] if rows else None


def in_bbox(conn: Connection, bbox: BBox, columns: Sequence[str], include_retired: bool) -> list[tuple]:
    """Lots that may meet ``bbox`` (WGS84 degrees), in code order: ``columns`` then :data:`KEPT`, a tuple each.

    PostGIS cuts by the geometry itself (``&&`` then ``ST_Intersects``); SQLite gives the R*Tree's
    candidates by box, to be cut by the caller (:func:`mapapp.store.spatial.intersecting`), as
    :meth:`Store.read_layer` does. Retired lots too with ``include_retired``.
    """
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    active = "" if include_retired else "l.retired_at IS NULL AND "
    if conn.dialect.name == "postgresql":
        envelope = "ST_MakeEnvelope(?, ?, ?, ?, 4326)"
        where = f"l.geom_pg && {envelope} AND ST_Intersects(l.geom_pg, {envelope})"
        params: tuple = (minx, miny, maxx, maxy) * 2
    else:
        where = "l.id IN (SELECT id FROM rtree_lots WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)"
        params = (minx, maxx, miny, maxy)
    return _run(conn, f"{_select(columns)} WHERE {active}{where} ORDER BY l.code", params)


def by_code(conn: Connection, code: str, columns: Sequence[str]) -> list[tuple]:
    """The lot ``code`` (retired or not) as :func:`in_bbox` gives a row: ``columns`` then :data:`KEPT`; [] when none."""
    return _run(conn, f"{_select(columns)} WHERE l.code = ?", (code,))


def code_at(conn: Connection, start: str | None, step_over: int, include_retired: bool) -> str | None:
    """The code ``step_over`` positions after ``start`` (from the first code when None) in the code order of the
    lots (active ones unless ``include_retired``), reading codes only; None past the last."""
    where = [] if include_retired else ["retired_at IS NULL"]
    if start is not None:
        where.append("code >= ?")
    sql = "SELECT code FROM lots" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY code LIMIT 1 OFFSET ?"
    rows = _run(conn, sql, ([start] if start is not None else []) + [int(step_over)])
    return rows[0][0] if rows else None


def page(conn: Connection, start: str | None, step_over: int, limit: int, columns: Sequence[str],
         include_retired: bool) -> list[tuple]:
    """``limit`` lots after stepping over ``step_over`` from the code ``start`` (the first when None), in code
    order, as :func:`in_bbox` gives them (active ones unless ``include_retired``)."""
    where = [] if include_retired else ["l.retired_at IS NULL"]
    select = _select(columns)
    if start is not None:
        where.append("l.code >= ?")
        # the kept rows bounded alike: PostgreSQL merges the two code orders, and without the bound it read
        # lot_readiness from its first code up to the page's (~230k rows, 0.2 s, half way into 500k lots)
        select += " AND r.code >= ?"
    sql = select + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY l.code LIMIT ? OFFSET ?"
    return _run(conn, sql, ([start, start] if start is not None else []) + [int(limit), int(step_over)])


def boxes_near(conn: Connection, search: Sequence[BBox]) -> list[tuple[str, float, float, float, float]]:
    """``(zone code, minx, miny, maxx, maxy)`` of every active zone (its own box) and of every active parcel with
    a zone code (its stored box) whose box meets one of the ``search`` boxes: the candidates of
    :func:`mapapp.queries.lot_keys.reaching`, found through the spatial index (boxes only, no exact cut), by
    :data:`SEARCHES` boxes a statement (a row met by boxes of two statements comes twice)."""
    out: list[tuple] = []
    postgres = conn.dialect.name == "postgresql"
    for start in range(0, len(search), SEARCHES):
        part = search[start:start + SEARCHES]
        for table, column in (("zones", "code"), ("clearance", "zone_code")):
            if postgres:
                near = " OR ".join(["geom_pg && ST_MakeEnvelope(?, ?, ?, ?, 4326)"] * len(part))
                params = [float(v) for box in part for v in box]
            else:
                one = f"SELECT id FROM rtree_{table} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?"
                near = f"id IN ({' UNION '.join([one] * len(part))})"
                params = [float(v) for x0, y0, x1, y1 in part for v in (x0, x1, y0, y1)]
            out += _run(conn, f"SELECT {column}, minx, miny, maxx, maxy FROM {table} "
                              f"WHERE retired_at IS NULL AND {column} IS NOT NULL AND ({near})", params)
    return out
