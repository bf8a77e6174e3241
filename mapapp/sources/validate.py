"""Check features against a layer spec; the first problem becomes a one-line refusal.

Attribute checks loop over rows because each refusal must name its feature;
geometry checks are vectorised.
"""
from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.errors import ImportRefused
from mapapp.geom import type_names
from mapapp.layers import Field, Layer
from mapapp.refusals import Both, Reason, reason_of
from mapapp.values import FLOAT_MAX, PLAIN, ValueFormat, code_or_none, is_missing, nfc, parse_value


def validate(
    spec: Layer, frame: gpd.GeoDataFrame, zone_codes: Iterable[str] = (), fmt: ValueFormat = PLAIN
) -> gpd.GeoDataFrame:
    """Return a copy with typed attributes, or raise :class:`ImportRefused` naming feature, field and reason.

    Every value goes through :func:`mapapp.values.parse_value` (strict; ``fmt`` is
    what the source declares about its numbers and dates).
    """
    for f in spec.fields:
        if f.required and f.name not in frame.columns:
            found = ", ".join(c for c in frame.columns if c != frame.geometry.name) or "none"
            raise ImportRefused(Reason("import.missing_attribute", found=found), field=f.name, layer=spec.name)
    check_geometry(spec, frame)
    known_zones = set(zone_codes)
    if spec.name == "zones":
        known_zones |= {code_or_none(c) for c in frame["code"] if not is_missing(c)}
    columns = {f.name: frame[f.name].to_numpy() if f.name in frame.columns else None for f in spec.fields}
    out = _typed_columns(spec, columns, len(frame), known_zones, fmt) or _typed_rows(spec, columns, len(frame), known_zones, fmt)
    extra = [c for c in frame.columns if c not in out and c != frame.geometry.name]
    # Object columns: pandas 3 would turn None into NaN in a text column, and NaN is a value to the write path.
    typed = {name: pd.Series(_objects(values), dtype=object) for name, values in out.items()}
    result = gpd.GeoDataFrame(
        {**typed, **{c: frame[c].to_numpy() for c in extra}}, geometry=frame.geometry.to_numpy(), crs=frame.crs
    )
    return result


def _typed_columns(spec: Layer, columns: dict, rows: int, known_zones: set, fmt: ValueFormat) -> dict[str, list] | None:
    """Each field's typed values, column by column, each distinct value parsed once (a cadastre repeats its
    zones, uses and statuses 10⁵ times); None at any problem, which :func:`_typed_rows` then finds and names."""
    out: dict[str, list] = {}
    try:
        for f in spec.fields:
            col = columns[f.name]
            if col is None:
                if f.required and rows:
                    return None
                out[f.name] = [None] * rows
                continue
            values = _codes(f, col) if f.name == "code" else _numbers(f, col) if f.type == "float" else _texts(f, col, fmt)
            if values is None:
                parsed: dict = {}
                values = []
                for value in col:
                    key = (type(value), value)  # by type too: True == 1 == 1.0, but True is no code
                    if key not in parsed:
                        parsed[key] = parse_value(f, value, fmt, nan_missing=True)
                    values.append(parsed[key])
            if f.required and any(v is None for v in values):
                return None
            if f.ref == "zones" and not {v for v in values if v is not None} <= known_zones:
                return None
            out[f.name] = values
    except (ValueError, TypeError):  # TypeError: an unhashable value (a list in a cell), refused by the row loop
        return None
    if len(set(out["code"])) != rows:
        return None
    return out


def _codes(field: Field, column) -> list[str] | None:
    """The code column as :func:`mapapp.values.parse_value` types it, when every cell is text that is not
    blank (codes are unique: parsing each distinct value once saves nothing): NFC, stripped. None when a
    cell is anything else, or too long, or not a choice: the value by value parse decides then."""
    if not all(type(v) is str for v in column):
        return None
    texts = [nfc(v).strip() for v in column]
    if not all(texts) or (field.max_length is not None and max(map(len, texts), default=0) > field.max_length):
        return None
    if field.choices and not set(texts) <= set(field.choices):
        return None
    return texts


