"""Which zones can reach each lot, and the key its kept readiness is checked by, without decoding any zone's figures.

A lot's readiness (:func:`mapapp.clearance.blocks.readiness_metric`) depends on its geometry and on the
cleared blocks (buffered by the 1 m tolerance) and uncleared parcels that meet it. A zone's blocks are
made of its cleared parcels and of its own land (:func:`mapapp.clearance.blocks.cleared_pieces`), its
uncleared parcels are its parcels: so every zone whose blocks or open parcels can reach a lot has an
active parcel (by ``zone_code``) or its own land whose stored box meets the lot's box grown by
:data:`AROUND_DEG` (about 11 m, beyond the tolerance). :func:`reaching`
finds those zones from the stored boxes through the spatial index (no geometry read); what it finds
depends only on the lot and the stored rows, not on which other lots are asked with it.

A lot's :func:`keys` is a digest of its WKB, the date, the all-zones paces, the settings, the code
that works readiness out (:data:`READINESS_CODE` and the zones' figure code) and the fingerprints
(:mod:`mapapp.queries.figure_prints`) of the zones that can reach it: an edit of the lot, a write that
changes the figures of one of those zones (a new zone version), a parcel moved into reach (its zone's
version changes) or a write that declares nothing (a new epoch) all give the lot another key.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from sqlalchemy import Connection

from mapapp.queries.figure_prints import PACKAGE, code_digest, fingerprints, paces_digest
from mapapp.store import figure_versions, lot_sql

#: The code lot readiness is worked out and kept by, beyond the zones' figure code (:data:`FIGURE_CODE`).
READINESS_CODE = ("queries/lot_readiness.py", "queries/lot_keys.py", "store/lot_rows.py")
#: A lot's readiness is looked for this far around it (degrees, about 11 m; beyond the 1 m tolerance).
AROUND_DEG = 1e-4
#: Grid cell (degrees, about 1 km) by which lots far apart are searched for apart (an OGC page spans zones).
CELL_DEG = 0.01
#: Hex digits of a key (128 bits).
KEY_LENGTH = 32


@lru_cache(maxsize=1)
def readiness_digest() -> str:
    """A digest of :func:`mapapp.queries.figure_prints.code_digest` and :data:`READINESS_CODE`'s source."""
    digest = hashlib.sha256(code_digest().encode())
    for name in READINESS_CODE:
        digest.update(name.encode() + b"\0" + (PACKAGE / name).read_bytes() + b"\0")
    return digest.hexdigest()


def searched(grown: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Few boxes covering every box of ``grown`` (rows ``minx, miny, maxx, maxy``): their common box, or, when
    that would be mostly empty (lots of several zones far apart), one box per :data:`CELL_DEG` cell of the
    boxes' corners holding the boxes whose corner lies in it."""
    total = (*grown[:, :2].min(axis=0), *grown[:, 2:].max(axis=0))
    cells = np.floor(grown[:, :2] / CELL_DEG).astype(np.int64)
    cells -= cells.min(axis=0)
    rows, columns = cells.max(axis=0) + 1
    # each cell as one number, in the (x, y) order of the cells: a 1-d unique, much quicker than by rows
    ids, which = np.unique(cells[:, 0] * columns + cells[:, 1], return_inverse=True)
    if 2 * len(ids) >= rows * columns:
        return [tuple(float(v) for v in total)]
    order = np.argsort(which, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(which[order]) != 0])
    low = np.minimum.reduceat(grown[order, :2], starts)
    high = np.maximum.reduceat(grown[order, 2:], starts)
    return [tuple(float(v) for v in (*lo, *hi)) for lo, hi in zip(low, high)]


def reaching(conn: Connection, boxes: np.ndarray) -> list[tuple[str, ...]]:
    """For each lot box (rows ``minx, miny, maxx, maxy``, WGS84), the codes (sorted) of the zones that can reach
    the lot: active zones whose stored box, and zone codes of active parcels whose stored box, meets the lot's
    box grown by :data:`AROUND_DEG`. Two queries through the spatial index, whatever the number of lots
    (:func:`mapapp.store.lot_sql.boxes_near`: plain SQL, no statement to build)."""
    if not len(boxes):
        return []
    grown = np.asarray(boxes, dtype=float) + np.array([-AROUND_DEG, -AROUND_DEG, AROUND_DEG, AROUND_DEG])
    rows = lot_sql.boxes_near(conn, searched(grown))
    names = [r[0] for r in rows]
    keep = [i for i, n in enumerate(names) if isinstance(n, str) and n]
    if not keep:
        return [()] * len(grown)
    # codes numbered through a dict, their few distinct values sorted once: no text compared per parcel
    zones = sorted({names[i] for i in keep})
    number = {z: i for i, z in enumerate(zones)}
    zone_of = np.fromiter((number[names[i]] for i in keep), dtype=np.int64, count=len(keep))
    stored = np.array([rows[i][1:] for i in keep], dtype=float)
    # the index gives candidates by (rounded) boxes: the stored boxes themselves decide, touching included
    lot_i, box_i = shapely.STRtree(shapely.box(*stored.T)).query(shapely.box(*grown.T))
    pairs = np.unique(lot_i.astype(np.int64) * len(zones) + zone_of[box_i])
    lots_of, zone_i = np.divmod(pairs, len(zones))
    bounds = np.searchsorted(lots_of, np.arange(len(grown) + 1)).tolist()
    found = [zones[z] for z in zone_i.tolist()]
    return [tuple(found[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def keys(wkbs: Sequence[bytes], reach: Sequence[tuple[str, ...]], versions: figure_versions.Versions, at: dt.date,
         paces: dict, settings) -> list[str]:
    """The key of each lot's readiness at ``at``: a :data:`KEY_LENGTH`-digit hex digest of its WKB (``wkbs``) and of
    what the zones ``reach`` gives it (:func:`reaching`) were worked out from under ``versions``, the all-zones
    ``paces`` and the procedure ``settings``."""
    zones = sorted({z for r in reach for z in r})
    prints = fingerprints(versions, ["", *zones], at, settings)
    # "" is no zone's code: its fingerprint is what every zone's shares (epoch, date, settings, figure code)
    shared = hashlib.sha256(repr((readiness_digest(), prints[""], paces_digest(paces))).encode())
    parts = {}  # lots with the same zones around share their digest's start
    out = []
    for wkb, around in zip(wkbs, reach):
        part = parts.get(around)
        if part is None:
            part = parts[around] = shared.copy()
            part.update(repr(tuple(prints[z] for z in around)).encode() + b"\0")
        digest = part.copy()
        digest.update(wkb)
        out.append(digest.hexdigest()[:KEY_LENGTH])
    return out
