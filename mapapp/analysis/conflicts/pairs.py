"""Candidate pairs of geometries without a Python loop: STRtree bulk queries, then exact numpy upper bounds
of the overlap area, so only pairs that can exceed the tolerance reach GEOS."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from shapely.errors import GEOSException

from mapapp.analysis.conflicts import parallel
from mapapp.analysis.conflicts.catalogue import _CHUNK, SNAP_M
from mapapp.analysis.conflicts.inputs import _Layer


def _safe(op: Callable[..., np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Run a GEOS overlay; on a topology error repair the inputs once and retry."""
    try:
        return op(a, b)
    except GEOSException:
        return op(shapely.make_valid(a), shapely.make_valid(b))


def _bbox_overlap(ba: np.ndarray, bb: np.ndarray) -> np.ndarray:
    """Area of the intersection of two bounds arrays: an exact upper bound of the overlap area."""
    w = np.minimum(ba[:, 2], bb[:, 2]) - np.maximum(ba[:, 0], bb[:, 0])
    h = np.minimum(ba[:, 3], bb[:, 3]) - np.maximum(ba[:, 1], bb[:, 1])
    return np.maximum(w, 0.0) * np.maximum(h, 0.0)


def _pair_bbox_overlap(box_a: np.ndarray, ia: np.ndarray, box_b: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """:func:`_bbox_overlap` of the bounds ``ia`` of ``box_a`` and ``ib`` of ``box_b`` (bounds transposed:
    minx, miny, maxx, maxy rows), the same arithmetic, for millions of candidate pairs."""
    w = np.minimum(box_a[2][ia], box_b[2][ib])
    w -= np.maximum(box_a[0][ia], box_b[0][ib])
    h = np.minimum(box_a[3][ia], box_b[3][ib])
    h -= np.maximum(box_a[1][ia], box_b[1][ib])
    np.maximum(w, 0.0, out=w)
    np.maximum(h, 0.0, out=h)
    w *= h
    return w


def _oriented_boxes(geoms: np.ndarray) -> np.ndarray:
    """Per geometry a box aligned with its longest edge: columns cx, cy, ux, uy, hu, hv.

    (cx, cy) is the centre, u = (ux, uy) the unit axis along the longest edge,
    hu / hv the half extents along u and its normal. Any axis gives a box that
    contains the geometry, so an odd axis only weakens the prune, never breaks it.
    For the rectangles of a rotated lot grid the box is the lot itself.
    """
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    start = np.searchsorted(idx, np.arange(len(geoms)))
    edge = np.diff(coords, axis=0, append=coords[-1:])
    same = np.append(idx[1:] == idx[:-1], False)
    length2 = np.where(same, np.einsum("ij,ij->i", edge, edge), -1.0)
    longest = np.flatnonzero(length2 == np.maximum.reduceat(length2, start)[idx])
    longest = longest[np.append(True, idx[longest][1:] != idx[longest][:-1])]  # first per geometry
    norm = np.sqrt(np.maximum(length2[longest], 0.0))
    u = np.where(norm[:, None] > 0, edge[longest] / np.where(norm > 0, norm, 1.0)[:, None], [1.0, 0.0])
    local = coords - coords[start][idx]  # small numbers: no cancellation at 1e6 m
    pu = local[:, 0] * u[idx, 0] + local[:, 1] * u[idx, 1]
    pv = local[:, 1] * u[idx, 0] - local[:, 0] * u[idx, 1]
    lo_u, hi_u = np.minimum.reduceat(pu, start), np.maximum.reduceat(pu, start)
    lo_v, hi_v = np.minimum.reduceat(pv, start), np.maximum.reduceat(pv, start)
    cu, cv = (lo_u + hi_u) / 2, (lo_v + hi_v) / 2
    cx = coords[start, 0] + cu * u[:, 0] - cv * u[:, 1]
    cy = coords[start, 1] + cu * u[:, 1] + cv * u[:, 0]
    return np.column_stack([cx, cy, u[:, 0], u[:, 1], (hi_u - lo_u) / 2, (hi_v - lo_v) / 2])


def _box_overlap_in_frame(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Upper bound of the overlap area of boxes a, b (rows of ``_oriented_boxes``), in a's frame.

    Along each of a's axes the overlap is at most the overlap of a's extent with
    b's projected extent (b's centre ± its projected radius).
    """
    dx, dy = b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]
    area = np.ones(len(a))
    for ex, ey, half in ((a[:, 2], a[:, 3], a[:, 4]), (-a[:, 3], a[:, 2], a[:, 5])):
        centre = dx * ex + dy * ey
        radius = b[:, 4] * np.abs(b[:, 2] * ex + b[:, 3] * ey) + b[:, 5] * np.abs(b[:, 2] * ey - b[:, 3] * ex)
        width = np.minimum(half, centre + radius) - np.maximum(-half, centre - radius)
        area *= np.maximum(width, 0.0)
    return area


def _oriented_prune(a: np.ndarray, ia: np.ndarray, b: np.ndarray, ib: np.ndarray, tol: float) -> np.ndarray:
    """Mask of pairs whose overlap may exceed ``tol`` judged in either feature's own frame.

    Catches what axis-aligned boxes cannot: neighbours in a rotated lot grid.
    Boxes are computed once per feature involved, not per pair.
    """
    if a is b:  # self-join: one set of boxes
        used, inv = np.unique(np.concatenate([ia, ib]), return_inverse=True)
        boxes = _oriented_boxes(a[used])
        box_a, box_b = boxes[inv[:len(ia)]], boxes[inv[len(ia):]]
    else:
        ua, inv_a = np.unique(ia, return_inverse=True)
        ub, inv_b = np.unique(ib, return_inverse=True)
        box_a, box_b = _oriented_boxes(a[ua])[inv_a], _oriented_boxes(b[ub])[inv_b]
    bound = np.minimum(_box_overlap_in_frame(box_a, box_b), _box_overlap_in_frame(box_b, box_a))
    return bound > tol


def _joined(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not parts:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _query_all(query: np.ndarray, tree: shapely.STRtree, predicate: str) -> tuple[np.ndarray, np.ndarray]:
    """All (query index, tree index) pairs satisfying ``predicate``: bulk queries of at most ``_CHUNK``
    geometries (bounding the pair arrays' memory) on the thread pool, in order."""
    def part(start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        qi, ti = tree.query(query[start:stop], predicate=predicate)
        return qi + start, ti

    return _joined(parallel.run(part, parallel.bounds_of(len(query), most=_CHUNK)))


# Overlaps no wider than this (m) are digitising noise whatever their area: two lots sharing
# a 400 m edge, one rounded to 6 decimals as RFC 7946 recommends (±0.055 m here), overlap
# by a hair-line of a few cm and several m². Twice the rounding step of 6 decimals.
SLIVER_WIDTH_M = 0.1


def _wider_than(geoms: np.ndarray, width: float) -> np.ndarray:
    """Whether each polygon is wider than ``width`` m somewhere (an inward buffer of half of it leaves something)."""
    if not len(geoms):
        return np.zeros(0, dtype=bool)
    return ~shapely.is_empty(shapely.buffer(geoms, -width / 2, quad_segs=2, join_style="mitre"))


def _area_pairs(
    a: _Layer, b: _Layer, tol: float,
    a_mask: np.ndarray | None = None, b_mask: np.ndarray | None = None, same: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (ia, ib) of polygons whose interiors overlap by more than ``tol`` m² and :data:`SLIVER_WIDTH_M` in width.

    Returns the index arrays, the overlaps and their areas. ``same`` = self-join
    of ``a`` (each unordered pair once).
    """
    qa = np.arange(len(a)) if a_mask is None else np.flatnonzero(a_mask)
    ia, ib = _candidates(a, b, qa, tol, b_mask, same)
    if len(ia):
        keep = _oriented_prune(a.geom, ia, b.geom, ib, tol)
        ia, ib = ia[keep], ib[keep]
    if same and len(ia):
        # the smaller code first: the overlay (so its vertices and area to the last bit) does not
        # depend on the order the rows were read in, e.g. a whole layer or an edit's surroundings
        swap = a["code"][ib] < a["code"][ia]
        ia, ib = np.where(swap, ib, ia), np.where(swap, ia, ib)
    inter, area, keep = parallel.chunked(lambda x, y: _overlaps(x, y, tol), a.geom[ia], b.geom[ib])
    return ia[keep], ib[keep], inter[keep], area[keep]


def _candidates(a: _Layer, b: _Layer, qa: np.ndarray, tol: float, b_mask: np.ndarray | None, same: bool
                ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (ia, ib) of ``a.geom[qa]`` and ``b`` whose bounding boxes overlap by more than ``tol``:
    STRtree bulk queries of at most ``_CHUNK`` geometries, pruned by the boxes, on the thread pool."""
    if not len(qa) or not len(b):
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    box_a, box_b = a.bounds.T.copy(), b.bounds.T.copy()  # one contiguous array per side: gathers 2x faster
    tree = b.tree

    def part(start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        q = qa[start:stop]
        qi, ib = tree.query(a.geom[q])
        ia = q[qi]
        keep = ia < ib if same else np.ones(len(ia), dtype=bool)
        if b_mask is not None:
            keep &= b_mask[ib]
        ia, ib = ia[keep], ib[keep]
        keep = _pair_bbox_overlap(box_a, ia, box_b, ib) > tol
        return ia[keep], ib[keep]

    return _joined(parallel.run(part, parallel.bounds_of(len(qa), most=_CHUNK)))


def _overlaps(a: np.ndarray, b: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair (a[i], b[i]) of polygons: their overlap (polygonal parts only), its area (m²) and
    whether it counts (more than ``tol`` and wider than :data:`SLIVER_WIDTH_M`). Run over chunks of
    pairs, :func:`_safe` repairs only a failing chunk: a valid geometry comes out of ``make_valid`` as it
    went in, so the results are those of one call."""
    inter = _keep_dim(_safe(shapely.intersection, a, b), 2)
    area = shapely.area(inter)
    keep = area > tol
    keep[keep] = _wider_than(inter[keep], SLIVER_WIDTH_M)
    return inter, area, keep


def _keep_dim(geoms: np.ndarray, dim: int) -> np.ndarray:
    """Drop the lower-dimensional bits (touch points, shared edges) of overlay results."""
    mixed = np.flatnonzero(shapely.get_type_id(geoms) == 7)  # GeometryCollection
    if len(mixed) == 0:
        return geoms
    parts, idx = shapely.get_parts(geoms[mixed], return_index=True)
    parts, sub = shapely.get_parts(parts, return_index=True)
    idx = idx[sub]
    keep = shapely.get_dimensions(parts) == dim
    build = (shapely.multipoints, shapely.multilinestrings, shapely.multipolygons)[dim]
    rebuilt = np.full(len(mixed), shapely.from_wkt("GEOMETRYCOLLECTION EMPTY"), dtype=object)
    if keep.any():
        build(parts[keep], indices=idx[keep], out=rebuilt)
    out = geoms.copy()
    out[mixed] = rebuilt
    return out


def _inside(geoms: np.ndarray, polys: np.ndarray) -> np.ndarray:
    """The part of each line or point deeper than ``SNAP_M`` inside the polygon.

    A road drawn along an edge with other vertices wanders by float hair-widths
    on both sides of it; the narrow corridor makes that "along", not "across".
    Costs 2 x SNAP_M of length per crossing.
    """
    def part(g: np.ndarray, p: np.ndarray) -> np.ndarray:
        return _lines_clean(g, _safe(shapely.intersection, g, shapely.buffer(p, -SNAP_M, join_style="mitre")))

    return parallel.chunked(part, geoms, polys)


def _outside(geoms: np.ndarray, polys: np.ndarray) -> np.ndarray:
    """The part of each line or point farther than ``SNAP_M`` outside the polygon (see ``_inside``)."""
    grown = shapely.buffer(polys, SNAP_M, join_style="mitre")
    return _lines_clean(geoms, _safe(shapely.difference, geoms, grown))


def _lines_clean(geoms: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """Overlay results of lines without their stray touch points."""
    lines = shapely.get_dimensions(geoms) == 1
    parts[lines] = _keep_dim(parts[lines], 1)
    return parts
