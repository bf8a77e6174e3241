"""Read a source file into a WGS84 GeoDataFrame with the layer's field names, or refuse it with a line that says why.

Steps: read the format (:mod:`mapapp.sources.formats`), name the columns
(:mod:`mapapp.sources.mapping`), settle the CRS (``--crs`` > the file's own; named
VN-2000 systems in :mod:`mapapp.sources.crs`), reproject with EPSG:6960 for VN-2000
(:mod:`mapapp.analysis.measure`) and check every feature lies in the province
(:mod:`mapapp.sources.position`), naming the likely cause when not.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from mapapp.analysis.measure import STORAGE_CRS, reproject
from mapapp.errors import ImportRefused
from mapapp.layers import LAYERS
from mapapp.refusals import Reason, reason_of
from mapapp.sources import crs as crs_names
from mapapp.sources.formats import read_source
from mapapp.sources.mapping import plain, plan
from mapapp.sources.position import likely_cause, outside, province_extent
from mapapp.values import code_or_none


def parse_crs(text: str) -> CRS:
    """A user-given CRS: ``EPSG:5897``, ``VN-2000``, ``VN-2000/TM3-105.5``; refuse anything else."""
    try:
        return crs_names.parse_crs(text)
    except crs_names.UnknownCRS as exc:
        raise ImportRefused(reason_of(exc)) from None


def read_geodata(
    path: str | Path,
    crs: str | None = None,
    target: str = "",
    source_layer: str | None = None,
    *,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    extent: BaseGeometry | None = None,
    tables: bool = False,
) -> gpd.GeoDataFrame:
    """Read ``path`` and return its features in EPSG:4326, columns named for layer ``target``.

    ``crs`` states the file's CRS and overrides what the file declares (GeoJSON is
    WGS84 by definition, and GDAL says so even for a file in VN-2000 metres).
    ``encoding`` is the text encoding of a DBF or CSV (see :mod:`mapapp.sources.encodings`).
    ``mapping`` is field → source column (``--map``). ``extent`` is where features may
    lie (WGS84; default :func:`~mapapp.sources.position.province_extent` without a
    province polygon). ``tables``: a source without geometry (an Excel list) comes
    back with every geometry None and ``attrs["table"] = True``, for joining by code.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(Reason("file.missing", path=path))
    if path.stat().st_size == 0:
        raise ImportRefused(Reason("file.empty", name=path.name))
    source = read_source(path, source_layer=source_layer, target=target, encoding=encoding)
    spec = LAYERS.get(target)
    columns = [str(c) for c in source.table.columns]
    names = plan(spec, columns, mapping) if spec else [plain(c) for c in columns]
    table = source.table.set_axis(names, axis=1)
    if source.geometry is None:
        if not tables:
            raise ImportRefused(Reason("file.table_not_geodata", name=source.name))
        if len(table) == 0:
            raise ImportRefused(Reason("file.no_features", name=source.name))
        frame = gpd.GeoDataFrame(table, geometry=np.full(len(table), None, dtype=object), crs=STORAGE_CRS)
        frame.attrs["table"] = True
        frame.attrs["notes"] = source.notes
        return frame
    if len(source.geometry) == 0:
        raise ImportRefused(Reason("file.no_features", name=source.name))
    geoms = np.asarray(source.geometry, dtype=object)
    codes = table["code"].to_numpy() if "code" in table.columns else np.full(len(table), None, dtype=object)
    if source.unreadable:
        i, reason = min(source.unreadable.items())
        raise ImportRefused(reason, feature=i + 1, code=code_or_none(codes[i]), field="geometry", layer=target or None)
    src_crs = parse_crs(crs) if crs else source.crs
    if src_crs is None:
        src_crs = _infer_crs(geoms, _extent(extent), source.name)
        source.notes.append(f"coordinate system not stated: read as {src_crs.name}, the only one that puts every feature in the province")
    wgs84 = _to_storage(geoms, src_crs, source.name)
    _check_position(geoms, wgs84, src_crs, _extent(extent), codes, target, source.name, given=bool(crs))
    frame = gpd.GeoDataFrame(table, geometry=wgs84, crs=STORAGE_CRS)
    frame.attrs["notes"] = source.notes
    return frame


def _infer_crs(geoms: np.ndarray, extent: BaseGeometry, name: str) -> CRS:
    """The one system among WGS 84 and the VN-2000 TM-3 grids that puts every feature in the province, or a refusal."""
    candidates = [CRS.from_epsg(4326)] + [crs_names.tm3(m) for m in crs_names.NEIGHBOUR_MERIDIANS]
    present = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    fitting = [c for c in candidates if present.size and not outside(_to_storage(present, c, name), extent).any()]
    if len(fitting) == 1:
        return fitting[0]
    said = Reason("crs.could_be", names=", ".join(c.name for c in fitting)) if fitting else ""
    raise ImportRefused(Reason("crs.not_stated", name=name, said=said))


def _extent(extent: BaseGeometry | None) -> BaseGeometry:
    return extent if extent is not None else province_extent(None)


def _to_storage(geoms: np.ndarray, src_crs: CRS, name: str) -> np.ndarray:
    if src_crs.is_geographic:
        bounds = shapely.bounds(geoms)
        finite = bounds[np.isfinite(bounds).all(axis=1)]
        if finite.size and (np.abs(finite[:, [0, 2]]).max() > 180 or np.abs(finite[:, [1, 3]]).max() > 90):
            return np.full(len(geoms), None, dtype=object)  # not degrees: the position check says why
    return reproject(geoms, src_crs, STORAGE_CRS)



def _check_position(geoms: np.ndarray, wgs84: np.ndarray, src_crs: CRS, extent: BaseGeometry, codes: np.ndarray,
                    layer: str, name: str, given: bool) -> None:
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    bad = present & (shapely.is_missing(wgs84) | outside(np.where(shapely.is_missing(wgs84), shapely.Point(), wgs84), extent))
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    cause = likely_cause(geoms[present], src_crs, extent)
    if cause is None:
        system = src_crs.name if given else Reason("position.as_file_says", name=src_crs.name)
        cause = Reason("position.not_fit", system=system)
    key = "position.not_degrees" if shapely.is_missing(wgs84[i]) else "position.outside"
    raise ImportRefused(
        Reason(key, count=int(bad.sum()), total=int(present.sum()), cause=cause),
        feature=i + 1, code=code_or_none(codes[i]), field="geometry", layer=layer or None,
    )
