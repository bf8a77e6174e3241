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

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS

from mapapp.errors import ImportRefused
from mapapp.sources import dbf, encodings
from mapapp.sources.mapping import fold

# Column names (folded) that hold geometry in a table.
WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "hinh_hoc")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "kinh_do")
LAT_COLUMNS = ("lat", "latitude", "vi_do")
X_COLUMNS = ("x", "easting", "e", "toa_do_x")
Y_COLUMNS = ("y", "northing", "n", "toa_do_y")
CAD_SUFFIXES = (".dxf", ".dgn")


@dataclass
class Source:
    """What a file holds: ``table`` (columns as named in the file, possibly repeated), geometries, CRS.

    ``geometry`` is None for a table without positions (an Excel household list).
    ``crs`` is None when the file does not say. ``notes`` are facts the reader
    established (e.g. the encoding it used), for the import's report.
    """

    name: str
    table: pd.DataFrame
    geometry: np.ndarray | None
    crs: CRS | None
    notes: list[str] = field(default_factory=list)
    geometry_column: str | None = None
    # Geometries the file holds but GEOS cannot build (an unclosed ring): why, by feature position.
    unreadable: dict[int, str] = field(default_factory=dict)


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160]


def read_source(path: Path, source_layer: str | None = None, target: str = "", encoding: str | None = None) -> Source:
    """The file at ``path`` as a :class:`Source`; ``ImportRefused`` with the reason when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".zip" and _zip_members(path, ".shp"):
        return _read_shapefile(path, encoding)
    if suffix == ".shp":
        return _read_shapefile(path, encoding)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, encoding)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path)
    if suffix in CAD_SUFFIXES:
        return _read_cad(path, target)
    if suffix in (".geojson", ".json"):
        return _read_geojson(path, source_layer, target)
    return _read_gdal(path, source_layer, target)


def _pick_layer(path: str, display: str, wanted: str | None, target: str) -> str | None:
    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # GDAL raises several kinds for unreadable files
        raise ImportRefused(f"{display} is not a geodata file GDAL can read ({_short(exc)})") from None
    if not names:
        raise ImportRefused(f"{display} holds no layers")
    if wanted:
        if wanted not in names:
            raise ImportRefused(f"{display} has no layer {wanted!r}; its layers are: {', '.join(names)}")
        return wanted
    if len(names) == 1:
        return names[0]
    if target in names:
        return target
    raise ImportRefused(f"{display} has several layers ({', '.join(names)}); choose one with --source-layer")


def _raw(path: str, display: str, layer: str | None, **kwargs) -> tuple[dict, list[str], list[np.ndarray], np.ndarray | None]:
    try:
        meta, _, geometry, values = pyogrio.raw.read(path, layer=layer, datetime_as_string=True, **kwargs)
    except Exception as exc:
        raise ImportRefused(f"{display} could not be read as geodata ({_short(exc)})") from None
    geoms = None if geometry is None else shapely.from_wkb(geometry, on_invalid="ignore")
    return meta, [str(f) for f in meta["fields"]], list(values), geoms


_GEOS_REASONS = {
    "do not form a closed linestring": "a polygon ring is not closed (its first and last points differ)",
    "must contain 0 or >1 elements": "a line or ring has too few points",
    "Invalid number of points in LinearRing": "a polygon ring has fewer than 4 points",
}


def geometry_reason(exc: Exception) -> str:
    """A GEOS construction error as a user's reason."""
    text = str(exc)
    return next((reason for key, reason in _GEOS_REASONS.items() if key in text), f"the geometry cannot be built ({_short(exc)})")


def _unreadable_wkb(path: str, layer: str | None, geoms: np.ndarray | None) -> dict[int, str]:
    """Features whose WKB GDAL gave but GEOS refused (read again, geometry only, to learn why)."""
    if geoms is None or not shapely.is_missing(geoms).any():
        return {}
    _, _, wkb, _ = pyogrio.raw.read(path, layer=layer, columns=[])
    found = {}
    for i in np.flatnonzero(shapely.is_missing(geoms) & (wkb != None)):  # noqa: E711 (numpy element-wise)
        try:
            shapely.from_wkb(wkb[i])
        except shapely.errors.GEOSException as exc:
            found[int(i)] = geometry_reason(exc)
    return found


