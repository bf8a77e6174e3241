"""Contiguous cleared land: the blocks an investor can actually build on.

"78 % cleared, but not in one piece": the share of cleared land says little; what a lot
needs is one contiguous cleared block that covers it. Two pieces of cleared land are
contiguous when they share an edge, within ``tolerance_m`` (1 m: digitising gaps between
neighbouring parcels); a canal or road strip still to clear between them splits the block.
A corner touch is not an edge: the two must share at least ``min_shared_m`` (5 m) of
boundary within the tolerance (a corner touch shares at most 2 × tolerance).

Everything is measured in metres in VN-2000 / TM-3 105°00' (EPSG:5897, through
:func:`mapapp.analysis.measure.to_metric`); inputs and output geometry are WGS84
(EPSG:4326). The neighbours come from one bulk ``STRtree`` query (``dwithin``), the shared
boundary length is computed for all pairs at once, and the blocks are the connected
components of that graph (a vectorised union-find over the pairs).

Cleared land is the parcels whose status is ``cleared`` and, when the zones are given, the
zone's land outside every parcel: the register holds the land still to be recovered, the
rest is already the zone's (it is leased or built on). A zone whose ``status`` is
``proposed`` has no land of its own yet, so only its cleared parcels count. Slivers of zone
land narrower than the tolerance (between parcels that do not quite touch) are dropped.
"""
from __future__ import annotations

import math
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.analysis.measure import METRIC_CRS, STORAGE_CRS, to_metric, to_storage

TOLERANCE_M = 1.0
MIN_SHARED_M = 5.0
MIN_PIECE_M2 = 1.0


def components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components of ``n`` nodes joined by the pairs ``left[k]``–``right[k]``.

    Returns an int array of length ``n``: each node's component label, the smallest node
    index in its component. Vectorised label propagation (min over edges until stable).
    """
    labels = np.arange(n)
    if len(left) == 0:
        return labels
    while True:
        low = np.minimum(labels[left], labels[right])
        new = labels.copy()
        np.minimum.at(new, left, low)
        np.minimum.at(new, right, low)
        new = new[new]  # pointer jumping
        if np.array_equal(new, labels):
            return labels
        labels = new


def contiguous(geoms_m, groups=None, tolerance_m: float = TOLERANCE_M, min_shared_m: float = MIN_SHARED_M) -> np.ndarray:
    """Block labels of metric polygons: contiguous when they share ≥ ``min_shared_m`` of edge within ``tolerance_m``.

    geoms_m: array of polygons in metres (EPSG:5897); groups: optional array of the same
    length (e.g. zone codes): pieces of different groups are never contiguous. Returns an
    int array of labels (equal labels: one block).
    """
    geoms = np.asarray(geoms_m, dtype=object)
    n = len(geoms)
    if n == 0:
        return np.zeros(0, dtype=int)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=tolerance_m)
    keep = left < right
    if groups is not None:
        g = np.asarray(groups, dtype=object)
        keep &= g[left] == g[right]
    left, right = left[keep], right[keep]
    # a pair whose boundary runs less than min_shared_m inside the other's box (a corner touch: about half the
    # pairs) cannot share an edge; only the others are measured, each piece's boundary and buffer made once
    maybe = shared_bound(geoms, left, right, tolerance_m) >= min_shared_m - _SLACK_M
    left, right = left[maybe], right[maybe]
    # neighbours digitised on the same vertices share whole segments, which lie inside the other's buffer:
    # enough of them and the pair shares an edge; only the rest are measured
    edge = common_segments(geoms, left, right) >= min_shared_m + _SLACK_M
    rest = np.flatnonzero(~edge)
    outline, grown = np.empty(n, dtype=object), np.empty(n, dtype=object)
    ends, starts = np.unique(left[rest]), np.unique(right[rest])
    outline[ends] = shapely.boundary(geoms[ends])
    grown[starts] = shapely.buffer(geoms[starts], tolerance_m)
    edge[rest] = shapely.length(shapely.intersection(outline[left[rest]], grown[right[rest]])) >= min_shared_m
    return components(n, left[edge], right[edge])


def common_segments(geoms_m: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair ``left[k]``–``right[k]`` of indices into ``geoms_m`` (polygons, metres): the length (metres) of the
    segments of ``left``'s boundary that are also segments of ``right``'s (the same two vertices), 0 when
    either polygon is invalid. A lower bound of the length of ``left``'s boundary inside ``right``'s buffer:
    the segments of a valid polygon's rings do not overlap, and ``right``'s lie well inside its buffer."""
    coords, owner = shapely.get_coordinates(geoms_m, return_index=True)
    joined = np.flatnonzero(owner[:-1] == owner[1:])
    a, b = coords[joined], coords[joined + 1]
    flip = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    a, b = np.where(flip[:, None], b, a), np.where(flip[:, None], a, b)
    segments = pd.DataFrame({"x0": a[:, 0], "y0": a[:, 1], "x1": b[:, 0], "y1": b[:, 1], "piece": owner[joined],
                             "length": np.hypot(b[:, 0] - a[:, 0], b[:, 1] - a[:, 1])}).drop_duplicates()
    both = segments.merge(segments[["x0", "y0", "x1", "y1", "piece"]], on=["x0", "y0", "x1", "y1"], suffixes=("", "_other"))
    both = both[both["piece"] != both["piece_other"]]
    n = len(geoms_m)
    total = both["length"].groupby(both["piece"].to_numpy(dtype=np.int64) * n + both["piece_other"].to_numpy(dtype=np.int64)).sum()
    out = total.reindex(left.astype(np.int64) * n + right.astype(np.int64)).fillna(0.0).to_numpy()
    valid = shapely.is_valid(geoms_m)
    return np.where(valid[left] & valid[right], out, 0.0)


