"""The readiness of the lots a few zones can reach, worked out and kept ahead of their readers.

A write that changes a zone's figures gives it a new version, hence every lot the zone can reach a new
readiness key (:mod:`mapapp.queries.lot_keys`): the first view of those lots would work their readiness
out while its reader waits. :func:`keep` finds them from stored boxes (a lot reaches a zone when its box
grown by :data:`mapapp.queries.lot_keys.AROUND_DEG` meets the zone's own box or one of its parcels', as
:func:`mapapp.queries.lot_keys.reaching` decides) and hands them to the readers' own
:func:`mapapp.queries.lot_readiness.readiness_rows`, which keys them as any reader does, works out those
whose key is not kept, and keeps them in this process's memory and in the database for every process:
what a view then finds is byte for byte what it would have worked out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import geopandas as gpd
import numpy as np
import shapely

from mapapp.analysis.measure import STORAGE_CRS
from mapapp.queries import lot_keys, lot_readiness
from mapapp.store import reach_sql
from mapapp.store.backend import Store

#: More lots than this within reach (about ten zones' worth at 500k) are left to their readers.
MAX_LOTS = 3000
#: More lots than this near the zones' boxes (read with their geometry, most out of reach when a zone's box is
#: mostly empty) are not read at all: their readiness is left to the readers.
MAX_NEAR = 4 * MAX_LOTS


def reached(store: Store, zones: Collection[str], most: int | None = None) -> gpd.GeoDataFrame | None:
    """The active lots (``code``, WGS84 geometry, in code order) that one of ``zones`` (codes) can reach: those
    whose readiness key names the zone's fingerprint; None when more than ``most`` lots lie near the zones'
    boxes (a bound on what is read)."""
    codes = sorted({z for z in zones if isinstance(z, str)})
    with store.engine.connect() as conn:
        boxes = reach_sql.zone_boxes(conn, codes) if codes else []
        if not boxes:
            return _frame([], [])
        around = np.array([-lot_keys.AROUND_DEG, -lot_keys.AROUND_DEG, lot_keys.AROUND_DEG, lot_keys.AROUND_DEG])
        stored = np.array([b[1:] for b in boxes], dtype=float)
        # a lot's grown box meets a zone's box just when the zone's box grown as much meets the lot's box
        rows = reach_sql.lots_near(conn, lot_keys.searched(stored + around), most)
    if rows is None:
        return None
    if not rows:
        return _frame([], [])
    found = dict(sorted((r[0], r[1:]) for r in rows))  # a lot met by boxes of two statements comes twice
    lot_codes = list(found)
    lot_boxes = np.array([v[1:] for v in found.values()], dtype=float)
    # the stored boxes decide, touching included, as lot_keys.reaching does for the lot's own key
    hit, _ = shapely.STRtree(shapely.box(*stored.T)).query(shapely.box(*(lot_boxes + around).T))
    mine = np.unique(hit).tolist()
    return _frame([lot_codes[i] for i in mine], [found[lot_codes[i]][0] for i in mine])


def keep(store: Store, zones: Collection[str], at: dt.date, limit: int = MAX_LOTS) -> int:
    """Work out (or find kept) at ``at`` the readiness of every lot ``zones`` (codes) can reach and keep it, as
    their first reader would (kept in the database only at the date kept there); how many lots, 0 when none
    or more than ``limit`` (left to their readers)."""
    lots = reached(store, zones, max(MAX_NEAR, 4 * limit))
    if lots is None or lots.empty or len(lots) > limit:
        return 0
    lot_readiness.readiness_rows(store, lots, at)
    return len(lots)


def _frame(codes: list[str], wkbs: list[bytes]) -> gpd.GeoDataFrame:
    geoms = shapely.from_wkb(np.array([bytes(w) for w in wkbs], dtype=object)) if wkbs else np.empty(0, dtype=object)
    return gpd.GeoDataFrame({"code": np.array(codes, dtype=object)}, geometry=geoms, crs=STORAGE_CRS)
