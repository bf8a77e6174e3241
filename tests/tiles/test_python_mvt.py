"""The Python tile builder's geometry step: clipped, snapped to whole tile units, valid."""
from __future__ import annotations

import numpy as np
import shapely

from mapapp.tiles.grid import BUFFER, EXTENT, TileRequest
from mapapp.tiles.python_mvt import local_geometries, tile_geometries

REQUEST = TileRequest("lots", 17, 104_000, 61_500)


def _wgs84(local: np.ndarray) -> np.ndarray:
    """Tile-unit geometries (0–4096, y up) back in WGS84, by inverting :func:`local_geometries` numerically."""
    minx, miny, maxx, _ = REQUEST.bounds_3857()
    scale = (maxx - minx) / 4096

    def to_degrees(xy: np.ndarray) -> np.ndarray:
        x, y = minx + xy[:, 0] * scale, miny + xy[:, 1] * scale
        lon = np.degrees(x / 6378137.0)
        lat = np.degrees(2 * np.arctan(np.exp(y / 6378137.0)) - np.pi / 2)
        return np.column_stack([lon, lat])

    return shapely.transform(local, to_degrees)


def test_snapped_geometries_are_the_full_snap_and_valid():
    """Ordinary parcels, one crossing the buffered edge, and slivers that pinch or collapse once rounded:
    the cheap vertex rounding plus the full snap of the rest gives what the full snap gives for all."""
    rng = np.random.default_rng(3)
    corners = rng.uniform(-200, 4200, size=(60, 2))
    boxes = shapely.box(corners[:, 0], corners[:, 1], corners[:, 0] + rng.uniform(3, 300, 60), corners[:, 1] + rng.uniform(3, 300, 60))
    slivers = np.array([
        shapely.Polygon([(100, 100), (300, 100.4), (500, 100), (300, 100.2)]),  # pinches to a line when rounded
        shapely.Polygon([(1000.2, 1000.2), (1000.4, 1000.2), (1000.4, 1000.4)]),  # collapses to a point
        shapely.Polygon([(2000, 2000), (2100, 2000), (2050.3, 2050), (2100, 2100.4), (2000, 2100), (2049.8, 2050.2)]),
    ], dtype=object)
    local = np.concatenate([boxes, slivers])
    geoms = tile_geometries(_wgs84(local), REQUEST)
    full = shapely.set_precision(shapely.clip_by_rect(local_geometries(_wgs84(local), REQUEST),
                                                      -BUFFER, -BUFFER, EXTENT + BUFFER, EXTENT + BUFFER), 1.0)
    assert shapely.is_valid(geoms).all()
    rounded = shapely.set_precision(shapely.clip_by_rect(local_geometries(_wgs84(local), REQUEST),
                                                         -BUFFER, -BUFFER, EXTENT + BUFFER, EXTENT + BUFFER), 1.0, mode="pointwise")
    assert not shapely.is_valid(rounded).all()  # the slivers do need the full snap
    for got, want in zip(geoms, full):
        assert (got.is_empty and want.is_empty) or got.equals(want)
    coords = shapely.get_coordinates(geoms)
    assert np.array_equal(coords, np.round(coords))