#: Metres the bound of :func:`shared_bound` is given against rounding (far below any digitising gap).
_SLACK_M = 1e-6


def shared_bound(geoms_m: np.ndarray, left: np.ndarray, right: np.ndarray, tolerance_m: float = TOLERANCE_M) -> np.ndarray:
    """Per pair ``left[k]``–``right[k]`` of indices into ``geoms_m`` (polygons, metres): an upper bound (metres)
    of the length of ``left``'s boundary within ``tolerance_m`` of ``right``.

    It is the length of ``left``'s segments inside ``right``'s bounding box grown by ``tolerance_m``
    (+ :data:`_SLACK_M`), which holds that buffer; clipped in numpy (Liang–Barsky), no geometry made.
    Segments joining two rings or parts only add length: the bound still holds.
    """
    coords, owner = shapely.get_coordinates(geoms_m, return_index=True)
    first = np.searchsorted(owner, np.arange(len(geoms_m)))
    segments = np.maximum(np.bincount(owner, minlength=len(geoms_m)) - 1, 0)[left]
    pair = np.repeat(np.arange(len(left)), segments)
    k = first[left][pair] + np.arange(len(pair)) - np.repeat(np.cumsum(segments) - segments, segments)
    x0, y0 = coords[k, 0], coords[k, 1]
    dx, dy = coords[k + 1, 0] - x0, coords[k + 1, 1] - y0
    box = shapely.bounds(geoms_m[right])[pair] + (tolerance_m + _SLACK_M) * np.array([-1.0, -1.0, 1.0, 1.0])
    lo, hi = np.zeros(len(k)), np.ones(len(k))
    with np.errstate(divide="ignore", invalid="ignore"):
        for d, p0, a, b in ((dx, x0, box[:, 0], box[:, 2]), (dy, y0, box[:, 1], box[:, 3])):
            flat, within = d == 0, (p0 >= a) & (p0 <= b)
            ta, tb = (a - p0) / d, (b - p0) / d
            lo = np.maximum(lo, np.where(flat, np.where(within, 0.0, np.inf), np.minimum(ta, tb)))
            hi = np.minimum(hi, np.where(flat, np.where(within, 1.0, -np.inf), np.maximum(ta, tb)))
    return np.bincount(pair, weights=np.clip(hi - lo, 0.0, None) * np.hypot(dx, dy), minlength=len(left))


