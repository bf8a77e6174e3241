"""Each zone's whole clearance figures kept in the database (table ``zone_figure_parts``, migration 0008).

A zone's :class:`mapapp.clearance.view.ZoneFigures` (its parcels' figures, its zone row, its cleared
blocks and its parcels as they stand at the date) take ~100 ms to work out; a zoom-14 view, a tile or
an OGC page needs those of the zones it shows. So they are kept here at the dataset's date, one row
per zone, each frame as Arrow IPC bytes (:mod:`mapapp.store.frame_bytes`), with the zone's
``fingerprint`` and the ``paces`` digest they were worked out under (:mod:`mapapp.queries.figure_prints`).
Every app process reads the same rows, so none disagrees and none works a kept zone out again.

The rows are a cache of what the stored records give, not data: a reader writes them in a short
transaction of its own that never waits for a writer (:func:`mapapp.store.figure_rows.briefly`: when
the database is busy they are simply not kept this time), and they change no data version.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select

from mapapp.store import schema
from mapapp.store.figure_rows import keep_dated

#: The frames of a zone's figures, in :class:`mapapp.clearance.view.ZoneFigures` order (each a column of bytes).
FRAMES = ("parcels", "zones", "blocks", "current")
#: Fingerprints asked per query (a bound parameter each).
CHUNK = 500
#: Rows written per statement: a zone's frames are a few kB to a few hundred kB.
WRITE_CHUNK = 50


@dataclass(frozen=True)
class Part:
    """A zone's stored figures: ``fingerprint`` and ``paces`` (digests, as written) and ``frames``
    (frame name in :data:`FRAMES` -> its bytes, :func:`mapapp.store.frame_bytes.to_bytes`)."""

    fingerprint: str
    paces: str
    frames: dict[str, bytes]


def read(conn: Connection, at: dt.date, prints: Mapping[str, str], paces: str) -> dict[str, dict[str, bytes]]:
    """The frames (name -> bytes) of each zone of ``prints`` (zone code -> fingerprint) kept at ``at`` under that
    fingerprint and the paces digest ``paces``, by zone code; zones kept under anything else are left out."""
    table = schema.zone_figure_parts
    wanted = sorted(prints.values())
    zone_of = {f: z for z, f in prints.items()}
    out = {}
    for i in range(0, len(wanted), CHUNK):
        # a fingerprint names its zone, so matching it (and the paces) is all the check a row needs
        query = select(table.c.fingerprint, *(table.c[f] for f in FRAMES)).where(
            table.c.at == at.isoformat(), table.c.paces == paces, table.c.fingerprint.in_(wanted[i:i + CHUNK]))
        for fingerprint, *frames in conn.execute(query):
            out[zone_of[fingerprint]] = {f: bytes(b) for f, b in zip(FRAMES, frames)}
    return out


def write(engine: Engine, at: dt.date, parts: Mapping[str, Part]) -> bool:
    """Keep ``parts`` (by zone code) at ``at``, replacing those zones' rows, and drop the rows of other dates
    (only the dataset's date is kept). False, and nothing written, when the database was busy."""
    table = schema.zone_figure_parts
    values = [dict(zone_code=z, at=at.isoformat(), fingerprint=p.fingerprint, paces=p.paces, **p.frames)
              for z, p in sorted(parts.items())]
    return keep_dated(engine, table, at, values, ("fingerprint", "paces", *FRAMES), WRITE_CHUNK)
