"""The one GeoJSON writer: GeoDataFrames to RFC 7946 Features and FeatureCollections.

Everything mapapp writes as GeoJSON — ``/api``, ``/ogc``, ``mapapp conflicts --json``,
``mapapp export … .geojson`` — goes through :func:`collection_json` / :func:`feature_json`, so:

- polygon rings are oriented as RFC 7946 §3.1.6 asks (exterior counter-clockwise,
  holes clockwise), in one vectorised shapely call;
- internal columns (``id``, ``props``, ``geom_type``, ``geom``, the bbox columns,
  ``search_text``, ``search_personal``) never become properties;
- with ``layer`` given, the attributes the viewer may not see are dropped
  (:func:`mapapp.privacy.redact`; staff and the command line see everything).

Geometry is serialised by shapely in one vectorised call and spliced into the text,
so a large layer is not round-tripped through Python dicts. Coordinates are written as
they are (WGS84 lon/lat unless the caller reprojected, e.g. OGC ``crs=EPSG:5897``).
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pandas.core.dtypes.cast import maybe_box_native

from mapapp.privacy import redact, viewer_is_staff

_encode_str = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) writes for a str

_NATIVE = frozenset({str, float, int, bool, list, dt.date, type(None)})  # what maybe_box_native leaves as it is

INTERNAL = frozenset({"id", "props", "geom", "geom_m", "geom_type", "minx", "miny", "maxx", "maxy", "search_text", "search_personal"})


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is not None and not isinstance(value, (str, int, float, bool)):
        try:
            if value != value:  # pandas NA/NaT
                return None
        except (TypeError, ValueError):
            pass
        return str(value)
    return value


def oriented(geoms) -> np.ndarray:
    """Geometries with exterior rings counter-clockwise and holes clockwise (RFC 7946), vectorised.

    Shape: an object array of the same length; points and lines are returned unchanged.
    """
    return shapely.orient_polygons(np.asarray(geoms, dtype=object), exterior_cw=False)


def visible(frame: gpd.GeoDataFrame, layer: str | None, staff: bool | None = None) -> gpd.GeoDataFrame:
    """``frame`` as the viewer may see it: personal data only for staff (``staff`` None: ask :mod:`mapapp.privacy`)."""
    if layer is None:
        return frame
    return redact(frame, layer, viewer_is_staff() if staff is None else staff)


def _text(value: Any) -> str:
    """One property value as JSON text: numpy scalars as Python ones, NaN/NA/NaT as ``null``, unknown types as text."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is str:
        return _encode_str(value)
    if kind is float:
        return float.__repr__(value) if math.isfinite(value) else "null"
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is list and all(type(v) is str for v in value):  # e.g. the codes of the parcels a lot waits for
        return "[%s]" % ", ".join(map(_encode_str, value)) if value else "[]"
    if kind is dt.date:  # e.g. a lot's expected readiness: its ISO text, as str() gives it
        return '"%s"' % value.isoformat()
    return json.dumps(_plain(value), ensure_ascii=False, allow_nan=False)


