"""Conflicts found by one rule, turned into rows with one-line Vietnamese and English descriptions."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from mapapp.analysis.conflicts.catalogue import _EN, _VI, COLUMNS
from mapapp.analysis.conflicts.inputs import _Layer
from mapapp.analysis.measure import METRIC_CRS, STORAGE_CRS, reproject


def _num(value: float, vi: bool) -> str:
    """Human amount: thousands grouped, decimals only for small values (vi: 1.234,5)."""
    digits = 0 if value >= 10 else 1 if value >= 1 else 2
    text = f"{value:,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if vi else text


def _vi(word: str) -> str:
    return _VI.get(word, word or "?")


def _en(word: str) -> str:
    return _EN.get(word, word or "?")


@dataclass
class _Found:
    """Conflicts of one rule as parallel arrays (geometry in metres)."""

    type: str
    code_a: np.ndarray
    code_b: np.ndarray
    layer_a: str | np.ndarray
    layer_b: str
    zone_code: np.ndarray
    severity: np.ndarray
    geometry: np.ndarray
    description: list[str]
    description_en: list[str]
    area_m2: np.ndarray | None = None
    length_m: np.ndarray | None = None

    def columns(self) -> dict[str, np.ndarray]:
        """The rows as object arrays (area_m2 and length_m float, NaN where none), by column name."""
        n = len(self.code_a)
        nan = np.full(n, np.nan)
        return {
            "type": np.full(n, self.type, dtype=object),
            "code_a": np.asarray(self.code_a, dtype=object),
            "code_b": np.asarray(self.code_b, dtype=object),
            "layer_a": np.broadcast_to(np.asarray(self.layer_a, dtype=object), (n,)),
            "layer_b": np.full(n, self.layer_b, dtype=object),
            "zone_code": np.asarray(self.zone_code, dtype=object),
            "area_m2": nan if self.area_m2 is None else np.asarray(self.area_m2, dtype=float),
            "length_m": nan if self.length_m is None else np.asarray(self.length_m, dtype=float),
            "severity": np.asarray(self.severity, dtype=object),
            "description": np.asarray(self.description, dtype=object),
            "description_en": np.asarray(self.description_en, dtype=object),
            "geometry": np.asarray(self.geometry, dtype=object),
        }


def _empty_result() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float if c in ("area_m2", "length_m") else object)
                          for c in COLUMNS if c != "geometry"})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=STORAGE_CRS), crs=STORAGE_CRS)


def _assemble(found: list[_Found]) -> gpd.GeoDataFrame:
    """One sorted WGS84 GeoDataFrame with stable ids from all rules' findings.

    Sorted by type, codes, area, length (NaN last; stable), with numpy on plain arrays: a frame is
    built once, for the result (pandas' sort of its Arrow-backed text columns cost more than the rest).
    """
    parts = [f.columns() for f in found if len(f.code_a)]
    if not parts:
        return _empty_result()
    col = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
    order = np.lexsort([col[c] for c in ("length_m", "area_m2", "code_b", "code_a", "type")])
    col = {c: v[order] for c, v in col.items()}
    ids = np.array([f"{t}:{a}:{b}" for t, a, b in zip(col["type"].tolist(), col["code_a"].tolist(), col["code_b"].tolist())],
                   dtype=object)
    dup = _repeat_number(ids)
    again = np.flatnonzero(dup > 0)
    ids[again] = [f"{i}#{d + 1}" for i, d in zip(ids[again].tolist(), dup[again].tolist())]
    frame = pd.DataFrame({
        "id": ids, "type": col["type"],
        "codes": [[a, b] for a, b in zip(col["code_a"].tolist(), col["code_b"].tolist())],
        "layers": [[a, b] for a, b in zip(col["layer_a"].tolist(), col["layer_b"].tolist())],
        **{c: col[c] for c in COLUMNS if c not in ("id", "type", "codes", "layers", "geometry")},
    })
    geometry = reproject(col["geometry"], METRIC_CRS, STORAGE_CRS)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=STORAGE_CRS), crs=STORAGE_CRS)


def _repeat_number(values: np.ndarray) -> np.ndarray:
    """Per value, how many equal values come before it (0 for the first of each)."""
    group = pd.factorize(values)[0]
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    start = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    rank = np.arange(len(values)) - np.repeat(start, np.diff(np.r_[start, len(values)]))
    out = np.empty(len(values), dtype=np.intp)
    out[order] = rank
    return out


def _ordered(i: np.ndarray, j: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric pairs: rows reordered so the smaller code comes first (ids independent of row order)."""
    swap = code[j] < code[i]
    return np.where(swap, j, i), np.where(swap, i, j)


def _zone_index(zones: _Layer, codes: np.ndarray) -> np.ndarray:
    """Row of the zone named by each code (first one if duplicated), -1 if unknown/empty.

    Three rules look up the lots' zones: the rows are worked out once per array of codes (5·10⁵ lots: 0.2 s each)."""
    known = zones._zone_rows.get(id(codes))
    if known is not None and known[0] is codes:
        return known[1]
    rows = _zone_rows(zones, codes)
    rows.flags.writeable = False  # shared by the rules
    zones._zone_rows[id(codes)] = (codes, rows)
    return rows


def _zone_rows(zones: _Layer, codes: np.ndarray) -> np.ndarray:
    index = pd.Index(zones["code"])
    first = ~index.duplicated()
    lookup = pd.Series(np.flatnonzero(first), index=index[first])
    rows = lookup.reindex(codes).to_numpy()
    rows = np.where(pd.isna(rows), -1, rows).astype(np.intp)
    rows[codes == ""] = -1
    return rows
