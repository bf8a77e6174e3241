"""The numpy bound of what lies deeper than SNAP_M inside a polygon (mapapp.analysis.conflicts.depth):
never drops a pair the rules keep, and drops the lines that only run along an edge."""
from __future__ import annotations

import numpy as np
import shapely
from shapely import LineString, Point, Polygon, box

from mapapp.analysis.conflicts.catalogue import SNAP_M
from mapapp.analysis.conflicts.depth import _convex, may_reach_inside
from mapapp.analysis.conflicts.pairs import _inside

E0, N0 = 580_000.0, 1_100_000.0


def kept(geoms: np.ndarray, polys: np.ndarray, tol_m: float) -> np.ndarray:
    """What the project rules keep of each pair (lines longer than tol_m, points), the GEOS way."""
    inside = _inside(geoms, polys)
    line = shapely.get_dimensions(geoms) == 1
    return np.where(line, shapely.length(inside) > tol_m, ~shapely.is_empty(inside))


def test_convex_polygons_only():
    square = box(E0, N0, E0 + 10, N0 + 10)
    rotated = shapely.affinity.rotate(square, 33)
    triangle = Polygon([(E0, N0), (E0 + 10, N0), (E0, N0 + 10)])
    repeated = Polygon([(E0, N0), (E0 + 10, N0), (E0 + 10, N0), (E0 + 10, N0 + 10), (E0, N0 + 10)])
    ell = Polygon([(E0, N0), (E0 + 10, N0), (E0 + 10, N0 + 5), (E0 + 5, N0 + 5), (E0 + 5, N0 + 10), (E0, N0 + 10)])
    holed = square.difference(box(E0 + 4, N0 + 4, E0 + 6, N0 + 6))
    star = Polygon([(E0 + 10 * np.cos(a), N0 + 10 * np.sin(a)) for a in np.arange(5) * 4 * np.pi / 5])
    pair = shapely.union(square, box(E0 + 20, N0, E0 + 30, N0 + 10))
    line = LineString([(E0, N0), (E0 + 1, N0)])
    got = _convex(np.array([square, rotated, triangle, repeated, ell, holed, star, pair, line, Polygon()], dtype=object))
    assert got.tolist() == [True, True, True, True, False, False, False, False, False, False]


def test_the_bound_never_drops_what_the_rules_keep():
    rng = np.random.default_rng(11)
    n = 4000
    centre = rng.uniform(0, 100, (n, 2)) + [E0, N0]
    size = rng.uniform(0.005, 40, (n, 2))
    polys = np.array([shapely.affinity.rotate(box(x - w, y - h, x + w, y + h), a)
                      for (x, y), (w, h), a in zip(centre, size, rng.uniform(0, 90, n))], dtype=object)
    hulls = shapely.convex_hull(shapely.multipoints(rng.uniform(-30, 30, (n, 6, 2)) + centre[:, None, :]))
    polys[::3] = hulls[::3]
    start = centre + rng.normal(0, 30, (n, 2))
    end = start + rng.normal(0, 40, (n, 2))
    geoms = shapely.linestrings(np.stack([start, end], 1))
    geoms[::5] = shapely.points(start[::5])
    edge = shapely.get_coordinates(shapely.get_exterior_ring(polys[1::7]))  # along an edge, by hair-widths
    first = np.searchsorted(shapely.get_coordinates(shapely.get_exterior_ring(polys[1::7]), return_index=True)[1],
                            np.arange(len(polys[1::7])))
    a, b = edge[first], edge[first + 1]
    geoms[1::7] = shapely.linestrings(np.stack([a + [SNAP_M / 3, -SNAP_M / 4], (a + b) / 2, b], 1))
    for tol in (0.0, 1.0, 5.0):
        bound = may_reach_inside(geoms, polys, tol)
        truth = kept(geoms, polys, tol)
        assert not np.any(truth & ~bound)
        assert truth.sum() > n / 10 and (~bound).sum() > n / 10  # pairs on both sides, and it drops many


def test_a_road_along_a_lot_edge_is_dropped_and_one_across_kept():
    lot = box(E0, N0, E0 + 100, N0 + 50)
    along = LineString([(E0 - 20, N0 + 50.004), (E0 + 40, N0 + 49.996), (E0 + 120, N0 + 50.003)])
    across = LineString([(E0 + 50, N0 - 10), (E0 + 50.5, N0 + 60)])
    corner = LineString([(E0 - 1, N0 + 0.5), (E0 + 0.5, N0 - 1)])  # cuts a corner: under 1 m inside
    geoms = np.array([along, across, corner, Point(E0 + 1, N0 + 1), Point(E0 + 0.005, N0 + 1)], dtype=object)
    polys = np.array([lot] * len(geoms), dtype=object)
    assert may_reach_inside(geoms, polys, 1.0).tolist() == [False, True, False, True, False]
    assert kept(geoms, polys, 1.0).tolist() == [False, True, False, True, False]


def test_other_shapes_are_never_dropped():
    ell = Polygon([(E0, N0), (E0 + 10, N0), (E0 + 10, N0 + 5), (E0 + 5, N0 + 5), (E0 + 5, N0 + 10), (E0, N0 + 10)])
    far = LineString([(E0 + 100, N0), (E0 + 200, N0)])
    multi = shapely.multilinestrings([far, far])
    geoms = np.array([far, multi, LineString()], dtype=object)
    polys = np.array([ell, box(E0, N0, E0 + 1, N0 + 1), box(E0, N0, E0 + 1, N0 + 1)], dtype=object)
    assert may_reach_inside(geoms, polys, 1.0).tolist() == [True, True, True]
