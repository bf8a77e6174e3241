"""Read a source file of any format the board receives into one shape: attribute columns, geometries, CRS.

Formats (chosen by extension, then by content): GeoJSON, GeoPackage and anything else
GDAL reads; Shapefile loose or zipped (attributes read by :mod:`mapapp.sources.dbf` in
the declared or detected encoding); KML/KMZ; CSV with a WKT column, lon/lat columns or
VN-2000 x/y columns; Excel ``.xlsx`` (same columns as CSV, or none: a table joined to
stored features by code); DXF and DGN v7 (closed shapes become polygons, each taking
its code from the text label inside it).

Nothing here judges values: columns come back as written (text stays text) for
:mod:`mapapp.sources.mapping` and :func:`mapapp.sources.validate.validate`.
"""
from __future__ import annotations

from pathlib import Path

from mapapp.sources.gdal_files import read_cad, read_gdal, read_geojson
from mapapp.sources.shapefiles import read_shapefile, zip_members
from mapapp.sources.source import Source
from mapapp.sources.tables import read_csv, read_excel

CAD_SUFFIXES = (".dxf", ".dgn")


def read_source(path: Path, source_layer: str | None = None, target: str = "", encoding: str | None = None) -> Source:
    """The file at ``path`` as a :class:`Source`; ``ImportRefused`` with the reason when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".zip" and zip_members(path, ".shp"):
        return read_shapefile(path, encoding)
    if suffix == ".shp":
        return read_shapefile(path, encoding)
    if suffix in (".csv", ".txt"):
        return read_csv(path, encoding)
    if suffix in (".xlsx", ".xlsm"):
        return read_excel(path)
    if suffix in CAD_SUFFIXES:
        return read_cad(path, target)
    if suffix in (".geojson", ".json"):
        return read_geojson(path, source_layer, target)
    return read_gdal(path, source_layer, target)