def _pieces(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None,
            tolerance_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pieces of :func:`cleared_pieces` as arrays: ``zone_code``, ``kind``, ``code`` (object arrays) and the
    metric geometry; built from numpy arrays, no frame per step (a zone's figures are worked out on each write)."""
    status = parcels["status"].to_numpy(dtype=object)
    parcel_zone = parcels["zone_code"].to_numpy(dtype=object)
    parcel_geoms = parcels.geometry.to_numpy()
    cleared = np.flatnonzero(status == "cleared")
    zone_code = [parcel_zone[cleared]]
    kind = [np.full(len(cleared), "parcel", dtype=object)]
    code = [parcels["code"].to_numpy(dtype=object)[cleared]]
    geoms = [np.asarray(to_metric(parcel_geoms[cleared]), dtype=object)]
    if zones is not None and len(zones):
        own = zones if "status" not in zones.columns else zones[zones["status"] != "proposed"]
        own_codes = own["code"].to_numpy(dtype=object)
        zm = to_metric(own.geometry.to_numpy())
        # the land taken by parcels, only in the zones with land of their own (a proposed zone's is never used)
        mine = np.flatnonzero(pd.Index(parcel_zone, dtype=object).isin(own_codes))
        pm = np.asarray(to_metric(parcel_geoms[mine]), dtype=object)
        # each zone's parcels united in their order (what GeoDataFrame.dissolve does, without its frames)
        by_zone = {z: shapely.union_all(pm[i]) for z, i in pd.Series(parcel_zone[mine], dtype=object).groupby(
            parcel_zone[mine], sort=True).indices.items()} if len(mine) else {}
        taken = np.array([by_zone.get(z, shapely.Polygon()) for z in own_codes], dtype=object)
        land = shapely.difference(zm, taken)
        half = tolerance_m / 2.0
        land = shapely.buffer(shapely.buffer(land, -half, join_style="mitre"), half, join_style="mitre")
        parts, index = shapely.get_parts(land, return_index=True)
        big = shapely.area(parts) >= MIN_PIECE_M2
        if big.any():
            zone_code.append(own_codes[index[big]])
            kind.append(np.full(int(big.sum()), "zone_land", dtype=object))
            code.append(np.full(int(big.sum()), None, dtype=object))
            geoms.append(np.asarray(parts[big], dtype=object))
    return tuple(np.concatenate(a) if len(a) > 1 else a[0] for a in (zone_code, kind, code, geoms))


def cleared_pieces(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None = None,
                   tolerance_m: float = TOLERANCE_M) -> gpd.GeoDataFrame:
    """The pieces of cleared land, in metres.

    parcels: WGS84, columns ``code, zone_code, status``; zones: WGS84, columns ``code`` and
    optionally ``status`` (or None: the cleared parcels only). Returns a GeoDataFrame in
    EPSG:5897 with columns ``zone_code, kind`` (``parcel`` | ``zone_land``), ``code`` (the
    parcel's, or None), ``geometry``.
    """
    zone_code, kind, code, geoms = _pieces(parcels, zones, tolerance_m)
    return gpd.GeoDataFrame({"zone_code": zone_code, "kind": kind, "code": code}, geometry=geoms, crs=METRIC_CRS)


def cleared_blocks(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None = None,
                   tolerance_m: float = TOLERANCE_M, min_shared_m: float = MIN_SHARED_M) -> gpd.GeoDataFrame:
    """The contiguous blocks of cleared land, largest first within each zone.

    Inputs as :func:`cleared_pieces`. Returns a WGS84 GeoDataFrame with columns
    ``zone_code, block`` (1 = the zone's largest), ``area_ha`` (sum of the pieces' areas in
    EPSG:5897, gaps not counted), ``parcel_codes`` (list, sorted), ``geometry`` (the union).
    """
    zone_code, _, code, geoms = _pieces(parcels, zones, tolerance_m)
    columns = ["zone_code", "block", "area_ha", "parcel_codes"]
    if not len(geoms):
        return gpd.GeoDataFrame(columns=columns, geometry=gpd.GeoSeries([], crs=STORAGE_CRS), crs=STORAGE_CRS)
    labels = contiguous(geoms, zone_code, tolerance_m, min_shared_m)
    area = shapely.area(geoms) / 1e4
    # each block's pieces in their order, blocks by label (what a groupby over the labels gives)
    members = [m for _, m in sorted(pd.Series(labels).groupby(labels, sort=True).indices.items())]
    zones_of = np.array([zone_code[m[0]] for m in members], dtype=object)
    # exactly rounded sums: the same pieces give the same area whichever other zones were computed with them
    hectares = np.array([math.fsum(area[m]) for m in members], dtype=float)
    codes = [sorted(c for c in code[m] if c) for m in members]
    unions = np.array([shapely.union_all(geoms[m]) for m in members], dtype=object)
    rank = np.round(hectares, 4)  # ties within 1 m² (projection noise) go by parcel code
    order = sorted(range(len(members)), key=lambda b: (zones_of[b], -rank[b], codes[b][0] if codes[b] else ""))
    zones_sorted = zones_of[order]
    # blocks numbered from 1 within each zone (a zone's blocks are consecutive once sorted)
    step = np.arange(len(order), dtype=np.int64)
    starts = np.where(np.r_[True, zones_sorted[1:] != zones_sorted[:-1]], step, 0)
    block = step - np.maximum.accumulate(starts) + 1
    out = gpd.GeoDataFrame({"zone_code": zones_sorted, "block": block, "area_ha": hectares[order],
                            "parcel_codes": pd.Series([codes[b] for b in order], dtype=object)},
                           geometry=to_storage(unions[order]), crs=STORAGE_CRS)
    return out[columns + ["geometry"]]


def zone_clearance(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, blocks: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Per zone: ``zone_code, area_ha, cleared_ha, cleared_share`` (0–1), ``largest_cleared_block_ha``, ``blocks``.

    Cleared land as in :func:`cleared_pieces` (zone land counted); ``cleared_share`` is the
    cleared area over the zone's area (EPSG:5897), capped at 1. ``blocks`` may be passed
    when already computed by :func:`cleared_blocks` with the same inputs.
    """
    blocks = cleared_blocks(parcels, zones) if blocks is None else blocks
    area = pd.Series(shapely.area(to_metric(zones.geometry.to_numpy())) / 1e4, index=zones["code"].to_numpy())
    by_zone = blocks.groupby("zone_code")["area_ha"]
    out = pd.DataFrame({"zone_code": area.index, "area_ha": area.to_numpy()})
    out["cleared_ha"] = out["zone_code"].map(by_zone.agg(math.fsum)).fillna(0.0)
    out["cleared_share"] = np.minimum(1.0, np.where(out["area_ha"] > 0, out["cleared_ha"] / out["area_ha"].where(out["area_ha"] > 0, 1.0), 0.0))
    out["largest_cleared_block_ha"] = out["zone_code"].map(by_zone.max()).fillna(0.0)
    out["blocks"] = out["zone_code"].map(by_zone.size()).fillna(0).astype(int)
    return out


def lot_readiness(lots: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, blocks: gpd.GeoDataFrame,
                  expected: dict[str, date | None] | None = None, tolerance_m: float = TOLERANCE_M) -> pd.DataFrame:
    """Whether each lot can be handed over: one cleared block covers it.

    lots, parcels, blocks: WGS84 (``blocks`` from :func:`cleared_blocks`); ``expected``:
    forecast handover date per parcel code (see :mod:`mapapp.clearance.forecast`). Returns a
    DataFrame indexed like ``lots`` with ``code, ready`` (bool), ``missing`` (sorted codes of
    the uncleared parcels the lot overlaps by more than 1 m²), ``reason`` (``None`` when
    ready, ``uncleared_parcels``, or ``not_one_block``: the lot spans two blocks or land
    outside them) and ``ready_expected`` (the latest forecast of the missing parcels; None
    when ready, when nothing is missing, or when a missing parcel has no forecast).
    """
    open_parcels = parcels[parcels["status"] != "cleared"]
    return readiness_metric(lots["code"].to_numpy(), lots.index, to_metric(lots.geometry.to_numpy()),
                            shapely.buffer(to_metric(blocks.geometry.to_numpy()), tolerance_m),
                            to_metric(open_parcels.geometry.to_numpy()), open_parcels["code"].to_numpy(), expected)


def readiness_metric(codes, index, lots_m, blocks_m, open_m, open_codes, expected: dict[str, date | None] | None = None) -> pd.DataFrame:
    """:func:`lot_readiness` from metric arrays (EPSG:5897): the lots' ``codes``, ``index`` and geometry
    ``lots_m``; the cleared blocks already buffered by the tolerance (``blocks_m``); the uncleared parcels'
    geometry ``open_m`` and ``open_codes``. What a caller that keeps the blocks and parcels in metres calls."""
    lm = np.asarray(lots_m, dtype=object)
    lot_i, _ = shapely.STRtree(np.asarray(blocks_m, dtype=object)).query(lm, predicate="within")
    ready = np.zeros(len(lm), dtype=bool)
    ready[lot_i] = True
    om = np.asarray(open_m, dtype=object)
    li, pi = shapely.STRtree(om).query(lm, predicate="intersects")
    big = shapely.area(shapely.intersection(lm[li], om[pi])) > MIN_PIECE_M2
    missing: dict[int, list[str]] = {}
    for i, code in zip(li[big], np.asarray(open_codes, dtype=object)[pi[big]]):
        missing.setdefault(int(i), []).append(code)
    out = pd.DataFrame({"code": codes, "ready": ready}, index=index)
    out["missing"] = [sorted(missing.get(i, [])) if not r else [] for i, r in enumerate(ready)]
    out["reason"] = pd.Series([None if r else ("uncleared_parcels" if m else "not_one_block")
                               for r, m in zip(ready, out["missing"])], index=out.index, dtype=object)
    fc = expected or {}
    out["ready_expected"] = pd.Series([max(fc[c] for c in m) if m and all(fc.get(c) for c in m) else None
                                       for m in out["missing"]], index=out.index, dtype=object)
    return out
