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

import json
import math
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from mapapp.privacy import redact, viewer_is_staff

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


def feature_properties(frame: gpd.GeoDataFrame) -> list[dict]:
    """Properties per row: extra attributes from ``props``, then stored fields and computed columns (internal ones never)."""
    columns = [c for c in frame.columns if c not in INTERNAL and c != frame.geometry.name]
    extras = frame["props"].tolist() if "props" in frame.columns else [{}] * len(frame)
    records = frame[columns].to_dict("records")
    return [
        {**{k: _plain(v) for k, v in (extra or {}).items() if k not in INTERNAL}, **{k: _plain(v) for k, v in rec.items()}}
        for rec, extra in zip(records, extras)
    ]


def features_json(frame: gpd.GeoDataFrame, id_column: str | None = "code", layer: str | None = None, staff: bool | None = None) -> list[str]:
    """Each row as a GeoJSON Feature (text); ``id`` from ``id_column`` (no ``id`` member when None), geometry ``null`` when missing."""
    frame = visible(frame, layer, staff)
    geoms = shapely.to_geojson(oriented(frame.geometry.values), indent=None)
    props = feature_properties(frame)
    if id_column is None or id_column not in frame.columns:
        heads = ['{"type":"Feature",'] * len(frame)
    else:
        heads = ['{"type":"Feature","id":%s,' % json.dumps(_plain(fid), ensure_ascii=False) for fid in frame[id_column].tolist()]
    return [
        '%s"geometry":%s,"properties":%s}' % (head, "null" if g is None else g, json.dumps(p, ensure_ascii=False, allow_nan=False))
        for head, g, p in zip(heads, geoms, props)
    ]


def collection_json(
    frame: gpd.GeoDataFrame,
    id_column: str | None = "code",
    extra: Mapping[str, Any] | None = None,
    layer: str | None = None,
    staff: bool | None = None,
) -> str:
    """A FeatureCollection as JSON text; ``extra`` members come before ``features`` (e.g. OGC counts and links)."""
    head = "".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}," for k, v in (extra or {}).items())
    return '{"type":"FeatureCollection",%s"features":[%s]}' % (head, ",".join(features_json(frame, id_column, layer, staff)))


def feature_json(frame: gpd.GeoDataFrame, id_column: str | None = "code", layer: str | None = None, staff: bool | None = None) -> str:
    """The first row of ``frame`` as one Feature (text)."""
    return features_json(frame.iloc[:1], id_column, layer, staff)[0]