def _column_texts(column: pd.Series) -> list[str]:
    """A column's values as JSON texts, converted once per column (the values ``DataFrame.to_dict`` would give)."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = column.to_numpy()
        texts = list(map(float.__repr__, values.tolist()))
        for i in np.flatnonzero(~np.isfinite(values)).tolist():
            texts[i] = "null"
        return texts
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return list(map(int.__repr__, column.to_numpy().tolist()))
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return ["true" if v else "false" for v in column.to_numpy().tolist()]
    if isinstance(dtype, pd.StringDtype):
        return ["null" if v is None else _encode_str(v) for v in column.to_numpy(dtype=object, na_value=None).tolist()]
    # numpy scalars and pd.NA in object columns become Python values (None) first, as DataFrame.to_dict does
    values = column.to_numpy().tolist() if dtype == object else column  # the same objects, without a Series walk
    return [_text(v if type(v) in _NATIVE else maybe_box_native(v)) for v in values]


def _key_text(key: Any) -> str:
    """A property name as JSON text followed by the separator (``json.dumps``'s own key rules)."""
    if isinstance(key, str):
        return _encode_str(key) + ": "
    return json.dumps({key: None}, ensure_ascii=False)[1:-5]


def _properties_json(frame: gpd.GeoDataFrame) -> list[str]:
    """Each row's ``properties`` object as JSON text: extra attributes from ``props``, then stored fields and
    computed columns (internal ones never), each column converted to JSON once, not row by row."""
    columns = column_texts(frame, frame.geometry.name)
    return properties_texts(columns, frame["props"].tolist() if "props" in frame.columns else (), len(frame))


def column_texts(frame: pd.DataFrame, geometry: str | None = None) -> dict[Any, list[str]]:
    """The property columns of ``frame`` (not the internal ones, nor the ``geometry`` column), in order, each as its
    rows' values in JSON text, written by the column's dtype as a whole (what :func:`features_json` writes)."""
    names = [c for c in frame.columns if c not in INTERNAL and c != geometry]
    wanted = set(names)
    last = {name: column for name, column in frame.items() if name in wanted}  # a repeated name: its last column
    return {name: _column_texts(column) for name, column in last.items()}


def properties_texts(columns: Mapping[Any, list[str]], extras: Sequence[Mapping | None], n: int) -> list[str]:
    """Each of ``n`` rows' ``properties`` object as JSON text, from ``columns`` (name -> each row's value as JSON
    text, in order) and each row's extra attributes (``extras``, a row's ``props``; empty for none), written first."""
    keys = {name: _key_text(name) for name in columns}
    if columns:
        # one format per row: the keys are written once into the template, not once per row and column
        template = "{%s}" % ", ".join(k.replace("%", "%%") + "%s" for k in keys.values())
        rows = [template % parts for parts in zip(*columns.values())]
    else:
        rows = ["{}"] * n
    for i, extra in enumerate(extras):
        if extra and any(k not in INTERNAL for k in extra):
            rows[i] = _with_extras(extra, columns, keys, i)
    return rows


def list_texts(values: list) -> list[str]:
    """A column given as a plain list of values, as JSON texts: what :func:`_column_texts` writes for the column
    pandas makes of that list (``DataFrame({name: values})``), without making it when the values' types say it."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds <= {str}:  # text, missing ones null: an object or a string column alike
        return ["null" if v is None else _encode_str(v) for v in values]
    if kinds == {float}:  # a float column: missing ones NaN, written null as every non-finite value
        numbers = np.asarray(values, dtype=float)
        texts = list(map(float.__repr__, numbers.tolist()))
        for i in np.flatnonzero(~np.isfinite(numbers)).tolist():
            texts[i] = "null"
        return texts
    if kinds <= {list}:  # e.g. the codes of the parcels a lot waits for: an object column
        return list(map(_text, values))
    if kinds == {dt.date}:  # dates stay objects in a column, written as their ISO text
        return ["null" if v is None else '"%s"' % v.isoformat() for v in values]
    if kinds in ({int}, {bool}) and None not in values:
        return list(map(int.__repr__, values)) if kinds == {int} else ["true" if v else "false" for v in values]
    return _column_texts(pd.Series(values, dtype=None if len(values) else object))


def _with_extras(extra: Mapping, columns: dict[Any, list[str]], keys: dict[Any, str], i: int) -> str:
    """Row ``i``'s properties with its extra attributes first; a stored field of the same name keeps its place there."""
    merged = {k: None if k in columns else v for k, v in extra.items() if k not in INTERNAL}
    parts = [keys[k] + columns[k][i] if k in columns else _key_text(k) + _text(v) for k, v in merged.items()]
    parts += [keys[k] + texts[i] for k, texts in columns.items() if k not in merged]
    return "{%s}" % ", ".join(parts)


def features_json(frame: gpd.GeoDataFrame, id_column: str | None = "code", layer: str | None = None, staff: bool | None = None) -> list[str]:
    """Each row as a GeoJSON Feature (text); ``id`` from ``id_column`` (no ``id`` member when None), geometry ``null`` when missing."""
    frame = visible(frame, layer, staff)
    geoms = shapely.to_geojson(oriented(frame.geometry.values), indent=None)
    props = _properties_json(frame)
    if id_column is None or id_column not in frame.columns:
        heads = ['{"type":"Feature",'] * len(frame)
    else:
        heads = list(map(feature_head, frame[id_column].tolist()))
    return feature_texts(heads, geoms, props)


def feature_texts(heads: Sequence[str], geometries: Sequence[str | None], properties: Sequence[str]) -> list[str]:
    """Features as JSON text from their heads (``'{"type":"Feature",'`` with the ``"id":…,`` member if any), their
    geometry as GeoJSON text (None: ``null``) and their properties as JSON text."""
    return [
        '%s"geometry":%s,"properties":%s}' % (head, "null" if g is None else g, p)
        for head, g, p in zip(heads, geometries, properties)
    ]


def feature_head(fid: Any) -> str:
    """The start of a Feature with ``id`` ``fid``, as :func:`features_json` writes it."""
    return '{"type":"Feature","id":%s,' % _text(fid)


def collection_json(
    frame: gpd.GeoDataFrame,
    id_column: str | None = "code",
    extra: Mapping[str, Any] | None = None,
    layer: str | None = None,
    staff: bool | None = None,
) -> str:
    """A FeatureCollection as JSON text; ``extra`` members come before ``features`` (e.g. OGC counts and links)."""
    return collection_text(features_json(frame, id_column, layer, staff), extra)


def collection_text(features: Sequence[str], extra: Mapping[str, Any] | None = None) -> str:
    """A FeatureCollection as JSON text from its features' texts, ``extra`` members before ``features``."""
    head = "".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}," for k, v in (extra or {}).items())
    return '{"type":"FeatureCollection",%s"features":[%s]}' % (head, ",".join(features))


def feature_json(frame: gpd.GeoDataFrame, id_column: str | None = "code", layer: str | None = None, staff: bool | None = None) -> str:
    """The first row of ``frame`` as one Feature (text)."""
    return features_json(frame.iloc[:1], id_column, layer, staff)[0]
