"""Every zone's clearance figures worked out ahead of the readers (``mapapp figures warm``).

After a bulk load nothing is kept: the first readers would each wait for the zones they show to
be worked out (minutes for the whole province). Warming works every zone out in batches at the
date the map shows by default and keeps, in the database for every app process, each zone's whole
figures (:mod:`mapapp.queries.zone_parts`) and its zone row (:mod:`mapapp.queries.zone_rows`).
A zone already kept under the same fingerprint is read, not worked out again, so a second warm
costs little; the process's memory is let go between batches (a province does not fit in it).
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select

from mapapp.queries import zone_figures, zone_parts, zone_rows
from mapapp.store import schema
from mapapp.store.backend import Store

#: Zones worked out together: one read of their parcels and records, one vectorised computation
#: (at most :data:`mapapp.store.zone_reads.WHOLE_ABOVE`, so each batch reads only its own zones).
BATCH = 200


@dataclass(frozen=True)
class Warmed:
    """What :func:`warm` did: ``zones`` (how many), ``at`` (the date), ``seconds`` (wall time)."""

    zones: int
    at: dt.date
    seconds: float


def zones_of(store: Store, layer: str, codes: Iterable[str]) -> list[str]:
    """The zones whose figures features ``codes`` of ``layer`` enter (retired ones included): the zones
    themselves, or the parcels' ``zone_code``; none for the other layers (their features enter no figure)."""
    codes = list(codes)
    if layer == "zones":
        return sorted(set(codes))
    if layer != "clearance" or not codes:
        return []
    table = schema.layer_tables["clearance"]
    found: set[str] = set()
    with store.engine.connect() as conn:
        for i in range(0, len(codes), 900):
            found |= set(conn.execute(select(table.c.zone_code).where(table.c.code.in_(codes[i:i + 900]))
                                      .distinct()).scalars())
    return sorted(z for z in found if isinstance(z, str))


def zone_codes(store: Store) -> list[str]:
    """Every zone code a figure is asked for: the active zones' and the active parcels' ``zone_code``, sorted."""
    zones, parcels = schema.layer_tables["zones"], schema.layer_tables["clearance"]
    with store.engine.connect() as conn:
        codes = set(conn.execute(select(zones.c.code).where(zones.c.retired_at.is_(None))).scalars())
        codes |= set(conn.execute(select(parcels.c.zone_code).where(parcels.c.retired_at.is_(None)).distinct()).scalars())
    return sorted(c for c in codes if isinstance(c, str))


def warm(store: Store, at: dt.date | None = None, batch: int = BATCH,
         progress: Callable[[int, int], None] | None = None, zones: Iterable[str] | None = None) -> Warmed:
    """Work out (or find kept) every zone's figures and zone row at ``at`` (default: the dataset's date, the one
    kept in the database; another date is worked out but kept nowhere) and keep them for every app process.
    Only ``zones`` (codes) when given, e.g. those an import touched. ``progress(done, total)`` is called after
    each batch of ``batch`` zones."""
    started = time.perf_counter()
    at = at or zone_parts.kept_date(store)
    codes = zone_codes(store) if zones is None else sorted({z for z in zones if isinstance(z, str)})
    for i in range(0, len(codes), batch):
        chunk = codes[i:i + batch]
        zone_figures.by_zone(store, chunk, at)
        zone_rows.zone_rows(store, chunk, at)
        zone_figures.forget()
        if progress is not None:
            progress(min(i + batch, len(codes)), len(codes))
    return Warmed(len(codes), at, time.perf_counter() - started)
