"""Tiles built by PostGIS (``ST_AsMVT``, ``ST_AsMVTGeom``, ``ST_TileEnvelope``) from the stored WKB."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, bindparam, select, text

from mapapp.store import schema, spatial
from mapapp.store.backend import Store
from mapapp.store.bbox_reads import read_bbox
from mapapp.tiles.grid import BUFFER, EXTENT, TileRequest
from mapapp.tiles.python_mvt import overview
from mapapp.tiles.properties import TILE_PROPERTIES, stored_columns, tile_properties

_TYPES = {"overdue": "boolean[]"}
_GEOM = "ST_Transform(l.geom_pg, 3857)"  # the stored PostGIS geometry (migration 0002), GiST-indexed
_BOX = "ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)"  # the buffered tile in WGS84
_MVT_GEOM = f"ST_AsMVTGeom({_GEOM}, ST_TileEnvelope(:z, :x, :y), {EXTENT}, {BUFFER}, true)"


def has_postgis(store: Store) -> bool:
    """Whether the database has the PostGIS extension."""
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first() is not None


class PostgisTiles:
    """:class:`mapapp.tiles.provider.TileProvider` on PostGIS.

    Feature tiles (from the feature zoom on): the features are found through the GiST index of geom_pg.
    Lots carry stored attributes only: one statement selects, clips, quantises and encodes them.
    Parcels' attributes are computed in Python (a parcel's step at a date comes from its records) and
    joined by code in the statement that clips, quantises and encodes the geometry. Overview tiles (below it) are painted as on
    every backend (:mod:`mapapp.tiles.overview`).
    """

    def __init__(self, store: Store, feature_zoom: int) -> None:
        self.store = store
        self.feature_zoom = feature_zoom

    def tile(self, request: TileRequest, at: dt.date) -> bytes:
        if request.z < self.feature_zoom:  # the overview grid is painted in Python on every backend
            rows, wgs84 = read_bbox(self.store, request.layer, request.bounds_4326(BUFFER), stored_columns(request.layer))
            return overview(self.store, request, rows, wgs84, at) if len(rows) else b""
        table = schema.layer_tables[request.layer]
        minx, miny, maxx, maxy = request.bounds_4326(BUFFER)
        params = {"layer": request.layer, "z": request.z, "x": request.x, "y": request.y,
                  "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy}
        if request.layer == "lots":  # stored attributes only: one statement, nothing read into Python
            names = ", ".join(f"l.{n}" for n in TILE_PROPERTIES["lots"])
            return self._encode(f"SELECT {names}, {_MVT_GEOM} AS geom FROM {table.name} l WHERE l.retired_at IS NULL "
                                f"AND l.geom_pg && {_BOX} AND ST_Intersects(l.geom_pg, {_BOX})", params)
        in_box = and_(table.c.retired_at.is_(None), spatial.bbox_filter(table, (minx, miny, maxx, maxy), "postgresql"))
        columns = stored_columns(request.layer)
        with self.store.engine.connect() as conn:
            rows = pd.DataFrame(conn.execute(select(*(table.c[c] for c in columns)).where(in_box)).all(), columns=columns)
        if rows.empty:
            return b""
        props = tile_properties(self.store, request.layer, rows, at)
        names = TILE_PROPERTIES[request.layer]
        unnest = ", ".join(f"CAST(:p_{n} AS {_TYPES.get(n, 'text[]')})" for n in names)
        values = {f"p_{n}": [_plain(v) for v in props[n]] for n in names}
        return self._encode(f"SELECT {', '.join('p.' + n for n in names)}, {_MVT_GEOM} AS geom "
                            f"FROM {table.name} l JOIN unnest({unnest}) AS p({', '.join(names)}) ON p.code = l.code "
                            f"WHERE l.retired_at IS NULL AND l.geom_pg && {_BOX}", {**params, **values}, tuple(values))

    def _encode(self, features: str, params: dict, arrays: tuple[str, ...] = ()) -> bytes:
        """``ST_AsMVT`` of the rows of the SELECT ``features`` (attributes and ``geom``) whose geometry
        meets the tile; ``arrays`` name the parameters bound as arrays."""
        sql = text(f"SELECT ST_AsMVT(t.*, :layer, {EXTENT}, 'geom') FROM ({features}) AS t WHERE t.geom IS NOT NULL")
        if arrays:
            sql = sql.bindparams(*(bindparam(k) for k in arrays))
        with self.store.engine.connect() as conn:
            return bytes(conn.execute(sql, params).scalar() or b"")


def _plain(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value
