"""Lengths and areas in metres, on the province's own grid.

Geometry is stored in WGS84 degrees; measuring there is meaningless, so every
measurement goes through VN-2000 / TM-3 105°00' (EPSG:5897).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer

STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:5897"


@lru_cache(maxsize=16)
def transformer(src: str, dst: str) -> Transformer:
    """A cached, axis-order-safe (lon/lat, easting/northing) transformer."""
    return Transformer.from_crs(src, dst, always_xy=True)


def reproject(geoms, src: str, dst: str):
    """Reproject an array of shapely geometries, vectorised over all coordinates."""
    arr = np.asarray(geoms, dtype=object)
    if src == dst or arr.size == 0:
        return arr
    tr = transformer(src, dst)

    def _xy(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(arr, _xy)


def to_metric(geoms):
    """WGS84 geometries to EPSG:5897 metres."""
    return reproject(geoms, STORAGE_CRS, METRIC_CRS)


def to_storage(geoms):
    """EPSG:5897 geometries back to WGS84."""
    return reproject(geoms, METRIC_CRS, STORAGE_CRS)


def area_m2(geoms) -> np.ndarray:
    """Areas in m² of WGS84 geometries."""
    return shapely.area(to_metric(geoms))


def area_ha(geoms) -> np.ndarray:
    return area_m2(geoms) / 10_000.0


def length_m(geoms) -> np.ndarray:
    """Lengths in m of WGS84 geometries (perimeter for polygons)."""
    return shapely.length(to_metric(geoms))
