"""Bbox queries pushed down to each backend's spatial index, and reads of the stored metric geometry.

The indexes come from migration ``0002_spatial_index``:

- SQLite: an R*Tree ``rtree_<table>(id, minx, maxx, miny, maxy)`` per layer table and for
  ``conflicts`` (keyed by ``id``, by ``rowid`` for ``conflicts``), kept current by triggers. The
  R*Tree finds the candidates (its 32-bit boxes are rounded outwards, so none is missed); the
  exact cut by the geometry is done in Python (:func:`cut`).
- PostgreSQL: PostGIS's ``geom_pg`` (generated from ``geom``) with a GiST index; both the index
  search (``&&``) and the exact cut (``ST_Intersects``) run in SQL.

A bbox is ``(minx, miny, maxx, maxy)`` in WGS84 degrees; "in the bbox" means the geometry
intersects the box (touching counts), on both backends.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import (
    Connection,
    Table,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    union,
    update,
)
from sqlalchemy import table as table_clause
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.sql.elements import ColumnClause, ColumnElement
from sqlalchemy.types import UserDefinedType

from mapapp.analysis import measure

BBox = tuple[float, float, float, float]
RTREE_PREFIX = "rtree_"
PG_COLUMN = "geom_pg"
#: the WGS84 WKB a metric read also fetches when it needs it (see :func:`metric_columns`)
WGS84 = "_geom_wgs84"


class PostGISGeometry(UserDefinedType):
    """PostGIS's ``geometry`` as reflection sees it (so inspecting ``geom_pg`` does not warn); never written."""

    cache_ok = True

    def __init__(self, *args) -> None:
        self.args = args

    def get_col_spec(self, **kw) -> str:
        return "geometry"


ischema_names.setdefault("geometry", PostGISGeometry)


def rtree_name(table: Table) -> str:
    return f"{RTREE_PREFIX}{table.name}"


def exact_in_sql(dialect: str) -> bool:
    """Whether :func:`bbox_filter` cuts by the geometry itself (PostGIS), or only by boxes (then :func:`cut`)."""
    return dialect == "postgresql"


def _rowkey(table: Table) -> ColumnElement:
    """The integer key an R*Tree entry carries: ``id``, or the ``rowid`` of tables keyed by text."""
    key = table.c.get("id")
    if key is not None and key.primary_key and str(key.type) == "INTEGER":
        return key
    return ColumnClause("rowid", _selectable=table)


def pg_geometry(table: Table) -> ColumnElement:
    """``<table>.geom_pg``, the PostGIS geometry (not in :mod:`mapapp.store.schema`: PostgreSQL only)."""
    return ColumnClause(PG_COLUMN, _selectable=table)


def _envelope(bbox: BBox) -> ColumnElement:
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    return func.ST_MakeEnvelope(minx, miny, maxx, maxy, literal_column("4326"))


def bbox_filter(table: Table, bbox: BBox, dialect: str) -> ColumnElement:
    """A WHERE clause keeping the rows of ``table`` whose geometry may meet ``bbox``, through the index.

    SQLite: ``<key> IN (SELECT id FROM rtree_<table> WHERE …)`` (candidates by box; cut them with
    :func:`cut`). PostgreSQL: ``geom_pg && envelope AND ST_Intersects(geom_pg, envelope)`` (exact).
    Another backend: the plain comparisons of the stored box columns (candidates).
    """
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    if dialect == "sqlite":
        rtree = table_clause(rtree_name(table), *(ColumnClause(c) for c in ("id", "minx", "maxx", "miny", "maxy")))
        candidates = select(rtree.c.id).where(
            rtree.c.maxx >= minx, rtree.c.minx <= maxx, rtree.c.maxy >= miny, rtree.c.miny <= maxy)
        return _rowkey(table).in_(candidates)
    if dialect == "postgresql":
        geom, envelope = pg_geometry(table), _envelope(bbox)
        return and_(geom.op("&&")(envelope), func.ST_Intersects(geom, envelope))
    return and_(table.c.maxx >= minx, table.c.minx <= maxx, table.c.maxy >= miny, table.c.miny <= maxy)


