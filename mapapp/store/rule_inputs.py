"""The conflict rules' inputs read straight from a layer table: a few columns and the stored metric geometry, as arrays.

A recompute judges every active feature by the columns :data:`INPUT_COLUMNS` names and its geometry
in EPSG:5897, which every write stores (``geom_m``): so nothing else is read, nothing is reprojected,
and no frame is built (a pandas frame of 5·10⁵ rows, its string columns converted one by one, cost
more than the query). Rows become columns in one 2-d object array and the WKB becomes geometry in
one vectorised :func:`shapely.from_wkb` call, with no cyclic garbage collection meanwhile
(:func:`mapapp.store.reads.no_gc_passes`: it walked the 10⁶ new objects again and again).

Parcels whose status is ``cleared`` are left in the database: the rules drop them first thing
(``find_conflicts``' ``drop_status``, on the stripped lower-case status), so reading only the others
(``status <> 'cleared'``, a superset of what the rules keep) gives the same conflicts, and at
province scale three parcels in four are cleared.
"""
from __future__ import annotations

import numpy as np
import shapely
from sqlalchemy import Connection, or_, select
from sqlalchemy.sql.elements import ColumnElement

from mapapp.analysis import measure
from mapapp.analysis.conflicts import LayerColumns
from mapapp.analysis.conflicts.catalogue import _CLEARED, INPUT_COLUMNS
from mapapp.store import reads, schema, spatial


def rule_input_query(layer: str, where: ColumnElement | None = None):
    """SELECT of the active features of ``layer`` (meeting ``where``, if given) that the rules can use:
    the columns :data:`INPUT_COLUMNS` names that the table has, then ``geom_m`` as ``geom`` and the
    WGS84 WKB where ``geom_m`` is missing (:func:`mapapp.store.spatial.metric_columns`). No order."""
    table = schema.layer_tables[layer]
    names = [c for c in INPUT_COLUMNS[layer] if c in table.c]
    conditions = [table.c.retired_at.is_(None)]
    if layer == "clearance":
        conditions.append(or_(table.c.status.is_(None), table.c.status != _CLEARED))
    if where is not None:
        conditions.append(where)
    return select(*(table.c[c] for c in names), *spatial.metric_columns(table, with_wgs84=False)).where(*conditions)


def read_rule_inputs(conn: Connection, layer: str, where: ColumnElement | None = None) -> LayerColumns | None:
    """The rules' inputs of ``layer`` (see :func:`rule_input_query`), in ``conn``'s transaction, as
    :class:`LayerColumns`: geometry in EPSG:5897 (shapely, shape (n,)), the columns as object arrays,
    rows in no particular order; None when no row qualifies.

    Without ``where`` (a whole layer) the query goes to the driver's own cursor: SQLAlchemy's row
    objects cost a fifth of the read at 5·10⁵ rows. A ``where`` may carry bound values (boxes, codes)
    and takes SQLAlchemy's path (what it reads is small).
    """
    query = rule_input_query(layer, where)
    names = [c.name for c in query.selected_columns]
    with reads.no_gc_passes():
        rows = _fetch_plain(conn, query) if where is None else [tuple(r) for r in conn.execute(query)]
        if not rows:
            return None
        table = np.empty((len(rows), len(names)), dtype=object)
        table[:] = rows  # one C loop (values are str, bytes, None: never taken for sequences), 3x faster than zip(*rows)
        del rows
        columns = {name: table[:, k] for k, name in enumerate(names)}
        geometry = _metric_geometry(columns.pop("geom"), columns.pop(spatial.WGS84))
    return LayerColumns(geometry, columns, measure.METRIC_CRS)


def _fetch_plain(conn: Connection, query) -> list[tuple]:
    """All rows of ``query`` (no bound values but literals) as the driver's tuples, in ``conn``'s transaction."""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _metric_geometry(metric_wkb: np.ndarray, wgs84_wkb: np.ndarray) -> np.ndarray:
    """Shapely geometries in EPSG:5897 from the stored ``geom_m`` WKB, and from the WGS84 WKB (reprojected)
    where a row has no ``geom_m`` (written by older code)."""
    geometry = shapely.from_wkb(metric_wkb)
    missing = shapely.is_missing(geometry)
    if missing.any():
        geometry[missing] = measure.to_metric(shapely.from_wkb(wgs84_wkb[missing]))
    return geometry
