"""Zones' whole clearance figures read from the database when they still hold, and kept there once worked out.

The process-memory cache of :mod:`mapapp.queries.zone_figures` serves one process; these rows
(:mod:`mapapp.store.figure_parts`) serve every process on the database: a new process, a second one,
or a view at a place nobody looked at since the process started finds a zone's figures here, each
checked by the zone's fingerprint and the paces' digest (:mod:`mapapp.queries.figure_prints`).
Only the dataset's date (``as_of``, else today: what the map shows by default) is kept; other dates
stay in process memory.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

from sqlalchemy import Connection, select

from mapapp import clock
from mapapp.clearance.view import ZoneFigures
from mapapp.queries.figure_prints import fingerprints, paces_digest
from mapapp.store import figure_parts, figure_versions, frame_bytes, schema
from mapapp.store.backend import Store


def kept_date(store: Store, conn: Connection | None = None) -> dt.date:
    """The date zones' figures are kept at in the database: the dataset's own (``as_of``), else today (read
    through ``conn`` when given, else a connection of its own)."""
    if conn is None:
        value = store.get_meta("as_of")
    else:
        value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "as_of")).scalar()
    return dt.date.fromisoformat(value) if value else clock.today()


def stored(store: Store, versions: figure_versions.Versions, zones: Collection[str], at: dt.date, paces: dict,
           settings) -> dict[str, ZoneFigures]:
    """The figures of ``zones`` at ``at`` kept in the database under ``versions``, the all-zones ``paces`` and the
    procedure ``settings`` (what they would be worked out under now), by zone code; the others are left out."""
    if not zones or at != kept_date(store):
        return {}
    prints = fingerprints(versions, zones, at, settings)
    with store.engine.connect() as conn:
        found = figure_parts.read(conn, at, prints, paces_digest(paces))
    if not found:
        return {}
    # each frame of every zone found read in one conversion, then cut by zone as a computation's are (split)
    zones_found = sorted(found)
    joined = ZoneFigures(*(frame_bytes.from_many([found[z][f] for z in zones_found]) for f in figure_parts.FRAMES))
    return split(joined, zones_found) if len(zones_found) > 1 else {zones_found[0]: joined}


def split(figures: ZoneFigures, zones: Iterable[str]) -> dict[str, ZoneFigures]:
    """``figures`` of several zones as each zone's own."""
    groups = {name: getattr(figures, name).groupby("zone_code").indices
              for name in ("parcels", "zones", "blocks", "current")}

    def rows(name: str, zone: str):
        frame = getattr(figures, name)
        return frame.iloc[groups[name].get(zone, [])].reset_index(drop=True)

    return {z: ZoneFigures(rows("parcels", z), rows("zones", z), rows("blocks", z), rows("current", z)) for z in zones}


def keep(store: Store, versions: figure_versions.Versions, figures: Mapping[str, ZoneFigures], at: dt.date, paces: dict,
         settings) -> bool:
    """Keep ``figures`` (zone code -> its figures at ``at``, worked out under ``versions``, ``paces`` and ``settings``)
    for every process, when ``at`` is the date kept (:func:`kept_date`). False when they were not kept (another
    date, or the database was busy: a cache, the answer does not wait for it)."""
    if not figures or at != kept_date(store):
        return False
    prints, digest = fingerprints(versions, figures, at, settings), paces_digest(paces)
    parts = {z: figure_parts.Part(prints[z], digest, {f: frame_bytes.to_bytes(getattr(part, f)) for f in figure_parts.FRAMES})
             for z, part in figures.items()}
    return figure_parts.write(store.engine, at, parts)
