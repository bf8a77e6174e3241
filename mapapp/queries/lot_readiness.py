"""Lot readiness for the lots a view asks, each lot's kept per its geometry and the zones around it.

A lot's readiness (:func:`mapapp.clearance.blocks.lot_readiness`) depends only on its geometry and on
the cleared blocks and uncleared parcels that meet it, which are parts of the figures of the zones
around it (:func:`mapapp.queries.zone_figures.reach`). So each lot's answer is kept under (its code,
its WKB, the keys of the zones whose blocks or open parcels may reach it: those whose box, grown by
the tolerance, meets the lot's box). A write that changes a zone's figures gives the zone a new
version in the database, hence a new key, and the lots around it are worked out again; an edited lot
has another WKB. A view whose lots are all kept only reads boxes and joins kept values; the others
are worked out together in one vectorised call, as the whole province's computation does them.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.analysis.measure import to_metric
from mapapp.clearance.blocks import readiness_metric
from mapapp.queries import zone_figures
from mapapp.queries.zone_figures import AROUND_DEG, ZoneReach
from mapapp.store import zone_reads
from mapapp.store.backend import Store

#: Lots' readiness kept (each entry holds the lot's WKB: a few hundred bytes).
CACHE_LOTS = 200_000
COLUMNS = ["code", "ready", "missing", "reason", "ready_expected"]

_KEPT: OrderedDict[tuple, tuple] = OrderedDict()
_LOCK = threading.Lock()


def lot_figures(store: Store, lots: gpd.GeoDataFrame, at: dt.date) -> pd.DataFrame:
    """Readiness of ``lots`` (active ones; WGS84, ``code``) at ``at``, row for row (index 0…n-1): ``code, ready``
    (bool), ``missing`` (list of parcel codes), ``reason``, ``ready_expected``, as
    :func:`mapapp.clearance.blocks.lot_readiness` gives it over the whole province."""
    if lots.empty:
        return pd.DataFrame(columns=COLUMNS)
    geoms = lots.geometry.to_numpy()
    codes = lots["code"].to_numpy(dtype=object)
    boxes = shapely.bounds(geoms)
    x0, y0 = np.nanmin(boxes[:, :2], axis=0)
    x1, y1 = np.nanmax(boxes[:, 2:], axis=0)
    with store.engine.connect() as conn:
        near = zone_reads.zones_near(conn, (x0 - AROUND_DEG, y0 - AROUND_DEG, x1 + AROUND_DEG, y1 + AROUND_DEG))
    zones = [z for z in zone_figures.reach(store, near, at) if z.extent is not None]
    keys = list(zip(codes.tolist(), shapely.to_wkb(geoms).tolist(), _around(boxes, zones)))
    with _LOCK:
        rows = [_KEPT.get(k) for k in keys]
        for k, row in zip(keys, rows):
            if row is not None:
                _KEPT.move_to_end(k)
    todo = [i for i, row in enumerate(rows) if row is None]
    if todo:
        worked = _work_out(codes[todo], geoms[todo], zones)
        with _LOCK:
            for i, row in zip(todo, worked):
                rows[i] = _KEPT[keys[i]] = row
            while len(_KEPT) > CACHE_LOTS:
                _KEPT.popitem(last=False)
    ready, missing, reason, expected = zip(*rows)
    return pd.DataFrame({"code": codes, "ready": np.array(ready, dtype=bool), "missing": [list(m) for m in missing],
                         "reason": np.array(reason, dtype=object), "ready_expected": np.array(expected, dtype=object)})


def _around(boxes: np.ndarray, zones: list[ZoneReach]) -> list[tuple]:
    """For each lot box (``minx, miny, maxx, maxy`` rows), the tokens of the ``zones`` whose extent meets it."""
    if not zones:
        return [()] * len(boxes)
    extents = np.array([z.extent for z in zones], dtype=float)
    meets = ((boxes[:, None, 2] >= extents[None, :, 0]) & (boxes[:, None, 0] <= extents[None, :, 2])
             & (boxes[:, None, 3] >= extents[None, :, 1]) & (boxes[:, None, 1] <= extents[None, :, 3]))
    patterns, which = np.unique(meets, axis=0, return_inverse=True)
    tokens = np.array([z.token for z in zones], dtype=object)
    # lots of a zone share one pattern, hence one tuple
    shared = [tuple(tokens[p]) for p in patterns]
    return [shared[i] for i in which.reshape(-1).tolist()]


def _work_out(codes: np.ndarray, geoms: np.ndarray, zones: list[ZoneReach]) -> list[tuple]:
    """(ready, missing codes as a tuple, reason, ready_expected) of each lot, from the ``zones`` around them."""
    empty = np.empty(0, dtype=object)
    blocks_m, open_m, open_codes = (np.concatenate(parts) if parts else empty for parts in (
        [z.blocks_m for z in zones], [z.open_m for z in zones], [z.open_codes for z in zones]))
    expected: dict = {}
    for z in zones:
        expected.update(z.expected)
    out = readiness_metric(codes, pd.RangeIndex(len(codes)), to_metric(geoms), blocks_m, open_m, open_codes, expected)
    return list(zip(out["ready"].tolist(), map(tuple, out["missing"]), out["reason"].tolist(), out["ready_expected"].tolist()))
