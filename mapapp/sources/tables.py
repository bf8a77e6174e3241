"""Tables: CSV and Excel ``.xlsx``, with positions as a WKT column, lon/lat columns or VN-2000 x/y columns,
or none (a table joined to stored features by code)."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from mapapp.errors import ImportRefused
from mapapp.refusals import Reason, reason_of
from mapapp.sources import encodings
from mapapp.sources.mapping import fold
from mapapp.sources.source import Source, geometry_reason, short_reason

# Column names (folded) that hold geometry in a table.
WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "hinh_hoc")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "kinh_do")
LAT_COLUMNS = ("lat", "latitude", "vi_do")
X_COLUMNS = ("x", "easting", "e", "toa_do_x")
Y_COLUMNS = ("y", "northing", "n", "toa_do_y")


def _table_source(name: str, table: pd.DataFrame) -> Source:
    """Find the geometry columns of a table (WKT, lon/lat, x/y) and take them out of the attributes."""
    folded = {fold(c): c for c in table.columns}
    wkt = next((folded[c] for c in WKT_COLUMNS if c in folded), None)
    if wkt is not None:
        text = np.where(table[wkt].isna(), None, table[wkt].astype(object)).astype(object)
        geoms = shapely.from_wkt(text, on_invalid="ignore")
        unreadable = {}
        for i in np.flatnonzero(shapely.is_missing(geoms) & (text != None)):  # noqa: E711 (numpy element-wise)
            try:
                shapely.from_wkt(text[i])
            except shapely.errors.GEOSException as exc:
                unreadable[int(i)] = (geometry_reason(exc) if "LinearRing" in str(exc)
                                     else Reason("table.not_wkt", column=wkt, detail=short_reason(exc)))
        return Source(name, table.drop(columns=[wkt]), geoms, None, geometry_column=wkt, unreadable=unreadable)
    for xs, ys, crs in ((LON_COLUMNS, LAT_COLUMNS, CRS.from_epsg(4326)), (X_COLUMNS, Y_COLUMNS, None)):
        x = next((folded[c] for c in xs if c in folded), None)
        y = next((folded[c] for c in ys if c in folded), None)
        if x is None or y is None:
            continue
        coords = np.column_stack([_coordinates(table[x], name, x), _coordinates(table[y], name, y)])
        geoms = shapely.points(coords)
        geoms[~np.isfinite(coords).all(axis=1)] = None
        return Source(name, table.drop(columns=[x, y]), geoms, crs, geometry_column=f"{x}/{y}")
    return Source(name, table, None, None)


def _coordinates(column: pd.Series, name: str, label: str) -> np.ndarray:
    numbers = pd.to_numeric(column, errors="coerce")
    bad = numbers.isna() & column.notna() & (column.astype(str).str.strip() != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ImportRefused(Reason("table.not_coordinate", name=name, row=i + 1, column=label, value=column.iloc[i]))
    return numbers.to_numpy(dtype=float)


def read_csv(path: Path, encoding: str | None) -> Source:
    """A CSV (``,`` or ``;``, UTF-8 with or without BOM unless ``encoding`` says otherwise), every cell as text."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = encodings.decode(data, encoding or "utf-8")
    except UnicodeDecodeError:
        raise ImportRefused(Reason("file.not_utf8", name=path.name, choices=", ".join(encodings.CHOICES))) from None
    except ValueError as exc:
        raise ImportRefused(reason_of(exc)) from None
    if not text.strip():
        raise ImportRefused(Reason("file.empty", name=path.name))
    sep = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, ValueError) as exc:
        raise ImportRefused(Reason("file.not_csv", name=path.name, detail=short_reason(exc))) from None
    table = table.astype(object).where(table.notna(), None)
    return _table_source(path.name, table)


def read_excel(path: Path) -> Source:
    """The first non-empty sheet of an ``.xlsx`` workbook, cells as openpyxl gives them."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises several kinds for files that are not workbooks
        raise ImportRefused(Reason("file.not_excel", name=path.name, detail=short_reason(exc))) from None
    sheets = {k: v for k, v in sheets.items() if not v.empty}
    if not sheets:
        raise ImportRefused(Reason("file.no_rows", name=path.name))
    name, table = next(iter(sheets.items()))
    table = table.astype(object).where(table.notna(), None)
    table.columns = [str(c) for c in table.columns]
    return _table_source(f"{path.name}[{name}]", table)