def boxes_filter(table: Table, boxes, dialect: str) -> ColumnElement:
    """A WHERE clause keeping the rows of ``table`` whose stored box meets one of ``boxes`` (a sequence of
    WGS84 ``(minx, miny, maxx, maxy)``), through the index: candidates only, no exact cut.

    SQLite: ``<key> IN (SELECT id FROM rtree_<table> WHERE box₁ UNION …)`` (an R*Tree serves one box
    per search, not an OR of them); PostgreSQL: ``geom_pg && envelope₁ OR …`` (GiST, a bitmap OR).
    """
    boxes = [tuple(float(v) for v in box) for box in boxes]
    if not boxes:
        return literal_column("1 = 0")
    if dialect == "sqlite":
        rtree = table_clause(rtree_name(table), *(ColumnClause(c) for c in ("id", "minx", "maxx", "miny", "maxy")))
        searches = [select(rtree.c.id).where(rtree.c.maxx >= x0, rtree.c.minx <= x1, rtree.c.maxy >= y0, rtree.c.miny <= y1)
                    for x0, y0, x1, y1 in boxes]
        return _rowkey(table).in_(searches[0] if len(searches) == 1 else union(*searches))
    if dialect == "postgresql":
        return or_(*(pg_geometry(table).op("&&")(_envelope(box)) for box in boxes))
    return or_(*(and_(table.c.maxx >= x0, table.c.minx <= x1, table.c.maxy >= y0, table.c.miny <= y1)
                 for x0, y0, x1, y1 in boxes))


def intersecting(wkb: np.ndarray, bbox: BBox) -> np.ndarray:
    """Boolean mask: which WKB geometries (WGS84) intersect ``bbox`` (vectorised)."""
    if len(wkb) == 0:
        return np.zeros(0, dtype=bool)
    return shapely.intersects(shapely.from_wkb(np.asarray(wkb, dtype=object)), shapely.box(*bbox))


def cut(df: pd.DataFrame, bbox: BBox, column: str = "geom") -> pd.DataFrame:
    """The rows of ``df`` whose WGS84 WKB in ``column`` intersects ``bbox``, in their order."""
    if df.empty:
        return df
    return df[intersecting(df[column].to_numpy(), bbox)]


def metric_columns(table: Table, with_wgs84: bool) -> list[ColumnElement]:
    """What a metric read selects instead of ``geom``: ``geom_m AS geom``, and the WGS84 WKB as
    :data:`WGS84` — for every row with ``with_wgs84`` (to :func:`cut` by it), else only where
    ``geom_m`` is missing (a row some older code wrote), to compute it (:func:`metric_geometry`)."""
    wgs84 = table.c.geom if with_wgs84 else case((table.c.geom_m.is_(None), table.c.geom), else_=None)
    return [table.c.geom_m.label("geom"), wgs84.label(WGS84)]


def metric_geometry(df: pd.DataFrame) -> pd.DataFrame:
    """A metric read's rows with ``geom`` (EPSG:5897 WKB) filled where it was missing, :data:`WGS84` dropped."""
    df = df.copy()
    wgs84 = df.pop(WGS84).to_numpy()
    missing = df["geom"].isna().to_numpy()
    if missing.any():
        metric = measure.to_metric(shapely.from_wkb(wgs84[missing]))
        geom = df["geom"].to_numpy(dtype=object).copy()
        geom[missing] = shapely.to_wkb(metric)
        df["geom"] = geom
    return df



def fill_missing_metric(conn: Connection, table: Table, batch: int = 20_000) -> int:
    """Give ``geom_m`` to the rows of a layer table that lack it (restored from an older backup,
    written by older code); the number of rows filled."""
    filled, last = 0, None
    while True:
        query = select(table.c.id, table.c.geom).where(table.c.geom_m.is_(None)).order_by(table.c.id).limit(batch)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = conn.execute(query).all()
        if not rows:
            return filled
        metric = shapely.to_wkb(measure.to_metric(shapely.from_wkb(np.array([bytes(r[1]) for r in rows], dtype=object))))
        conn.execute(update(table).where(table.c.id == bindparam("b_id")).values(geom_m=bindparam("b_geom_m")),
                     [{"b_id": r[0], "b_geom_m": m} for r, m in zip(rows, metric)])
        filled += len(rows)
        last = rows[-1][0]
