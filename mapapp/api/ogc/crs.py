"""Coordinate reference systems offered (OGC API – Features Part 2): CRS84 and VN-2000 / TM-3 105°00′.

Features are stored in WGS84 longitude/latitude (CRS84 axis order). ``EPSG:5897`` is the
province's cadastral grid in metres (easting, northing — its EPSG axis order too), reached
with the national transformation EPSG:6960 ("VN-2000 to WGS 84 (2)", decision
05/2007/QĐ-BTNMT), not the EPSG:5194 set pyproj would pick by itself (≈0.8 m apart here).
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from pyproj.transformer import TransformerGroup

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
VN2000 = "http://www.opengis.net/def/crs/EPSG/0/5897"
SUPPORTED = (CRS84, VN2000)
STORAGE = CRS84
NATIONAL = "VN-2000 to WGS 84 (2)"  # EPSG:6960
_EPSG = {CRS84: "OGC:CRS84", VN2000: "EPSG:5897"}
_ALIASES = {
    "crs84": CRS84, "ogc:crs84": CRS84, "[ogc:crs84]": CRS84, "http://www.opengis.net/def/crs/ogc/1.3/crs84": CRS84,
    "epsg:5897": VN2000, "[epsg:5897]": VN2000, "http://www.opengis.net/def/crs/epsg/0/5897": VN2000,
}


def parse(text: str | None, name: str = "crs") -> str:
    """The CRS URI a parameter names (URI, ``EPSG:5897`` or ``[EPSG:5897]``); CRS84 when absent; ``ValueError`` otherwise."""
    if text is None or text == "":
        return CRS84
    found = _ALIASES.get(re.sub(r"\s+", "", text).lower())
    if found is None:
        raise ValueError(f"{name} must be one of {', '.join(SUPPORTED)}, not {text!r}")
    return found


@lru_cache(maxsize=4)
def _transformer(src: str, dst: str) -> Transformer:
    """The WGS84 ↔ EPSG:5897 transformer through EPSG:6960 (lon/lat and easting/northing order)."""
    for candidate in TransformerGroup(_EPSG[src], _EPSG[dst], always_xy=True).transformers:
        if NATIONAL in candidate.description:
            return candidate
    raise RuntimeError(f"PROJ offers no {NATIONAL} (EPSG:6960) transformation between {src} and {dst}")


def reproject(geoms, src: str, dst: str) -> np.ndarray:
    """An array of shapely geometries from ``src`` to ``dst`` (CRS URIs), vectorised over all coordinates."""
    arr = np.asarray(geoms, dtype=object)
    if src == dst or arr.size == 0:
        return arr
    tr = _transformer(src, dst)

    def _xy(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(arr, _xy)


def bbox_to_storage(bbox: tuple[float, float, float, float], crs: str) -> tuple[float, float, float, float]:
    """A box given in ``crs`` as the CRS84 box that covers it (edges densified, so no corner is cut)."""
    if crs == STORAGE:
        return bbox
    ring = shapely.segmentize(shapely.box(*bbox), max((bbox[2] - bbox[0]), (bbox[3] - bbox[1])) / 16 or 1.0)
    return tuple(float(v) for v in shapely.bounds(reproject([ring], crs, STORAGE)[0]))
