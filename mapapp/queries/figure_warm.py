"""Every zone's clearance figures worked out ahead of the readers (``mapapp figures warm``).

After a bulk load nothing is kept: the first readers would each wait for the zones they show to
be worked out (minutes for the whole province). Warming works every zone out in batches at the
date the map shows by default and keeps, in the database for every app process, each zone's whole
figures (:mod:`mapapp.queries.zone_parts`) and its zone row (:mod:`mapapp.queries.zone_rows`); then
every lot's readiness (:mod:`mapapp.queries.lot_readiness`), in batches of lots near one another (by
their place along a Hilbert curve), so a view or an OGC page decodes no zone's figures at all.
What is already kept under the same fingerprint or key is read, not worked out again, so a second warm
costs little; the process's memory is let go between batches (a province does not fit in it).
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import select

from mapapp.queries import lot_readiness, zone_figures, zone_parts, zone_rows
from mapapp.store import reads, schema
from mapapp.store.backend import Store

#: Zones worked out together: one read of their parcels and records, one vectorised computation
#: (at most :data:`mapapp.store.zone_reads.WHOLE_ABOVE`, so each batch reads only its own zones).
BATCH = 200
#: Lots whose readiness is worked out together (near one another: the figures of a few zones decoded).
LOT_BATCH = 2000


@dataclass(frozen=True)
class Warmed:
    """What :func:`warm` did: ``zones`` and ``lots`` (how many), ``at`` (the date), ``seconds`` (wall time)."""

    zones: int
    at: dt.date
    seconds: float
    lots: int = 0


def zone_codes(store: Store) -> list[str]:
    """Every zone code a figure is asked for: the active zones' and the active parcels' ``zone_code``, sorted."""
    zones, parcels = schema.layer_tables["zones"], schema.layer_tables["clearance"]
    with store.engine.connect() as conn:
        codes = set(conn.execute(select(zones.c.code).where(zones.c.retired_at.is_(None))).scalars())
        codes |= set(conn.execute(select(parcels.c.zone_code).where(parcels.c.retired_at.is_(None)).distinct()).scalars())
    return sorted(c for c in codes if isinstance(c, str))


def warm(store: Store, at: dt.date | None = None, batch: int = BATCH,
         progress: Callable[[int, int], None] | None = None, zones: Iterable[str] | None = None,
         lot_progress: Callable[[int, int], None] | None = None, lot_batch: int = LOT_BATCH) -> Warmed:
    """Work out (or find kept) every zone's figures and zone row at ``at`` (default: the dataset's date, the one
    kept in the database; another date is worked out but kept nowhere) and keep them for every app process.
    Only ``zones`` (codes) when given, e.g. those an import touched; else, at the kept date, every active lot's
    readiness too (:func:`warm_lots`). ``progress(done, total)`` is called after each batch of ``batch`` zones,
    ``lot_progress(done, total)`` after each batch of ``lot_batch`` lots."""
    started = time.perf_counter()
    kept_at = zone_parts.kept_date(store)
    at = at or kept_at
    codes = zone_codes(store) if zones is None else sorted({z for z in zones if isinstance(z, str)})
    for i in range(0, len(codes), batch):
        chunk = codes[i:i + batch]
        zone_figures.by_zone(store, chunk, at)
        zone_rows.zone_rows(store, chunk, at)
        zone_figures.forget()
        if progress is not None:
            progress(min(i + batch, len(codes)), len(codes))
    lots = warm_lots(store, at, lot_batch, lot_progress) if zones is None and at == kept_at else 0
    return Warmed(len(codes), at, time.perf_counter() - started, lots)


def keep_zones(store: Store, zones: Iterable[str]) -> dt.date:
    """Work out the figures and zone rows of ``zones`` (codes) at the date kept in the database and keep them, in
    this process's memory and in the database for every app process, as their first reader would; the date.
    What a write that touched a few zones does before it answers (:mod:`mapapp.changes.figures_after`)."""
    at = zone_parts.kept_date(store)
    codes = sorted({z for z in zones if isinstance(z, str)})
    if codes:
        zone_figures.by_zone(store, codes, at)
        zone_rows.zone_rows(store, codes, at)
    return at


def warm_lots(store: Store, at: dt.date, batch: int = LOT_BATCH,
              progress: Callable[[int, int], None] | None = None) -> int:
    """Work out (or find kept) every active lot's readiness at ``at``, ``batch`` lots near one another at a time,
    and keep it for every app process; how many lots. ``progress(done, total)`` after each batch."""
    table = schema.layer_tables["lots"]
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.code, table.c.minx, table.c.miny, table.c.maxx, table.c.maxy)
                            .where(table.c.retired_at.is_(None))).all()
    if not rows:
        return 0
    codes = np.array([r[0] for r in rows], dtype=object)
    boxes = np.array([r[1:] for r in rows], dtype=float)
    # along a Hilbert curve, consecutive lots lie near one another: a batch decodes the figures of few zones
    order = np.argsort(gpd.GeoSeries(shapely.box(*boxes.T)).hilbert_distance().to_numpy(), kind="stable")
    for i in range(0, len(order), batch):
        chunk = codes[order[i:i + batch]].tolist()
        lot_readiness.readiness_rows(store, _lots(store, chunk), at)
        zone_figures.forget()
        if progress is not None:
            progress(min(i + batch, len(codes)), len(codes))
    return len(codes)


def _lots(store: Store, codes: list[str]) -> gpd.GeoDataFrame:
    """The lots ``codes`` (``code`` and WGS84 geometry)."""
    table = schema.layer_tables["lots"]
    frames = []
    with store.engine.connect() as conn:
        for i in range(0, len(codes), reads.CHUNK):
            frames.append(reads.geo_frame_of(conn.execute(
                select(table.c.code, table.c.geom).where(table.c.code.in_(codes[i:i + reads.CHUNK])))))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)
