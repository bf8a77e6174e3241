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

    def frame(self) -> pd.DataFrame:
        n = len(self.code_a)
        nan = np.full(n, np.nan)
        layer_a = np.broadcast_to(np.asarray(self.layer_a, dtype=object), (n,))
        return pd.DataFrame({
            "type": self.type,
            "code_a": self.code_a,
            "code_b": self.code_b,
            "layer_a": layer_a,
            "layer_b": self.layer_b,
            "zone_code": self.zone_code,
            "area_m2": nan if self.area_m2 is None else np.asarray(self.area_m2, dtype=float),
            "length_m": nan if self.length_m is None else np.asarray(self.length_m, dtype=float),
            "severity": self.severity,
            "description": self.description,
            "description_en": self.description_en,
            "geometry": self.geometry,
        })


def _empty_result() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float if c in ("area_m2", "length_m") else object)
                          for c in COLUMNS if c != "geometry"})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=STORAGE_CRS), crs=STORAGE_CRS)


def _assemble(found: list[_Found]) -> gpd.GeoDataFrame:
    """One sorted WGS84 GeoDataFrame with stable ids from all rules' findings."""
    frames = [f.frame() for f in found if len(f.code_a)]
    if not frames:
        return _empty_result()
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["type", "code_a", "code_b", "area_m2", "length_m"], kind="mergesort",
                        ignore_index=True)
    ids = df["type"] + ":" + df["code_a"] + ":" + df["code_b"]
    dup = ids.groupby(ids).cumcount()
    df["id"] = ids.where(dup == 0, ids + "#" + (dup + 1).astype(str))
    col = {c: np.asarray(df[c], dtype=object) for c in ("code_a", "code_b", "layer_a", "layer_b")}
    df["codes"] = [[a, b] for a, b in zip(col["code_a"], col["code_b"])]
    df["layers"] = [[a, b] for a, b in zip(col["layer_a"], col["layer_b"])]
    geometry = reproject(df["geometry"].to_numpy(), METRIC_CRS, STORAGE_CRS)
    out = df[[c for c in COLUMNS if c != "geometry"]]
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometry, crs=STORAGE_CRS), crs=STORAGE_CRS)


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
