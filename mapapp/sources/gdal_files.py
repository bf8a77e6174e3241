"""Files GDAL reads: GeoJSON (properties as JSON wrote them), GeoPackage, KML/KMZ and the like, and CAD drawings
(DXF, DGN v7: closed shapes become polygons, each taking its code from the text label inside it)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS

from mapapp.errors import ImportRefused
from mapapp.refusals import Reason
from mapapp.sources.source import Source, column_frame, geometry_reason, short_reason


def _pick_layer(path: str, display: str, wanted: str | None, target: str) -> str | None:
    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # GDAL raises several kinds for unreadable files
        raise ImportRefused(Reason("file.not_geodata", name=display, detail=short_reason(exc))) from None
    if not names:
        raise ImportRefused(Reason("file.no_layers", name=display))
    if wanted:
        if wanted not in names:
            raise ImportRefused(Reason("layers.no_such", name=display, wanted=wanted, names=", ".join(names)))
        return wanted
    if len(names) == 1:
        return names[0]
    if target in names:
        return target
    raise ImportRefused(Reason("layers.several", name=display, names=", ".join(names)))


def _raw(path: str, display: str, layer: str | None, **kwargs) -> tuple[dict, list[str], list[np.ndarray], np.ndarray | None]:
    try:
        meta, _, geometry, values = pyogrio.raw.read(path, layer=layer, datetime_as_string=True, **kwargs)
    except Exception as exc:
        raise ImportRefused(Reason("file.unreadable", name=display, detail=short_reason(exc))) from None
    geoms = None if geometry is None else shapely.from_wkb(geometry, on_invalid="ignore")
    return meta, [str(f) for f in meta["fields"]], list(values), geoms


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


def read_gdal(path: Path, source_layer: str | None, target: str) -> Source:
    """Any file GDAL reads (``source_layer``, else its only layer, else the layer named ``target``); ``ImportRefused``
    when GDAL cannot read it or the layer is ambiguous. KML's own empty columns are dropped."""
    layer = _pick_layer(str(path), path.name, source_layer, target)
    meta, columns, values, geoms = _raw(str(path), path.name, layer)
    count = 0 if geoms is None else len(geoms)
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    table = column_frame(columns, values, count)
    if path.suffix.lower() in (".kml", ".kmz"):
        table = _kml_columns(table)
    return Source(path.name, table, geoms, crs, unreadable=_unreadable_wkb(str(path), layer, geoms))


def _objects(values: list) -> np.ndarray:
    """A 1-D object array of ``values`` as they are (lists stay lists, not a second dimension)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def read_geojson(path: Path, source_layer: str | None, target: str) -> Source:
    """Geometry by GDAL, properties as JSON wrote them (Python's ``json``).

    GDAL types each property column as a whole: a column holding ``101``, ``"0102"`` and
    ``103.0`` becomes text ``"103.0"``, a 20-digit number a float, an object its JSON
    text. Read natively, every value keeps its own type: numbers stay numbers (a code
    gets its integer text), objects stay objects (refused for a field, kept among the
    extra attributes), and a property named ``geometry`` is just a property.
    """
    source = read_gdal(path, source_layer, target)
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
    source.table = column_frame(columns, values, len(rows))
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


def read_cad(path: Path, target: str) -> Source:
    """Closed shapes as polygons (lines too for ``projects``), each with the code of the text label inside it.

    GDAL reads both formats as one layer of entities: lines/shapes, and points for
    text with its string in ``Text``. A shape holding no label, or several, gets no
    code (the validation then names it).
    """
    meta, columns, values, geoms = _raw(str(path), path.name, None)
    table = column_frame(columns, values, len(geoms))
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
        raise ImportRefused(Reason("cad.no_closed", name=path.name))
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
