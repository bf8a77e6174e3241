"""Check features against a layer spec; the first problem becomes a one-line refusal.

Attribute checks loop over rows because each refusal must name its feature;
geometry checks are vectorised.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.analysis.progress import format_curve, parse_curve
from mapapp.errors import ImportRefused
from mapapp.geom import type_names
from mapapp.layers import Field, Layer


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _coerce(field: Field, value: Any) -> Any:
    """Typed value, or ValueError with the reason."""
    if field.type == "str":
        text = str(value).strip() if not isinstance(value, float) or not value.is_integer() else str(int(value))
        if field.choices and text not in field.choices:
            raise ValueError(f"{text!r} is not one of {', '.join(field.choices)}")
        return text
    if field.type in ("float", "int"):
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        try:
            number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{value!r} is not a finite number")
        if field.minimum is not None and number < field.minimum:
            raise ValueError(f"{number:g} is below the minimum {field.minimum:g}")
        if field.maximum is not None and number > field.maximum:
            raise ValueError(f"{number:g} is above the maximum {field.maximum:g}")
        if field.type == "int":
            if not number.is_integer():
                raise ValueError(f"{value!r} is not a whole number")
            return int(number)
        return number
    if field.type == "date":
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if field.type == "curve":
        return format_curve(parse_curve(value))
    raise AssertionError(field.type)


def validate(
    spec: Layer, frame: gpd.GeoDataFrame, zone_codes: Iterable[str] = ()
) -> gpd.GeoDataFrame:
    """Return a copy with typed attributes, or raise :class:`ImportRefused` naming feature, field and reason."""
    for f in spec.fields:
        if f.required and f.name not in frame.columns:
            found = ", ".join(c for c in frame.columns if c != frame.geometry.name) or "none"
            raise ImportRefused(f"required attribute missing from the file (attributes found: {found})", field=f.name, layer=spec.name)
    _check_geometry(spec, frame)
    known_zones = set(zone_codes)
    if spec.name == "zones":
        known_zones |= {str(c).strip() for c in frame["code"] if not _missing(c)}
    out = {f.name: [] for f in spec.fields}
    seen: dict[str, int] = {}
    columns = {f.name: frame[f.name].to_numpy() if f.name in frame.columns else None for f in spec.fields}
    for i in range(len(frame)):
        raw_code = columns["code"][i]
        code = None if _missing(raw_code) else str(raw_code).strip()
        for f in spec.fields:
            col = columns[f.name]
            value = None if col is None else col[i]
            if _missing(value):
                if f.required:
                    raise ImportRefused("required value is empty", feature=i + 1, code=code, field=f.name, layer=spec.name)
                out[f.name].append(None)
                continue
            try:
                typed = _coerce(f, value)
            except ValueError as exc:
                raise ImportRefused(str(exc), feature=i + 1, code=code, field=f.name, layer=spec.name) from None
            if f.ref == "zones" and typed not in known_zones:
                raise ImportRefused(f"zone {typed!r} does not exist; import the zones first", feature=i + 1, code=code, field=f.name, layer=spec.name)
            out[f.name].append(typed)
        if code in seen:
            raise ImportRefused(f"duplicate code, also used by feature {seen[code]}", feature=i + 1, code=code, field="code", layer=spec.name)
        seen[code] = i + 1
    extra = [c for c in frame.columns if c not in out and c != frame.geometry.name]
    result = gpd.GeoDataFrame(
        {**out, **{c: frame[c].to_numpy() for c in extra}}, geometry=frame.geometry.to_numpy(), crs=frame.crs
    )
    return result


def _check_geometry(spec: Layer, frame: gpd.GeoDataFrame) -> None:
    geoms = np.asarray(frame.geometry.values, dtype=object)
    codes = frame["code"].to_numpy() if "code" in frame.columns else [None] * len(frame)

    def refuse(mask: np.ndarray, reason) -> None:
        bad = np.flatnonzero(mask)
        if bad.size:
            i = int(bad[0])
            code = None if _missing(codes[i]) else str(codes[i])
            text = reason(i) if callable(reason) else reason
            raise ImportRefused(text, feature=i + 1, code=code, field="geometry", layer=spec.name)

    refuse(shapely.is_missing(geoms) | shapely.is_empty(geoms), "the feature has no geometry")
    types = type_names(geoms)
    refuse(~np.isin(types, spec.geometry_types), lambda i: f"{types[i]} is not allowed here (expected {' or '.join(spec.geometry_types)})")
    refuse(
        ~shapely.is_valid(geoms),
        lambda i: f"invalid geometry ({shapely.is_valid_reason(geoms[i])}); repair it, e.g. with QGIS 'Fix geometries'",
    )
