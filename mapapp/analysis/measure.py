"""Lengths and areas in metres, on the province's own grid.

Geometry is stored in WGS84 degrees; measuring there is meaningless, so every
measurement goes through VN-2000 / TM-3 105°00' (EPSG:5897).

VN-2000 ↔ WGS 84 always uses the national 7-parameter shift of decision
05/2007/QĐ-BTNMT, EPSG transformation 6960 ("VN-2000 to WGS 84 (2)"). Left to
itself PROJ picks EPSG:5194 ("(1)", an oil-industry set) in this area, about
0.8 m away in Hậu Giang; :func:`transformer` chooses 6960 wherever it applies.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.transformer import TransformerGroup

STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:5897"


# EPSG:6960, "VN-2000 to WGS 84 (2)": the national parameters (decision 05/2007/QĐ-BTNMT).
NATIONAL_SHIFT = "VN-2000 to WGS 84 (2)"

CRSLike = str | CRS


@lru_cache(maxsize=64)
def transformer(src: CRSLike, dst: CRSLike) -> Transformer:
    """A cached, axis-order-safe (lon/lat, easting/northing) transformer.

    Between a VN-2000 system and a WGS 84 one it is the operation through
    EPSG:6960 (national parameters); otherwise PROJ's best choice.
    """
    for candidate in TransformerGroup(src, dst, always_xy=True).transformers:
        if NATIONAL_SHIFT in candidate.description:
            return candidate
    return Transformer.from_crs(src, dst, always_xy=True)


def reproject(geoms, src: CRSLike, dst: CRSLike):
    """Reproject an array of shapely geometries, vectorised over all coordinates."""
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0 or src == dst or (not isinstance(src, str) or not isinstance(dst, str)) and CRS.from_user_input(src) == CRS.from_user_input(dst):
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


PROVINCE_POINT = (105.6, 9.85)


def _chosen_pipeline(crs: str) -> str:
    """The pipeline pyproj actually applies in the province (it picks among candidates per point)."""
    reference = transformer(STORAGE_CRS, crs).transform(*PROVINCE_POINT)
    for candidate in TransformerGroup(STORAGE_CRS, crs, always_xy=True).transformers:
        x, y = candidate.transform(*PROVINCE_POINT)
        if abs(x - reference[0]) < 1e-3 and abs(y - reference[1]) < 1e-3 and candidate.to_proj4():
            return candidate.to_proj4()
    raise ValueError(f"no PROJ pipeline reproduces pyproj's transformation to {crs}")


@lru_cache(maxsize=4)
def proj4_definition(crs: str = METRIC_CRS) -> str:
    """A proj4js definition of ``crs`` that reproduces pyproj's own WGS84 transformation.

    Browsers show cursor coordinates in the province's grid with proj4js, which
    knows no EPSG database: the projection and the 7-parameter datum shift are
    taken from the pipeline pyproj chose, the Helmert rotations turned from
    the coordinate-frame to the position-vector convention that ``+towgs84`` uses.
    """
    pipeline = _chosen_pipeline(crs)
    projection = pipeline.rsplit("+step ", 1)[-1].strip()
    helmert = re.search(r"\+proj=helmert ([^+]*(?:\+[a-z]+=[^ ]+ ?)*)", pipeline)
    if not helmert:
        return f"{projection} +units=m +no_defs"
    params = dict(re.findall(r"\+([a-z]+)=([^ ]+)", helmert.group(0)))
    sign = -1.0 if params.get("convention") == "coordinate_frame" else 1.0
    shift = [float(params.get(k, 0)) for k in ("x", "y", "z")]
    rotation = [sign * float(params.get(k, 0)) for k in ("rx", "ry", "rz")]
    towgs84 = ",".join(f"{v:.10g}" for v in shift + rotation + [float(params.get("s", 0))])
    return f"{projection} +towgs84={towgs84} +units=m +no_defs"