def _frame(columns: list[str], values: list[np.ndarray], count: int) -> pd.DataFrame:
    if not columns:
        return pd.DataFrame(index=range(count))
    return pd.DataFrame({i: v for i, v in enumerate(values)}).set_axis(columns, axis=1)


def _read_gdal(path: Path, source_layer: str | None, target: str) -> Source:
    layer = _pick_layer(str(path), path.name, source_layer, target)
    meta, columns, values, geoms = _raw(str(path), path.name, layer)
    count = 0 if geoms is None else len(geoms)
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    table = _frame(columns, values, count)
    if path.suffix.lower() in (".kml", ".kmz"):
        table = _kml_columns(table)
    return Source(path.name, table, geoms, crs, unreadable=_unreadable_wkb(str(path), layer, geoms))


def _objects(values: list) -> np.ndarray:
    """A 1-D object array of ``values`` as they are (lists stay lists, not a second dimension)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _read_geojson(path: Path, source_layer: str | None, target: str) -> Source:
    """Geometry by GDAL, properties as JSON wrote them (Python's ``json``).

    GDAL types each property column as a whole: a column holding ``101``, ``"0102"`` and
    ``103.0`` becomes text ``"103.0"``, a 20-digit number a float, an object its JSON
    text. Read natively, every value keeps its own type: numbers stay numbers (a code
    gets its integer text), objects stay objects (refused for a field, kept among the
    extra attributes), and a property named ``geometry`` is just a property.
    """
    source = _read_gdal(path, source_layer, target)
    try:
        features = json.loads(path.read_text(encoding="utf-8")).get("features")
    except (ValueError, AttributeError):
        return source
    if not isinstance(features, list) or source.geometry is None or len(features) != len(source.geometry):
        return source
    rows = [f.get("properties") or {} if isinstance(f, dict) else {} for f in features]
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    columns = list(names)
    values = [_objects([row.get(name) for row in rows]) for name in columns]
    source.table = _frame(columns, values, len(rows))
    return source


# Columns LIBKML adds to every placemark; dropped when they hold nothing (or only KML's defaults).
_KML_OWN = ("Name", "description", "Description", "timestamp", "begin", "end", "altitudeMode", "icon")
_KML_FLAGS = ("tessellate", "extrude", "visibility", "drawOrder")


def _kml_columns(table: pd.DataFrame) -> pd.DataFrame:
    """KML's own columns dropped when empty, LIBKML's made-up placemark ids dropped, the rest kept.

    A ``Name`` becomes the code when the placemarks carry no ``code`` (as phone apps write them).
    """
    def noise(column: str) -> bool:
        values = table[column]
        if column in _KML_OWN:
            return bool(values.isna().all())
        if column in _KML_FLAGS:
            return set(pd.unique(values.dropna())) <= {-1, 0, 1}
        if column == "id":
            return bool(values.astype(str).str.fullmatch(r"\S+\.\d+").all())  # layer.1, layer.2… made up by LIBKML
        return False

    table = table[[c for c in table.columns if not noise(c)]]
    if "code" not in [c.lower() for c in table.columns] and "Name" in table.columns:
        table = table.rename(columns={"Name": "code"})
    return table


# --- shapefiles --------------------------------------------------------------------------------------------


def _zip_members(path: Path, suffix: str) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            return sorted(n for n in zf.namelist() if n.lower().endswith(suffix) and not n.startswith("__MACOSX"))
    except zipfile.BadZipFile:
        return []


def _sidecar(path: Path, member: str | None, suffix: str) -> bytes | None:
    """The bytes of a shapefile's companion file (``.dbf``, ``.cpg``, ``.prj``), loose or in the zip."""
    if member is None:
        for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
            if candidate.is_file():
                return candidate.read_bytes()
        return None
    stem = member[: -len(".shp")]
    with zipfile.ZipFile(path) as zf:
        names = {n.lower(): n for n in zf.namelist()}
        name = names.get((stem + suffix).lower())
        return zf.read(name) if name else None


def _shapefile_encoding(table: dbf.DbfTable, declared: str | None, cpg: bytes | None, display: str) -> tuple[str, str]:
    """The encoding to read the DBF in and how it was chosen (``--encoding`` > ``.cpg`` > ASCII > clean UTF-8)."""
    if declared:
        try:
            return encodings.canonical(declared), "--encoding"
        except ValueError as exc:
            raise ImportRefused(str(exc)) from None
    if cpg is not None:
        said = encodings.from_cpg(cpg.decode("ascii", errors="replace"))
        if said:
            return said, ".cpg"
    if dbf.text_is_ascii(table):
        return "ascii", "plain ASCII"
    if dbf.decodes_as(table, "utf-8"):
        return "utf-8", "decodes cleanly as UTF-8"
    raise ImportRefused(
        f"{display}: the attribute table holds non-ASCII text and no .cpg says its encoding; "
        f"pass --encoding with one of {', '.join(encodings.CHOICES)} (TCVN3 is the ABC .Vn fonts, VNI the VNI- fonts)"
    )


def _read_one_shapefile(path: Path, member: str | None, encoding: str | None) -> Source:
    display = f"{path.name}:{member}" if member else path.name
    gdal_path = f"/vsizip/{path}/{member}" if member else str(path)
    try:
        meta, _, wkb, _ = pyogrio.raw.read(gdal_path, columns=[], return_fids=False)
    except Exception as exc:
        raise ImportRefused(f"{display} could not be read as a shapefile ({_short(exc)})") from None
    geoms = shapely.from_wkb(wkb)
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    raw_dbf = _sidecar(path, member, ".dbf")
    if raw_dbf is None:
        return Source(display, pd.DataFrame(index=range(len(geoms))), geoms, crs)
    try:
        table = dbf.read_table(raw_dbf, f"{display} (.dbf)")
    except dbf.DbfError as exc:
        raise ImportRefused(str(exc)) from None
    chosen, how = _shapefile_encoding(table, encoding, _sidecar(path, member, ".cpg"), display)
    try:
        frame = dbf.to_frame(table, chosen)
    except dbf.DbfError as exc:
        raise ImportRefused(f"{display}: {exc}; pass --encoding with one of {', '.join(encodings.CHOICES)}") from None
    frame = frame[~table.deleted].reset_index(drop=True)
    if len(frame) != len(geoms):
        raise ImportRefused(f"{display}: {len(geoms)} shapes but {len(frame)} attribute records")
    return Source(display, frame, geoms, crs, notes=[f"text read as {chosen} ({how})"])


FIELD_NAMES_MEMBER = "fieldnames.txt"  # written by mapapp.sources.writers: short<TAB>long per line


def _long_names(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        member = next((n for n in zf.namelist() if n.rsplit("/", 1)[-1] == FIELD_NAMES_MEMBER), None)
        if member is None:
            return {}
        lines = zf.read(member).decode("utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def _read_shapefile(path: Path, encoding: str | None) -> Source:
    if path.suffix.lower() != ".zip":
        return _read_one_shapefile(path, None, encoding)
    members = _zip_members(path, ".shp")
    long_names = _long_names(path)
    parts = [_read_one_shapefile(path, m, encoding) for m in members]
    for part in parts:
        part.table = part.table.rename(columns=long_names)
    if len(parts) == 1:
        return parts[0]
    stems = {Path(m).stem.rsplit("_", 1)[0] for m in members}
    if len(stems) != 1:
        raise ImportRefused(f"{path.name} holds several shapefiles ({', '.join(members)}); zip one layer per file")
    crs = {str(p.crs) for p in parts}
    if len(crs) > 1:
        raise ImportRefused(f"{path.name}: its shapefiles are in different coordinate systems")
    table = pd.concat([p.table for p in parts], ignore_index=True)
    geoms = np.concatenate([p.geometry for p in parts])
    return Source(path.name, table, geoms, parts[0].crs, notes=parts[0].notes)


# --- tables: CSV and Excel ---------------------------------------------------------------------------------


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
                unreadable[int(i)] = geometry_reason(exc) if "LinearRing" in str(exc) else f"column {wkt} is not WKT ({_short(exc)})"
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
        raise ImportRefused(f"{name}: row {i + 1}, column {label}: {column.iloc[i]!r} is not a coordinate (dot decimals)")
    return numbers.to_numpy(dtype=float)


def _read_csv(path: Path, encoding: str | None) -> Source:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = encodings.decode(data, encoding or "utf-8")
    except UnicodeDecodeError:
        raise ImportRefused(
            f"{path.name} is not UTF-8 text; pass --encoding with one of {', '.join(encodings.CHOICES)}") from None
    except ValueError as exc:
        raise ImportRefused(str(exc)) from None
    if not text.strip():
        raise ImportRefused(f"{path.name} is empty")
    sep = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, ValueError) as exc:
        raise ImportRefused(f"{path.name} is not a CSV table ({_short(exc)})") from None
    table = table.astype(object).where(table.notna(), None)
    return _table_source(path.name, table)


def _read_excel(path: Path) -> Source:
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises several kinds for files that are not workbooks
        raise ImportRefused(f"{path.name} is not an Excel workbook ({_short(exc)})") from None
    sheets = {k: v for k, v in sheets.items() if not v.empty}
    if not sheets:
        raise ImportRefused(f"{path.name} holds no rows")
    name, table = next(iter(sheets.items()))
    table = table.astype(object).where(table.notna(), None)
    table.columns = [str(c) for c in table.columns]
    return _table_source(f"{path.name}[{name}]", table)


# --- CAD: DXF and DGN v7 -----------------------------------------------------------------------------------


def _read_cad(path: Path, target: str) -> Source:
    """Closed shapes as polygons (lines too for ``projects``), each with the code of the text label inside it.

    GDAL reads both formats as one layer of entities: lines/shapes, and points for
    text with its string in ``Text``. A shape holding no label, or several, gets no
    code (the validation then names it).
    """
    meta, columns, values, geoms = _raw(str(path), path.name, None)
    table = _frame(columns, values, len(geoms))
    text_col = next((c for c in table.columns if c.lower() == "text"), None)
    types = shapely.get_type_id(geoms)
    is_label = (types == 0) & (table[text_col].notna().to_numpy() if text_col else False)
    lines = np.isin(types, (1, 2))  # LineString, LinearRing
    closed = np.zeros(len(geoms), dtype=bool)
    closed[lines] = shapely.is_closed(geoms[lines]) & (shapely.get_num_points(geoms[lines]) >= 4)
    polygons = np.isin(types, (3, 6))
    shapes = geoms.copy()
    shapes[closed] = [shapely.Polygon(g.coords) for g in geoms[closed]]
    keep = closed | polygons | (lines & (target == "projects"))
    if not keep.any():
        raise ImportRefused(f"{path.name} holds no closed shapes")
    labels = geoms[is_label]
    label_text = table[text_col].to_numpy()[is_label] if text_col else np.array([], dtype=object)
    features = shapes[keep]
    codes = np.full(len(features), None, dtype=object)
    if len(labels):
        tree = shapely.STRtree(labels)
        feature_idx, label_idx = tree.query(features, predicate="contains")
        counts = np.bincount(feature_idx, minlength=len(features))
        single = counts[feature_idx] == 1
        codes[feature_idx[single]] = [str(t).strip() for t in label_text[label_idx[single]]]
    attrs = pd.DataFrame({"code": codes})
    for column in table.columns:  # the drawing's own attributes, kept as cad_<name> (Text became the code)
        values = table[column].to_numpy()[keep]
        if column != text_col and not pd.isna(pd.Series(values, dtype=object)).all():
            attrs[f"cad_{column.lower()}"] = values
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    return Source(path.name, attrs, features, crs, notes=[f"{int(keep.sum())} shapes, {len(labels)} text labels"])
