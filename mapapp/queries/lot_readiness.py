"""Lot readiness for the lots a view asks, each lot's kept in memory and in the database under its key.

A lot's readiness (:func:`mapapp.clearance.blocks.lot_readiness`) depends only on its geometry and on
the cleared blocks and uncleared parcels that meet it, which are parts of the figures of the zones
around it (:func:`mapapp.queries.zone_figures.reach`). Decoding those figures costs a few ms per zone,
so each lot's answer is kept, in this process's memory and (at the dataset's date) in the database for
every process (:mod:`mapapp.store.lot_rows`), under a key worked out from what is stored without
decoding any zone (:mod:`mapapp.queries.lot_keys`): the lot's WKB and the fingerprints of the zones
that can reach it. A write that changes a zone's figures gives the zone a new version in the database,
hence the lots around it new keys, and they are worked out again; an edited lot has another WKB. A view
whose lots are all kept reads boxes and kept rows only; the others are worked out together in one
vectorised call, as the whole province's computation does them, and kept.
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
from mapapp.queries import lot_keys, zone_figures, zone_parts
from mapapp.queries.clearance import procedure_settings
from mapapp.queries.zone_figures import ZoneReach
from mapapp.store import figure_versions, lot_rows
from mapapp.store.backend import Store

#: Lots' readiness kept in process memory (an entry is a key and a few values).
CACHE_LOTS = 200_000
COLUMNS = ["code", "ready", "missing", "reason", "ready_expected"]

_KEPT: OrderedDict[tuple, lot_rows.Row] = OrderedDict()
_LOCK = threading.Lock()
# lots this process worked out (not found kept in memory nor in the database): what tests and profiles watch
_COUNTS = {"worked_out": 0}


def worked_out() -> int:
    """How many lots' readiness this process has worked out from zones' figures since it started."""
    with _LOCK:
        return _COUNTS["worked_out"]


def forget() -> None:
    """Let every lot's readiness kept in this process's memory go (the rows in the database stay)."""
    with _LOCK:
        _KEPT.clear()


def lot_figures(store: Store, lots: gpd.GeoDataFrame, at: dt.date) -> pd.DataFrame:
    """Readiness of ``lots`` (active ones; WGS84, ``code``) at ``at``, row for row (index 0…n-1): ``code, ready``
    (bool), ``missing`` (list of parcel codes), ``reason``, ``ready_expected``, as
    :func:`mapapp.clearance.blocks.lot_readiness` gives it over the whole province."""
    if lots.empty:
        return pd.DataFrame(columns=COLUMNS)
    ready, missing, reason, expected = zip(*readiness_rows(store, lots, at))
    return pd.DataFrame({"code": lots["code"].to_numpy(dtype=object), "ready": np.array(ready, dtype=bool),
                         "missing": [list(m) for m in missing], "reason": np.array(reason, dtype=object),
                         "ready_expected": np.array(expected, dtype=object)})


def readiness_rows(store: Store, lots: gpd.GeoDataFrame, at: dt.date) -> list[lot_rows.Row]:
    """What :func:`lot_figures` gives, as one :data:`mapapp.store.lot_rows.Row` per lot of ``lots``, in order:
    ``(ready, missing codes (a sorted tuple), reason, ready_expected)``; kept in memory and in the database."""
    if lots.empty:
        return []
    geoms = lots.geometry.to_numpy()
    codes = lots["code"].to_numpy(dtype=object)
    with store.engine.connect() as conn:
        # versions first: figures read after them are at least as new, so no key is kept with older values
        versions = figure_versions.read(conn)
        reach = lot_keys.reaching(conn, shapely.bounds(geoms))
        keys = lot_keys.keys(shapely.to_wkb(geoms).tolist(), reach, versions, at,
                             zone_figures.paces_at(store, versions, at), procedure_settings())
        memory = [(store.url, c, k) for c, k in zip(codes.tolist(), keys)]
        with _LOCK:
            rows = [_KEPT.get(m) for m in memory]
            for m, row in zip(memory, rows):
                if row is not None:
                    _KEPT.move_to_end(m)
        todo = [i for i, row in enumerate(rows) if row is None]
        in_db = bool(todo) and at == zone_parts.kept_date(store, conn)
        kept = lot_rows.read(conn, codes[todo].tolist()) if in_db else {}
    for i in todo:
        found = kept.get(codes[i])
        if found is not None and found[0] == keys[i]:
            rows[i] = found[1]
    _remember([memory[i] for i in todo if rows[i] is not None], [rows[i] for i in todo if rows[i] is not None])
    todo = [i for i in todo if rows[i] is None]
    if todo:
        zones = [z for z in zone_figures.reach(store, {z for i in todo for z in reach[i]}, at, versions)
                 if len(z.blocks_m) or len(z.open_m)]
        worked = _work_out(codes[todo], geoms[todo], zones)
        with _LOCK:
            _COUNTS["worked_out"] += len(todo)
        _remember([memory[i] for i in todo], worked)
        for i, row in zip(todo, worked):
            rows[i] = row
        if in_db:
            lot_rows.write(store.engine, {codes[i]: (keys[i], row) for i, row in zip(todo, worked) if lot_rows.keepable(row)})
    return rows


def _remember(memory: list[tuple], rows: list[lot_rows.Row]) -> None:
    with _LOCK:
        for m, row in zip(memory, rows):
            _KEPT[m] = row
        while len(_KEPT) > CACHE_LOTS:
            _KEPT.popitem(last=False)


def _work_out(codes: np.ndarray, geoms: np.ndarray, zones: list[ZoneReach]) -> list[lot_rows.Row]:
    """(ready, missing codes as a tuple, reason, ready_expected) of each lot, from the ``zones`` around them."""
    empty = np.empty(0, dtype=object)
    blocks_m, open_m, open_codes = (np.concatenate(parts) if parts else empty for parts in (
        [z.blocks_m for z in zones], [z.open_m for z in zones], [z.open_codes for z in zones]))
    expected: dict = {}
    for z in zones:
        expected.update(z.expected)
    out = readiness_metric(codes, pd.RangeIndex(len(codes)), to_metric(geoms), blocks_m, open_m, open_codes, expected)
    return list(zip(out["ready"].tolist(), map(tuple, out["missing"]), out["reason"].tolist(), out["ready_expected"].tolist()))
