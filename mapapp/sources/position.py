"""Is the data where the province is? And if not, why not.

After reprojection every feature must lie inside the province's extent: the
``boundaries`` layer's province polygon grown by 10 km when one is loaded, or else
the configured box ``MAPAPP_EXTENT`` (``minlon,minlat,maxlon,maxlat``, default
105.2,9.4,106.0,10.2, around Hậu Giang's 105.33–105.90 E, 9.58–9.99 N).

A file that is not is refused with the likely cause, worked out by trying the
usual mistakes on the file's own coordinates (issue 9): latitude and longitude
swapped; another VN-2000 TM-3 meridian (104°30′, 105°00′, 105°30′, 105°45′);
degrees read as metres; metres read as degrees.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from mapapp.analysis.measure import METRIC_CRS, STORAGE_CRS, reproject
from mapapp.refusals import Both, Reason
from mapapp.sources.crs import NEIGHBOUR_MERIDIANS, crs_name, meridian_label, tm3

DEFAULT_EXTENT = (105.2, 9.4, 106.0, 10.2)
BOUNDARY_MARGIN_M = 10_000.0


def configured_extent() -> BaseGeometry:
    """``MAPAPP_EXTENT`` (lon/lat box, WGS84) or the default around the province; ``ValueError`` if malformed."""
    text = os.environ.get("MAPAPP_EXTENT", "").strip()
    if not text:
        return shapely.box(*DEFAULT_EXTENT)
    try:
        minx, miny, maxx, maxy = (float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"MAPAPP_EXTENT={text!r} is not minlon,minlat,maxlon,maxlat") from None
    if not (minx < maxx and miny < maxy):
        raise ValueError(f"MAPAPP_EXTENT={text!r} is not minlon,minlat,maxlon,maxlat")
    return shapely.box(minx, miny, maxx, maxy)


def province_extent(province: BaseGeometry | None = None) -> BaseGeometry:
    """Where features may lie (WGS84): ``province`` (the boundaries layer's polygon, WGS84) grown by 10 km, else the configured box."""
    if province is None or province.is_empty:
        return configured_extent()
    metric = reproject([province], STORAGE_CRS, METRIC_CRS)[0]
    return reproject([shapely.buffer(metric, BOUNDARY_MARGIN_M)], METRIC_CRS, STORAGE_CRS)[0]


def outside(geoms_wgs84: np.ndarray, extent: BaseGeometry) -> np.ndarray:
    """Mask of geometries not wholly inside ``extent`` (vectorised)."""
    shapely.prepare(extent)
    return ~shapely.covers(extent, geoms_wgs84)


def _fits(coords: np.ndarray, crs: CRS | str, extent: BaseGeometry) -> bool:
    """Whether points (x, y in ``crs``) all land inside ``extent`` once reprojected."""
    if not np.isfinite(coords).all():
        return False
    if CRS.from_user_input(crs).is_geographic and (np.abs(coords[:, 0]).max() > 180 or np.abs(coords[:, 1]).max() > 90):
        return False
    points = reproject(shapely.points(coords), crs, STORAGE_CRS)
    return bool(np.all(shapely.covers(extent, points)))


def _fitting_meridians(coords: np.ndarray, crs: CRS, extent: BaseGeometry) -> list[float]:
    """The TM-3 meridians (other than ``crs``'s own) that put the points inside ``extent``, west to east.

    Neighbouring meridians are 27–55 km apart, so with a loose extent (the default box
    is 88 km wide) more than one may fit: then all are named, for the user to choose.
    """
    return sorted(m for m in NEIGHBOUR_MERIDIANS if tm3(m) != crs and _fits(coords, tm3(m), extent))


def _either(names: list[str]) -> Both:
    """``names`` joined by "hoặc" / "or"."""
    return Both(" hoặc ".join(names), " or ".join(names))


def likely_cause(geoms: Sequence, crs: CRS, extent: BaseGeometry) -> Reason | None:
    """Why features in ``crs`` (their file's coordinates) fall outside ``extent``, when a usual mistake explains it.

    Tries the mistakes on the corners and centres of the features' bounding boxes;
    returns a sentence naming the cause and the fix, or None.
    """
    arr = np.asarray(geoms, dtype=object)
    bounds = shapely.bounds(arr)
    bounds = bounds[np.isfinite(bounds).all(axis=1)]
    if not len(bounds):
        return None
    coords = np.concatenate([bounds[:, [0, 1]], bounds[:, [2, 3]], (bounds[:, [0, 1]] + bounds[:, [2, 3]]) / 2])
    swapped = coords[:, ::-1]
    crs = CRS.from_user_input(crs)
    if _fits(swapped, crs, extent):
        return Reason("cause.swapped_latlon" if crs.is_geographic else "cause.swapped_en")
    meridians = _fitting_meridians(coords, crs, extent)
    if meridians:
        labels = _either([meridian_label(m) for m in meridians])
        names = _either([crs_name(m) for m in meridians])
        which = Reason("cause.which_survey") if len(meridians) > 1 else ""
        key = "cause.metres_not_degrees" if crs.is_geographic else "cause.other_meridian"
        return Reason(key, labels=labels, names=names, which=which)
    if not crs.is_geographic and _fits(coords, STORAGE_CRS, extent):
        return Reason("cause.degrees_not_metres")
    if not crs.is_geographic and _fits(swapped, STORAGE_CRS, extent):
        return Reason("cause.degrees_swapped")
    return None
