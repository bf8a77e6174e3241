"""Coordinate systems a user may name: EPSG codes, ``VN-2000`` and ``VN-2000/TM3-<meridian>``.

``VN-2000`` alone is the province's cadastral grid, VN-2000 / TM-3 105°00′ (EPSG:5897).
``VN-2000/TM3-105.5`` (or ``105-30``, ``105°30'``) is the TM-3 grid of that central
meridian: k = 0.9999, false easting 500 000 m, on the VN-2000 datum (EPSG:4756) — the
EPSG code where EPSG has one (9209 for 105°30′, 9210 for 105°45′…), else the same
definition built here. Every VN-2000 system reaches WGS 84 through EPSG:6960
(see :mod:`mapapp.analysis.measure`).
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache

from pyproj import CRS
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import TransverseMercatorConversion
from pyproj.database import query_crs_info
from pyproj.exceptions import CRSError

from mapapp.refusals import Reason

PROVINCE_MERIDIAN = 105.0
# Meridians the position check tries when data lands outside the province (issue 9).
NEIGHBOUR_MERIDIANS = (104.5, 105.0, 105.5, 105.75)

_NAMED = re.compile(r"vn-?2000(?:\s*/\s*tm-?3\s*[-_ ]?\s*(?P<meridian>.+))?", re.IGNORECASE)


class UnknownCRS(ValueError):
    """A CRS text that is neither an EPSG code pyproj knows nor a named VN-2000 system."""


def meridian_label(meridian: float) -> str:
    """``105°30′`` for 105.5."""
    degrees = int(meridian)
    minutes = round((meridian - degrees) * 60)
    return f"{degrees}°{minutes:02d}′"


def crs_name(meridian: float) -> str:
    """The name ``--crs`` accepts for a TM-3 meridian: ``VN-2000`` for 105°00′, else ``VN-2000/TM3-105.5``."""
    return "VN-2000" if meridian == PROVINCE_MERIDIAN else f"VN-2000/TM3-{meridian:g}"


def _parse_meridian(text: str) -> float:
    text = text.strip().replace("′", "'").replace("’", "'")
    match = re.fullmatch(r"(\d{2,3})(?:[-°:\s](\d{1,2})'?|\.(\d+))?", text)
    if not match:
        raise UnknownCRS(Reason("crs.not_meridian", value=text))
    degrees = float(match.group(1))
    if match.group(2):
        return degrees + int(match.group(2)) / 60
    if match.group(3):
        return float(f"{match.group(1)}.{match.group(3)}")
    return degrees


@lru_cache(maxsize=1)
def _epsg_tm3() -> dict[float, str]:
    """EPSG codes of the VN-2000 TM-3 grids, by central meridian."""
    found: dict[float, str] = {}
    for info in query_crs_info(auth_name="EPSG"):
        if info.name.startswith("VN-2000 / TM-3"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # to_dict warns that PROJ strings lose detail
                params = CRS.from_epsg(int(info.code)).to_dict()
            if params.get("proj") == "tmerc" and params.get("k") == 0.9999:
                found.setdefault(float(params["lon_0"]), f"EPSG:{info.code}")
    return found


@lru_cache(maxsize=32)
def tm3(meridian: float) -> CRS:
    """VN-2000 / TM-3 at ``meridian`` degrees east."""
    code = _epsg_tm3().get(meridian)
    if code:
        return CRS.from_user_input(code)
    conversion = TransverseMercatorConversion(
        latitude_natural_origin=0, longitude_natural_origin=meridian, false_easting=500_000, false_northing=0,
        scale_factor_natural_origin=0.9999,
    )
    return ProjectedCRS(conversion=conversion, name=f"VN-2000 / TM-3 {meridian_label(meridian)}", geodetic_crs=CRS.from_epsg(4756))


def parse_crs(text: str) -> CRS:
    """A user-given CRS: ``EPSG:5897``, ``VN-2000``, ``VN-2000/TM3-105.5``; :class:`UnknownCRS` otherwise."""
    named = _NAMED.fullmatch(text.strip())
    if named:
        meridian = named.group("meridian")
        return tm3(PROVINCE_MERIDIAN if meridian is None else _parse_meridian(meridian))
    try:
        return CRS.from_user_input(text)
    except CRSError:
        raise UnknownCRS(Reason("crs.unknown", value=text)) from None
