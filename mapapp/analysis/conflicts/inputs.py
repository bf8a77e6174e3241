"""Input layers prepared once: reprojected to EPSG:5897, text columns normalised, irrelevant rows dropped early."""
from __future__ import annotations

from collections.abc import Mapping
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
    # zone rows already looked up for an array of zone codes (by its id; the array is kept so the id stays its)
    _zone_rows: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.geom)

    def __getitem__(self, column: str) -> np.ndarray:
        return self.attrs[column]

    @property
    def tree(self) -> shapely.STRtree:
        """Built lazily: a rule that finds nothing to query never pays for it. Queried once right away:
        GEOS finishes building a tree on its first query, which must not be two threads' at once."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.geom)
            self._tree.query(self.geom[:1])
        return self._tree

    @property
    def bounds(self) -> np.ndarray:
        if self._bounds is None:
            self._bounds = shapely.bounds(self.geom)
        return self._bounds

    def isin(self, column: str, values: tuple[str, ...]) -> np.ndarray:
        return np.isin(self.attrs[column], values)


@dataclass(frozen=True)
class LayerColumns:
    """A layer as plain arrays, what the store reads for the rules without building a frame.

    ``geometry``: shapely geometries (object array, shape (n,)) in ``crs``; ``attrs``: column name ->
    values row for row (object arrays or lists of length n, None for missing). Accepted by
    :func:`mapapp.analysis.conflicts.find_conflicts` wherever a GeoDataFrame is.
    """

    geometry: np.ndarray
    attrs: Mapping[str, np.ndarray]
    crs: str

    def __len__(self) -> int:
        return len(self.geometry)

    def take(self, rows: np.ndarray) -> LayerColumns:
        """The rows ``rows`` (an index or boolean array), in that order."""
        return LayerColumns(self.geometry[rows], {c: np.asarray(v, dtype=object)[rows] for c, v in self.attrs.items()}, self.crs)


def _column(source: gpd.GeoDataFrame | LayerColumns, column: str) -> np.ndarray | None:
    """A column of a frame or of :class:`LayerColumns` as an object array; None if it has none."""
    if isinstance(source, LayerColumns):
        values = source.attrs.get(column)
        return None if values is None else np.asarray(values, dtype=object)
    return np.asarray(source[column], dtype=object) if column in source.columns else None


def _text(source: gpd.GeoDataFrame | LayerColumns, column: str, lower: bool, rows: np.ndarray) -> np.ndarray:
    """A column's ``rows`` as stripped str (missing column or value -> ""), enums (``lower``) lower-cased."""
    values = _column(source, column)
    if values is None:
        return np.full(int(rows.sum()), "", dtype=object)
    if isinstance(source, LayerColumns) and not lower:
        # codes as a database gives them (str or None), mostly distinct: converted one by one, which
        # beats hashing them; enums, a handful of values, are converted once per distinct value below
        return np.array(["" if v is None else str(v).strip() for v in values[rows].tolist()], dtype=object)
    codes, uniques = pd.factorize(values[rows], use_na_sentinel=True)
    clean = [str(u).strip() for u in uniques]
    clean = np.array([u.lower() for u in clean] if lower else clean, dtype=object)
    return np.append(clean, "")[codes]  # code -1 (missing) picks the trailing ""


def _crs_name(frame: gpd.GeoDataFrame | LayerColumns) -> str:
    if isinstance(frame, LayerColumns):
        return frame.crs
    if frame.crs is None:
        raise ValueError("input GeoDataFrame has no CRS; set one (e.g. EPSG:4326) first")
    return frame.crs.to_string()


def _prepare(frame: gpd.GeoDataFrame | LayerColumns | None, name: str, columns: dict[str, bool],
             drop_status: str | None = None) -> _Layer:
    """Drop empty geometries (and rows whose status is ``drop_status``), then reproject to metres.

    Filtering comes first: rows dropped are never reprojected nor parsed.
    ``columns`` maps column name -> lower-case it (enums) or not (codes).
    """
    empty = _Layer(name, np.empty(0, dtype=object), {c: np.empty(0, dtype=object) for c in columns})
    if frame is None or len(frame) == 0:
        return empty
    if isinstance(frame, LayerColumns):
        geom = np.asarray(frame.geometry, dtype=object)
    elif frame._geometry_column_name in frame.columns:
        geom = np.asarray(frame.geometry.array, dtype=object)
    else:
        return empty
    rows = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
    if drop_status is not None:
        rows[rows] = _text(frame, "status", True, rows) != drop_status
    if not rows.any():
        return empty
    attrs = {c: _text(frame, c, lower, rows) for c, lower in columns.items()}
    metric = reproject(geom[rows], _crs_name(frame), METRIC_CRS)
    geoms = np.asarray(metric, dtype=object)
    # GEOS works out a collection's envelope on its first use: here, once, not in two pool threads at once
    return _Layer(name, geoms, attrs, _bounds=shapely.bounds(geoms))
