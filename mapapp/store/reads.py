"""Fast reads: query results to frames column by column, codes looked up by chunks.

pandas builds a frame from SQLAlchemy ``Row`` objects slowly (it probes each row as a possible
array, which a ``Row`` answers by raising); here the rows are transposed to plain column lists
first, and WKB becomes geometry in one vectorised :func:`shapely.from_wkb` call.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import JSON, Connection, CursorResult, Table, Text, cast, select

from mapapp.analysis.measure import STORAGE_CRS
from mapapp.gc_pause import no_gc_passes  # also the readers' own: reads.no_gc_passes

# Columns that serve the store itself and never leave it (geom_m only as the geometry of a metric read).
INTERNAL_COLUMNS = frozenset({"search_text", "search_personal", "geom_m"})
CHUNK = 500  # codes per IN list (well under every backend's limit of bound parameters)
# JSON columns are read as text under this suffix and decoded in one call per column (decoding each
# row's value apart costs more than the rest of a layer's read)
JSON_SUFFIX = "__json"


def stored_columns(table: Table, exclude: Iterable[str] = ()) -> list:
    """The columns of ``table`` but ``exclude``, to select for :func:`columns_of`: JSON ones as text."""
    exclude = frozenset(exclude)
    return [
        cast(c, Text).label(c.name + JSON_SUFFIX) if isinstance(c.type, JSON) else c
        for c in table.c if c.name not in exclude
    ]


def _decoded(texts: list) -> list:
    return json.loads("[" + ",".join("null" if t is None else t for t in texts) + "]")


def columns_of(result: CursorResult) -> dict[str, list]:
    """A result's rows as one list per column, by column name (columns selected as
    :func:`stored_columns` gives them come back decoded, under their own name)."""
    keys = list(result.keys())
    rows = result.fetchall()
    columns = dict(zip(keys, (list(c) for c in zip(*rows)))) if rows else {k: [] for k in keys}
    return {
        k.removesuffix(JSON_SUFFIX): _decoded(v) if k.endswith(JSON_SUFFIX) else v
        for k, v in columns.items()
    }


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    if columns and not len(next(iter(columns.values()))):
        return pd.DataFrame(columns=list(columns))  # no rows: object columns, as pandas makes from no rows
    return pd.DataFrame(columns)


def table_of(result: CursorResult) -> pd.DataFrame:
    """A result as a DataFrame (columns in the query's order)."""
    with no_gc_passes():
        return _frame(columns_of(result))


def geo_frame_of(result: CursorResult, crs: str = STORAGE_CRS) -> gpd.GeoDataFrame:
    """A result with a WKB ``geom`` column as a GeoDataFrame in ``crs`` (WGS84 by default)."""
    with no_gc_passes():
        columns = columns_of(result)
        geoms = shapely.from_wkb(np.asarray(columns.pop("geom"), dtype=object))
        frame = _frame(columns)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=crs), crs=crs)


def codes_among(conn: Connection, table: Table, codes: Iterable[str], active_only: bool = False) -> set[str]:
    """Which of ``codes`` ``table`` holds (retired ones too unless ``active_only``), by chunks of codes
    through the code index, without reading the other codes of the layer."""
    codes = sorted(set(codes))
    found: set[str] = set()
    for start in range(0, len(codes), CHUNK):
        query = select(table.c.code).where(table.c.code.in_(codes[start : start + CHUNK]))
        if active_only:
            query = query.where(table.c.retired_at.is_(None))
        found.update(conn.execute(query).scalars())
    return found
