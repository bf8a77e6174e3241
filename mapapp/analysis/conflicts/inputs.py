"""Input layers prepared once: reprojected to EPSG:5897, text columns normalised, irrelevant rows dropped early."""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.analysis.measure import METRIC_CRS, reproject


@dataclass
class _Layer:
    """One input layer, reduced to metric geometries and normalised text columns."""

    name: str
    geom: np.ndarray
    attrs: dict[str, np.ndarray]
    _tree: shapely.STRtree | None = field(default=None, repr=False)
    _bounds: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.geom)

    def __getitem__(self, column: str) -> np.ndarray:
        return self.attrs[column]

    @property
    def tree(self) -> shapely.STRtree:
        """Built lazily: a rule that finds nothing to query never pays for it."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.geom)
        return self._tree

    @property
    def bounds(self) -> np.ndarray:
        if self._bounds is None:
            self._bounds = shapely.bounds(self.geom)
        return self._bounds

    def isin(self, column: str, values: tuple[str, ...]) -> np.ndarray:
        return np.isin(self.attrs[column], values)


def _text(frame: pd.DataFrame, column: str, lower: bool, rows: np.ndarray) -> np.ndarray:
    """A column's ``rows`` as stripped str (missing column or value -> ""), via its distinct values."""
    if column not in frame.columns:
        return np.full(int(rows.sum()), "", dtype=object)
    codes, uniques = pd.factorize(np.asarray(frame[column], dtype=object)[rows], use_na_sentinel=True)
    clean = [str(u).strip() for u in uniques]
    clean = np.array([u.lower() for u in clean] if lower else clean, dtype=object)
    return np.append(clean, "")[codes]  # code -1 (missing) picks the trailing ""


def _crs_name(frame: gpd.GeoDataFrame) -> str:
    if frame.crs is None:
        raise ValueError("input GeoDataFrame has no CRS; set one (e.g. EPSG:4326) first")
    return frame.crs.to_string()


def _prepare(frame: gpd.GeoDataFrame | None, name: str, columns: dict[str, bool],
             drop_status: str | None = None) -> _Layer:
    """Drop empty geometries (and rows whose status is ``drop_status``), then reproject to metres.

    Filtering comes first: rows dropped are never reprojected nor parsed.
    ``columns`` maps column name -> lower-case it (enums) or not (codes).
    """
    empty = _Layer(name, np.empty(0, dtype=object), {c: np.empty(0, dtype=object) for c in columns})
    if frame is None or len(frame) == 0 or frame._geometry_column_name not in frame.columns:
        return empty
    geom = np.asarray(frame.geometry.array, dtype=object)
    rows = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
    if drop_status is not None:
        rows[rows] = _text(frame, "status", True, rows) != drop_status
    if not rows.any():
        return empty
    attrs = {c: _text(frame, c, lower, rows) for c, lower in columns.items()}
    metric = reproject(geom[rows], _crs_name(frame), METRIC_CRS)
    return _Layer(name, np.asarray(metric, dtype=object), attrs)
