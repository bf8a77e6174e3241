"""Overview tiles (below the feature zoom): each feature's colour painted on a grid of small cells.

At a province-wide zoom a parcel is smaller than a pixel and a tile would hold tens of thousands of
them: far more than 100 KB. Instead the tile is cut into square cells (2 px of a 256 px tile; larger
if the tile would still exceed the size budget) and each cell takes the colour attributes
(:data:`mapapp.tiles.properties.MERGE_BY`) of the feature its centre lies in, and a feature smaller
than a cell paints the cell it lies in (so every feature shows, at least as one cell); runs of equal cells
along a row become one rectangle. No feature
codes are carried (clicks at this zoom have nothing to open: the map zooms in instead).
"""
from __future__ import annotations

import mapbox_vector_tile
import numpy as np
import pandas as pd
import shapely

from mapapp.tiles.grid import EXTENT

# Cell side in tile units (4096 per tile: 16 per pixel of a 256 px tile), first try.
CELL = 32
MAX_BYTES = 100_000


def overview_tile(name: str, geoms: np.ndarray, props: pd.DataFrame, by: tuple[str, ...]) -> bytes:
    """The MVT bytes of layer ``name``: ``geoms`` in tile coordinates (y up), ``props`` one row each."""
    cell = CELL
    while True:
        data = _encode(name, geoms, props, by, cell)
        if len(data) <= MAX_BYTES or cell >= EXTENT // 16:
            return data
        cell *= 2


def _encode(name: str, geoms: np.ndarray, props: pd.DataFrame, by: tuple[str, ...], cell: int) -> bytes:
    n = EXTENT // cell
    centres = (np.arange(n) + 0.5) * cell
    cx, cy = np.meshgrid(centres, centres)  # row = y index, column = x index
    points = shapely.points(cx.ravel(), cy.ravel())
    cell_i, feature_i = shapely.STRtree(geoms).query(points, predicate="within")
    # a feature holding no cell centre (smaller than a cell) paints the cell it lies in
    small = np.setdiff1d(np.arange(len(geoms)), feature_i)
    at = shapely.get_coordinates(shapely.point_on_surface(geoms[small]))
    col, row = np.floor(at[:, 0] / cell).astype(np.int64), np.floor(at[:, 1] / cell).astype(np.int64)
    inside = (col >= 0) & (col < n) & (row >= 0) & (row < n)
    cell_i = np.concatenate([cell_i, (row * n + col)[inside]])
    feature_i = np.concatenate([feature_i, small[inside]])
    if not len(cell_i):
        return b""
    # one feature per cell (the first found: a centre inside before a small feature) and its value key
    first = np.unique(cell_i, return_index=True)[1]
    cells, owners = cell_i[first], feature_i[first]
    values = props[list(by)].astype(object).where(props[list(by)].notna(), None)
    keys = pd.Series(list(zip(*(values[c].to_numpy() for c in by))) if by else [()] * len(values))
    codes, uniques = pd.factorize(keys, use_na_sentinel=False)
    grid = np.full(n * n, -1, dtype=np.int64)
    grid[cells] = codes[owners]
    grid = grid.reshape(n, n)
    # runs of equal values along each row: [start, end) columns
    features = []
    for k, value in enumerate(uniques):
        mask = np.pad(grid == k, ((0, 0), (1, 1)))
        change = np.diff(mask.astype(np.int8), axis=1)
        rows_s, starts = np.nonzero(change == 1)
        rows_e, ends = np.nonzero(change == -1)
        boxes = shapely.box(starts * cell, rows_s * cell, ends * cell, (rows_s + 1) * cell)
        shape = shapely.union_all(boxes)
        properties = {c: (v.item() if isinstance(v, np.generic) else v) for c, v in zip(by, value) if v is not None}
        features.append({"geometry": shapely.orient_polygons(shape, exterior_cw=True), "properties": properties})
    return mapbox_vector_tile.encode([{"name": name, "features": features}],
                                     default_options={"extents": EXTENT, "y_coord_down": False, "check_winding_order": False})
