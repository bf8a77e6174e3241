"""Narrow bbox reads: a few columns and the geometry of the features meeting a box, in no order.

What a vector tile needs and nothing more: no ``ORDER BY`` (which would make SQLite walk the code
index instead of the bbox index), no extra attributes, no frame of every stored column.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import and_, select

from mapapp.store import schema

BBox = tuple[float, float, float, float]


def read_bbox(store, layer: str, bbox: BBox, columns: Sequence[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Active features of ``layer`` whose geometry meets ``bbox`` (WGS84 degrees).

    Returns (``columns`` as a DataFrame, WGS84 shapely geometries as an object array), row for row.
    ``KeyError`` for a column the layer does not store.
    """
    table = schema.layer_tables[layer]
    minx, miny, maxx, maxy = bbox
    query = select(*(table.c[c] for c in columns), table.c.geom).where(and_(
        table.c.retired_at.is_(None), table.c.maxx >= minx, table.c.minx <= maxx, table.c.maxy >= miny, table.c.miny <= maxy))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return pd.DataFrame(columns=list(columns)), np.array([], dtype=object)
    values = list(zip(*rows))
    geoms = shapely.from_wkb(np.asarray(values[-1], dtype=object))
    keep = shapely.intersects(geoms, shapely.box(*bbox))
    frame = pd.DataFrame({c: np.asarray(v, dtype=object)[keep] for c, v in zip(columns, values)})
    return frame, geoms[keep]
