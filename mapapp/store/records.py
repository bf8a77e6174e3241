"""Rows to write and rows read: the conversions between GeoDataFrames and table rows.

Built column by column (a layer can hold 10⁵ features): no dict per cell, no
Python loop over geometries.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.analysis import measure
from mapapp.geom import type_names
from mapapp.layers import LAYERS
from mapapp.text import search_columns


def geometry_rows(geoms: np.ndarray) -> dict[str, np.ndarray]:
    """WKB (WGS84 ``geom``, EPSG:5897 ``geom_m``), bounds and metric measures for an array of WGS84 geometries (vectorised)."""
    bounds = shapely.bounds(geoms)
    metric = measure.to_metric(geoms)
    dims = shapely.get_dimensions(geoms)
    return {
        "geom": shapely.to_wkb(geoms),
        "geom_m": shapely.to_wkb(metric),
        "geom_type": type_names(geoms),
        "minx": bounds[:, 0],
        "miny": bounds[:, 1],
        "maxx": bounds[:, 2],
        "maxy": bounds[:, 3],
        "area_m2": np.where(dims == 2, shapely.area(metric), np.nan),
        "length_m": np.where(dims == 1, shapely.length(metric), np.nan),
    }


def python_values(values) -> list:
    """A column as plain Python values, with every kind of missing (NaN, NA, NaT) as None."""
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "biufO":
        # what the Series below gives for an array of numbers or objects, without building one (10⁵ WKB, boxes, areas)
        out = values.tolist()
        for i in np.flatnonzero(pd.isna(values)).tolist():
            out[i] = None
        return out
    series = pd.Series(values)
    return series.astype(object).where(series.notna(), None).tolist()


def layer_records(frame: gpd.GeoDataFrame, field_names: tuple[str, ...], geo: dict[str, np.ndarray], layer: str = "") -> list[dict]:
    """Rows to insert, built column by column; attributes beyond the spec go to ``props``."""
    columns = {name: python_values(frame[name]) for name in field_names}
    columns.update(search_columns(LAYERS[layer] if layer else None, columns))
    columns.update({key: python_values(values) for key, values in geo.items()})
    extra = [c for c in frame.columns if c not in field_names and c != frame.geometry.name]
    if extra:
        values = zip(*(python_values(frame[c]) for c in extra))
        columns["props"] = [{c: v for c, v in zip(extra, row) if v is not None} for row in values]
    else:
        columns["props"] = [{} for _ in range(len(frame))]
    keys = list(columns)
    return [dict(zip(keys, row)) for row in zip(*columns.values())]


def frame_of(df: pd.DataFrame, crs: str = measure.STORAGE_CRS) -> gpd.GeoDataFrame:
    """A query result with a WKB ``geom`` column to a GeoDataFrame."""
    df = df.copy()
    geoms = shapely.from_wkb(df.pop("geom").to_numpy()) if "geom" in df.columns else []
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, index=df.index, crs=crs), crs=crs)
