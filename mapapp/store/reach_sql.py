"""The stored boxes of what zones are made of, and the active lots near boxes: plain SQL through the spatial index.

What :mod:`mapapp.queries.reached_lots` reads to find the lots a few zones can reach (the lots whose
readiness key a write touching those zones changes, :mod:`mapapp.queries.lot_keys`), without reading
any zone's or parcel's geometry: boxes first, then the lots' rows whose stored box meets them.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Connection

from mapapp.store.lot_sql import SEARCHES, BBox
from mapapp.store.raw_sql import run

#: Zone codes asked per statement (a bound parameter each).
CODES = 400


def zone_boxes(conn: Connection, zones: Collection[str]) -> list[tuple[str, float, float, float, float]]:
    """``(zone code, minx, miny, maxx, maxy)`` (WGS84) of each active zone of ``zones`` (its own stored box) and of
    each active parcel whose ``zone_code`` is one of them (its stored box): what
    :func:`mapapp.store.lot_sql.boxes_near` finds those zones by."""
    codes = sorted(zones)
    out: list[tuple] = []
    for start in range(0, len(codes), CODES):
        part = codes[start:start + CODES]
        marks = ", ".join(["?"] * len(part))
        for table, column in (("zones", "code"), ("clearance", "zone_code")):
            out += run(conn, f"SELECT {column}, minx, miny, maxx, maxy FROM {table} "
                              f"WHERE retired_at IS NULL AND {column} IN ({marks})", part)
    return out


def lots_near(conn: Connection, search: Sequence[BBox],
              most: int | None = None) -> list[tuple[str, bytes, float, float, float, float]] | None:
    """``(code, WKB, minx, miny, maxx, maxy)`` of every active lot whose box meets one of the ``search`` boxes
    (WGS84), found through the spatial index (boxes only; the caller decides by the stored boxes), by
    :data:`mapapp.store.lot_sql.SEARCHES` boxes a statement (a lot met by boxes of two statements comes twice);
    None, with no more than ``most + 1`` rows read, when there are more than ``most`` rows."""
    out: list[tuple] = []
    limit = "" if most is None else f" LIMIT {int(most) + 1}"
    postgres = conn.dialect.name == "postgresql"
    for start in range(0, len(search), SEARCHES):
        part = search[start:start + SEARCHES]
        if postgres:
            near = " OR ".join(["geom_pg && ST_MakeEnvelope(?, ?, ?, ?, 4326)"] * len(part))
            params = [float(v) for box in part for v in box]
        else:
            one = "SELECT id FROM rtree_lots WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?"
            near = f"id IN ({' UNION '.join([one] * len(part))})"
            params = [float(v) for x0, y0, x1, y1 in part for v in (x0, x1, y0, y1)]
        out += run(conn, f"SELECT code, geom, minx, miny, maxx, maxy FROM lots WHERE retired_at IS NULL AND ({near})"
                          f"{limit}", params)
        if most is not None and len(out) > most:
            return None
    return out
