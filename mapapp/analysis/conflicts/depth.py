"""Which (line or point, polygon) pairs can have a part deeper than ``SNAP_M`` inside the polygon, with numpy.

A project line that only runs along a lot's edge, wandering by float hair-widths on both sides of it,
"intersects" the lot; most candidate pairs of the project rules are such. :func:`pairs._inside` settles
each with a GEOS buffer and intersection (10 µs a pair). Here an exact upper bound of what it can find
drops most of them first: a point deeper than ``SNAP_M`` inside a polygon has a disc of that radius in
it, so it lies in the polygon's box (:func:`pairs._oriented_boxes`) shrunk by ``SNAP_M`` on every side,
and the part of a line there is at least as long as the part deeper inside. The inward buffer that
``_inside`` takes keeps no point nearer than that to the edge of a *convex* polygon (mitred corners lie
deeper); elsewhere (holes, reflex corners, bevels) it may, so other shapes are never dropped.
"""
from __future__ import annotations

import numpy as np
import shapely

from mapapp.analysis.conflicts.catalogue import SNAP_M
from mapapp.analysis.conflicts.pairs import _oriented_boxes

# Far above the rounding of GEOS' offset curves and of this arithmetic (1e-9 m at 10⁶ m), far below
# SNAP_M: the box is this much wider, and lengths within this of the tolerance are kept.
_SLACK_M = 1e-6
_POINT, _LINESTRING, _POLYGON = 0, 1, 3


def may_reach_inside(geoms: np.ndarray, polys: np.ndarray, tol_m: float) -> np.ndarray:
    """Mask of pairs (``geoms[i]``, ``polys[i]``, EPSG:5897) where ``_inside`` may find something kept:
    a line longer than ``tol_m`` (m) or a point. False only where it surely finds nothing to keep."""
    keep = np.ones(len(geoms), dtype=bool)
    kind = shapely.get_type_id(geoms)
    rows = np.flatnonzero(((kind == _POINT) | (kind == _LINESTRING)) & ~shapely.is_empty(geoms) & _convex(polys))
    if not len(rows):
        return keep
    box = _oriented_boxes(polys[rows])
    half = np.maximum(box[:, 4:6] - (SNAP_M - _SLACK_M), -1.0)  # < 0: no point is that deep
    coords, which = shapely.get_coordinates(geoms[rows], return_index=True)
    local = coords - box[which, 0:2]
    u = local[:, 0] * box[which, 2] + local[:, 1] * box[which, 3]
    v = local[:, 1] * box[which, 2] - local[:, 0] * box[which, 3]
    point = kind[rows] == _POINT
    inside = (np.abs(u) <= half[which, 0]) & (np.abs(v) <= half[which, 1])
    keep[rows[point]] = inside[point[which]]  # a point has one coordinate
    segment = np.flatnonzero((which[1:] == which[:-1]) & ~point[which[:-1]])
    length = _clipped_length(u, v, segment, half[which[segment]])
    bound = np.bincount(which[segment], length, minlength=len(rows))
    keep[rows[~point]] = bound[~point] > tol_m - _SLACK_M
    return keep


def _clipped_length(u: np.ndarray, v: np.ndarray, start: np.ndarray, half: np.ndarray) -> np.ndarray:
    """Length of each segment (start -> start + 1, box-local coordinates) within the box |u| <= half[:, 0],
    |v| <= half[:, 1] (Liang-Barsky); 0 where the box is empty."""
    u0, v0 = u[start], v[start]
    du, dv = u[start + 1] - u0, v[start + 1] - v0
    t0, t1 = np.zeros(len(start)), np.ones(len(start))
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-du, u0 + half[:, 0]), (du, half[:, 0] - u0), (-dv, v0 + half[:, 1]), (dv, half[:, 1] - v0)):
            t = q / p
            t0 = np.where(p < 0, np.maximum(t0, t), t0)
            t1 = np.where(p > 0, np.minimum(t1, t), t1)
            t1 = np.where((p == 0) & (q < 0), -1.0, t1)  # parallel to this side and beyond it
    return np.maximum(t1 - t0, 0.0) * np.hypot(du, dv)


def _convex(polys: np.ndarray) -> np.ndarray:
    """Whether each geometry is a polygon without holes whose ring turns one way, once round (convex)."""
    out = np.zeros(len(polys), dtype=bool)
    rows = np.flatnonzero((shapely.get_type_id(polys) == _POLYGON) & (shapely.get_num_interior_rings(polys) == 0))
    if not len(rows):
        return out
    coords, ring = shapely.get_coordinates(shapely.get_exterior_ring(polys[rows]), return_index=True)
    edge = np.diff(coords, axis=0)
    of = ring[:-1]
    real = (ring[1:] == of) & (edge != 0).any(axis=1)  # within a ring, repeated points skipped
    edge, of = edge[real], of[real]
    first = np.searchsorted(of, of)  # the ring's first edge, for each edge
    nxt = np.arange(1, len(edge) + 1)
    last = np.append(of[1:] != of[:-1], True)
    nxt[last] = first[last]
    cross = edge[:, 0] * edge[nxt, 1] - edge[:, 1] * edge[nxt, 0]
    dot = edge[:, 0] * edge[nxt, 0] + edge[:, 1] * edge[nxt, 1]
    n = len(rows)
    turning = np.bincount(of, np.arctan2(cross, dot), minlength=n)
    left, right = np.bincount(of, cross > 0, minlength=n), np.bincount(of, cross < 0, minlength=n)
    edges = np.bincount(of, minlength=n)
    out[rows] = (edges >= 3) & ((left == 0) | (right == 0)) & (np.abs(np.abs(turning) - 2 * np.pi) < 1e-6)
    return out
