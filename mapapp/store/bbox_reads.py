"""Narrow bbox reads: a few columns and the geometry of the features meeting a box, in no order.

What a vector tile needs and nothing more: no ``ORDER BY`` (which would make SQLite walk the code
index instead of the spatial one: :func:`mapapp.store.spatial.bbox_filter`), no extra attributes, no frame of every stored column.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import select

from mapapp.store import schema, spatial

BBox = tuple[float, float, float, float]


def read_bbox(store, layer: str, bbox: BBox, columns: Sequence[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Active features of ``layer`` whose geometry meets ``bbox`` (WGS84 degrees).

    Returns (``columns`` as a DataFrame, WGS84 shapely geometries as an object array), row for row.
    ``KeyError`` for a column the layer does not store.
    """
    table = schema.layer_tables[layer]
    dialect = store.engine.dialect.name
    query = select(*(table.c[c] for c in columns), table.c.geom).where(
        table.c.retired_at.is_(None), spatial.bbox_filter(table, bbox, dialect))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return pd.DataFrame(columns=list(columns)), np.array([], dtype=object)
    values = list(zip(*rows))
    geoms = shapely.from_wkb(np.asarray(values[-1], dtype=object))
    # the R*Tree gives candidates by box; PostGIS has already cut by the geometry itself
    keep = np.ones(len(geoms), dtype=bool) if spatial.exact_in_sql(dialect) else shapely.intersects(geoms, shapely.box(*bbox))
    frame = pd.DataFrame({c: np.asarray(v, dtype=object)[keep] for c, v in zip(columns, values)})
    return frame, geoms[keep]