def _numbers(field: Field, column) -> list[float | None] | None:
    """A real-number field's column read as numbers (a float64 array), as :func:`mapapp.values.parse_value`
    types each value (NaN missing, each a Python float), checked all at once; None when the column holds
    anything else or some value would be refused: the value by value parse decides then."""
    if not isinstance(column, np.ndarray) or column.dtype.kind != "f":
        return None
    present = ~np.isnan(column)
    numbers = column[present]
    if not np.isfinite(numbers).all() or (np.abs(numbers) > FLOAT_MAX).any():
        return None
    if (field.minimum is not None and (numbers < field.minimum).any()) or (field.maximum is not None and (numbers > field.maximum).any()):
        return None
    values = column.tolist()
    for i in np.flatnonzero(~present).tolist():
        values[i] = None
    return values


def _texts(field: Field, column, fmt: ValueFormat) -> list | None:
    """A column of text and missing values only (a cadastre repeats its zones, uses and statuses 10⁵ times)
    typed by parsing each distinct value once and taking each cell's from those; None for a column holding
    anything else (True == 1 == 1.0 would be one value to pandas), left to the value by value parse."""
    if not set(map(type, column)) <= {str, type(None)}:
        return None
    codes, distinct = pd.factorize(np.asarray(column, dtype=object), use_na_sentinel=True)
    # the last place is a missing cell's (code -1): None is parsed as any missing value is
    typed = np.empty(len(distinct) + 1, dtype=object)
    typed[:] = [parse_value(field, value, fmt, nan_missing=True) for value in (*distinct.tolist(), None)]
    return typed[codes].tolist()


def _typed_rows(spec: Layer, columns: dict, rows: int, known_zones: set, fmt: ValueFormat) -> dict[str, list]:
    """Each field's typed values, row by row: raises :class:`ImportRefused` at the first problem, naming it."""
    out: dict[str, list] = {f.name: [] for f in spec.fields}
    seen: dict[str, int] = {}
    for i in range(rows):
        raw_code = columns["code"][i]
        code = code_or_none(raw_code)
        for f in spec.fields:
            col = columns[f.name]
            value = None if col is None else col[i]
            try:
                typed = parse_value(f, value, fmt, nan_missing=True)
            except ValueError as exc:
                raise ImportRefused(reason_of(exc), feature=i + 1, code=code, field=f.name, layer=spec.name) from None
            if typed is None:
                if f.required:
                    raise ImportRefused(Reason("value.required_empty"), feature=i + 1, code=code, field=f.name, layer=spec.name)
                out[f.name].append(None)
                continue
            if f.ref == "zones" and typed not in known_zones:
                raise ImportRefused(Reason("import.unknown_zone", zone=repr(typed)), feature=i + 1, code=code, field=f.name, layer=spec.name)
            out[f.name].append(typed)
        if code in seen:
            raise ImportRefused(Reason("import.duplicate_code", other=seen[code]), feature=i + 1, code=code, field="code", layer=spec.name)
        seen[code] = i + 1
    return out


def _objects(values: list) -> np.ndarray:
    """Typed ``values`` (scalars: text, numbers, None) as a 1-D object array, each as it is (None stays None)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out



def check_geometry(spec: Layer, frame: gpd.GeoDataFrame) -> None:
    """Refuse (:class:`ImportRefused` naming feature and code) a missing, wrongly typed or invalid geometry."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    codes = frame["code"].to_numpy() if "code" in frame.columns else [None] * len(frame)

    def refuse(mask: np.ndarray, reason) -> None:
        bad = np.flatnonzero(mask)
        if bad.size:
            i = int(bad[0])
            code = code_or_none(codes[i])
            text = reason(i) if callable(reason) else reason
            raise ImportRefused(text, feature=i + 1, code=code, field="geometry", layer=spec.name)

    refuse(shapely.is_missing(geoms) | shapely.is_empty(geoms), Reason("geometry.missing"))
    types = type_names(geoms)
    expected = Both(" hoặc ".join(spec.geometry_types), " or ".join(spec.geometry_types))
    refuse(~np.isin(types, spec.geometry_types), lambda i: Reason("geometry.type", type=types[i], expected=expected))
    refuse(
        ~shapely.is_valid(geoms),
        lambda i: Reason("geometry.invalid", detail=shapely.is_valid_reason(geoms[i])),
    )
