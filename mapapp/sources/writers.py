"""Write a layer in the format its file name says, in EPSG:4326 or EPSG:5897, ready to re-import.

| name ends with | format | notes |
|---|---|---|
| ``.geojson``, ``.json`` | GeoJSON | a ``crs`` member when not WGS84 |
| ``.gpkg`` | GeoPackage | |
| ``.shp.zip``, ``.zip`` | zipped Shapefile | UTF-8 ``.cpg``, ``.prj``; one shapefile per geometry kind (``LAYER_point``, ``LAYER_line``, ``LAYER_polygon`` when mixed) |
| ``.kml``, ``.kmz`` | KML (LIBKML) | WGS84 only, by the KML standard |
| ``.csv`` | CSV, UTF-8, geometry as WKT in column ``wkt`` | carries no CRS: re-import with ``--crs EPSG:5897`` if written in it |
| ``.xlsx`` | Excel, one sheet, geometry as WKT in column ``wkt`` | as CSV |

Shapefile field names (10 characters at most): a field is cut to its first 10
characters (:func:`mapapp.sources.mapping.short_names`; the importer maps them back);
any other attribute longer than 10 characters is cut to its first 8 and numbered
(``ghi_chu_ng`` … ``ghi_chu_01``) and listed in ``fieldnames.txt`` in the zip
(``short<TAB>long`` per line), which the importer reads. Text is UTF-8, never
escaped; an empty value is written empty (null), not as an empty string.
"""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from mapapp.analysis.measure import STORAGE_CRS, reproject
from mapapp.errors import ImportRefused
from mapapp.geojson import collection_json
from mapapp.layers import get_layer
from mapapp.sources.crs import parse_crs
from mapapp.sources.mapping import (
    FIELD_NAMES_MEMBER,
    SHAPEFILE_NAME_LENGTH,
    short_names,
)

EXPORT_CRS = ("EPSG:4326", "EPSG:5897")
EXCEL_CELL_LIMIT = 32_767
FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".zip": "Shapefile", ".kml": "KML", ".kmz": "KML",
           ".csv": "CSV", ".xlsx": "XLSX"}


def _kind(path: Path) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImportRefused(
            f"cannot write {path.name}: name it .geojson, .gpkg, .shp.zip, .kml, .kmz, .csv or .xlsx")
    return kind


def _typed(frame: gpd.GeoDataFrame, layer: str) -> gpd.GeoDataFrame:
    """Spec numbers as numbers (whole numbers as nullable integers), text as text with None for empty."""
    spec = get_layer(layer)
    out = frame.copy()
    for f in spec.fields:
        if f.name not in out.columns:
            continue
        if f.type == "int":
            out[f.name] = pd.array(pd.to_numeric(out[f.name]), dtype="Int64")
        elif f.type == "float":
            out[f.name] = pd.to_numeric(out[f.name]).astype("float64")
    for name in out.columns:
        if name != out.geometry.name and out[name].dtype == object:
            out[name] = out[name].map(lambda v: None if v is None or (isinstance(v, str) and v == "") or v != v else v)
    return out


