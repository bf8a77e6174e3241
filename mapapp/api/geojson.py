"""GeoDataFrames to RFC 7946 FeatureCollections.

Geometry is serialised by shapely in one vectorised call and spliced into the
text, so a large layer is not round-tripped through Python dicts.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

INTERNAL = {"id", "props", "geom_type", "minx", "miny", "maxx", "maxy", "search_text", "search_personal"}


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


def feature_properties(frame: gpd.GeoDataFrame) -> list[dict]:
    """Properties per row: stored fields, extra attributes from ``props``, computed columns."""
    columns = [c for c in frame.columns if c not in INTERNAL and c != frame.geometry.name]
    extras = frame["props"].tolist() if "props" in frame.columns else [{}] * len(frame)
    records = frame[columns].to_dict("records")
    return [{**(extra or {}), **{k: _plain(v) for k, v in rec.items()}} for rec, extra in zip(records, extras)]


def features_json(frame: gpd.GeoDataFrame, id_column: str = "code") -> list[str]:
    geoms = shapely.to_geojson(np.asarray(frame.geometry.values, dtype=object), indent=None)
    props = feature_properties(frame)
    ids = frame[id_column].tolist() if id_column in frame.columns else [None] * len(frame)
    return [
        '{"type":"Feature","id":%s,"geometry":%s,"properties":%s}'
        % (json.dumps(fid, ensure_ascii=False), g, json.dumps(p, ensure_ascii=False, allow_nan=False))
        for fid, g, p in zip(ids, geoms, props)
    ]


def collection_json(frame: gpd.GeoDataFrame, id_column: str = "code", extra: Mapping[str, Any] | None = None) -> str:
    """A FeatureCollection as JSON text."""
    head = "".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}," for k, v in (extra or {}).items())
    return '{"type":"FeatureCollection",%s"features":[%s]}' % (head, ",".join(features_json(frame, id_column)))


def feature_json(frame: gpd.GeoDataFrame, id_column: str = "code") -> str:
    return features_json(frame, id_column)[0]
