"""Read a geodata file into a WGS84 GeoDataFrame, or refuse it with a line that says why."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
from pyproj import CRS
from pyproj.exceptions import CRSError

from mapapp.analysis.measure import STORAGE_CRS
from mapapp.errors import ImportRefused

WRITERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG"}


def parse_crs(text: str) -> CRS:
    """A user-given CRS such as ``EPSG:5897``; refuse anything pyproj does not know."""
    try:
        return CRS.from_user_input(text)
    except CRSError:
        raise ImportRefused(f"--crs {text!r} is not a coordinate reference system pyproj knows (try EPSG:5897)") from None


def _pick_layer(path: Path, wanted: str | None, target: str) -> str | None:
    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # GDAL raises several kinds for unreadable files
        raise ImportRefused(f"{path.name} is not a geodata file GDAL can read ({_short(exc)}); use GeoJSON or GeoPackage") from None
    if not names:
        raise ImportRefused(f"{path.name} holds no layers")
    if wanted:
        if wanted not in names:
            raise ImportRefused(f"{path.name} has no layer {wanted!r}; its layers are: {', '.join(names)}")
        return wanted
    if len(names) == 1:
        return names[0]
    if target in names:
        return target
    raise ImportRefused(f"{path.name} has several layers ({', '.join(names)}); choose one with --source-layer")


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160]


def read_geodata(
    path: str | Path, crs: str | None = None, target: str = "", source_layer: str | None = None
) -> gpd.GeoDataFrame:
    """Read ``path`` and return its features in EPSG:4326.

    ``crs`` states the file's CRS. It overrides what the file declares, because
    GeoJSON is WGS84 by definition and GDAL says so even for a file written in
    VN-2000 metres with no ``crs`` member; coordinates that cannot be degrees
    are refused with a hint rather than stored somewhere in the ocean.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"file {path} does not exist")
    if path.stat().st_size == 0:
        raise ImportRefused(f"{path.name} is empty")
    layer = _pick_layer(path, source_layer, target)
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise ImportRefused(f"{path.name} could not be read as geodata ({_short(exc)})") from None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise ImportRefused(f"{path.name} has no geometry column; it is a table, not geodata")
    if len(frame) == 0:
        raise ImportRefused(f"{path.name} holds no features")
    if crs:
        frame = frame.set_crs(parse_crs(crs), allow_override=True)
    if frame.crs is None:
        raise ImportRefused(f"{path.name} does not say its coordinate system; pass --crs (e.g. --crs EPSG:5897 for VN-2000 / TM-3 105°00')")
    _check_degrees(frame, path.name)
    frame.columns = [c if c == frame.geometry.name else str(c).strip().lower() for c in frame.columns]
    return frame.to_crs(STORAGE_CRS)


def _check_degrees(frame: gpd.GeoDataFrame, name: str) -> None:
    if not frame.crs.is_geographic:
        return
    bounds = frame.geometry.bounds.to_numpy()
    finite = bounds[np.isfinite(bounds).all(axis=1)]
    if finite.size and (np.abs(finite[:, [0, 2]]).max() > 180 or np.abs(finite[:, [1, 3]]).max() > 90):
        raise ImportRefused(
            f"{name}: coordinates such as {finite[0, 0]:.0f}, {finite[0, 1]:.0f} are not degrees; "
            "the file is in a projected CRS: pass it with --crs (e.g. --crs EPSG:5897)"
        )


def write_geodata(frame: gpd.GeoDataFrame, path: str | Path, layer: str) -> None:
    """Write GeoJSON or GeoPackage, chosen by the file's extension."""
    path = Path(path)
    driver = WRITERS.get(path.suffix.lower())
    if driver is None:
        raise ImportRefused(f"cannot write {path.name}: use a .geojson or .gpkg file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    options = {"layer": layer} if driver == "GPKG" else {}
    pyogrio.write_dataframe(frame, path, driver=driver, **options)