def write_layer(frame: gpd.GeoDataFrame, path: str | Path, layer: str, crs: str = "EPSG:4326") -> Path:
    """Write ``frame`` (WGS84) to ``path`` in ``crs``; returns the path written. ``ImportRefused`` for what cannot be written."""
    path = Path(path)
    kind = _kind(path)
    target = parse_crs(crs)
    if target.to_epsg() not in (4326, 5897):
        raise ImportRefused(f"export --crs {crs}: choose EPSG:4326 (WGS84) or EPSG:5897 (VN-2000 / TM-3 105°00')")
    if kind == "KML" and target.to_epsg() != 4326:
        raise ImportRefused("KML is WGS84 by definition: export it without --crs or with --crs EPSG:4326")
    out = _typed(frame, layer)
    code = f"EPSG:{target.to_epsg()}"
    geoms = reproject(np.asarray(out.geometry.values, dtype=object), STORAGE_CRS, code)
    out = gpd.GeoDataFrame(out.drop(columns=out.geometry.name), geometry=geoms, crs=code)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    if kind == "GeoJSON" and target.to_epsg() == 4326:
        # RFC 7946 through mapapp's one GeoJSON writer: counter-clockwise outer rings, UTF-8 text, nulls
        path.write_text(collection_json(out, id_column="code"), encoding="utf-8")
    elif kind in ("GeoJSON", "GPKG"):
        options = {"layer": layer} if kind == "GPKG" else {}
        pyogrio.write_dataframe(out, path, driver=kind, **options)
    elif kind == "KML":
        pyogrio.write_dataframe(out, path, driver="LIBKML", layer=layer)
    elif kind == "Shapefile":
        _write_shapefile_zip(out, path, layer)
    else:
        table = pd.DataFrame(out.drop(columns=out.geometry.name))
        table["wkt"] = shapely.to_wkt(np.asarray(out.geometry.values, dtype=object), rounding_precision=-1)
        if kind == "CSV":
            table.to_csv(path, index=False, encoding="utf-8")
        else:
            too_long = table["wkt"].str.len() > EXCEL_CELL_LIMIT
            if too_long.any():
                i = int(np.flatnonzero(too_long.to_numpy())[0])
                raise ImportRefused(f"feature {i + 1} ({table['code'].iloc[i]}): its geometry is longer than an Excel cell "
                                    f"holds ({EXCEL_CELL_LIMIT:,} characters); export GeoPackage instead")
            table.to_excel(path, index=False, sheet_name=layer, engine="openpyxl")
    return path


def shapefile_names(layer: str, columns: list[str]) -> dict[str, str]:
    """Attribute → its shapefile name (see the module's rule)."""
    spec_short = short_names(get_layer(layer))
    names: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        if column in spec_short:
            short = spec_short[column]
        elif len(column) <= SHAPEFILE_NAME_LENGTH:
            short = column
        else:
            short = column[:SHAPEFILE_NAME_LENGTH]
            counter = 0
            while short in used or short in spec_short.values():
                counter += 1
                short = f"{column[:SHAPEFILE_NAME_LENGTH - 2]}{counter:02d}"
        names[column] = short
        used.add(short)
    return names


_KINDS = {0: "point", 4: "point", 1: "line", 5: "line", 3: "polygon", 6: "polygon"}


def _write_shapefile_zip(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    if not path.name.lower().endswith(".zip"):
        raise ImportRefused(f"cannot write {path.name}: a shapefile is written zipped, as LAYER.shp.zip")
    columns = [c for c in frame.columns if c != frame.geometry.name]
    names = shapefile_names(layer, columns)
    renamed = frame.rename(columns=names)
    kinds = np.array([_KINDS.get(t, "other") for t in shapely.get_type_id(np.asarray(frame.geometry.values, dtype=object))])
    if (kinds == "other").any():
        raise ImportRefused("a shapefile holds points, lines or polygons only; this layer has other geometry: export GeoPackage")
    present = [k for k in ("point", "line", "polygon") if (kinds == k).any()] or ["polygon"]
    long_names = {short: long for long, short in names.items() if long not in short_names(get_layer(layer)) and short != long}
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for kind in present:
            stem = layer if len(present) == 1 else f"{layer}_{kind}"
            part = renamed[kinds == kind] if len(frame) else renamed
            target = Path(tmp) / f"{stem}.shp"
            pyogrio.write_dataframe(part, target, driver="ESRI Shapefile", encoding="UTF-8", promote_to_multi=kind != "point")
            for member in sorted(Path(tmp).glob(f"{stem}.*")):
                zf.write(member, member.name)
        if long_names:
            zf.writestr(FIELD_NAMES_MEMBER, "".join(f"{s}\t{lng}\n" for s, lng in long_names.items()))
