"""Zones' clearance figure rows, read from the database when they still hold, worked out otherwise.

A zone's row of :class:`mapapp.clearance.view.ZoneFigures` is checked by the zone's fingerprint
(:mod:`mapapp.queries.figure_prints`); the paces are checked by their digest, and need working out
only when a dated step was recorded since the row was kept (its ``steps`` version differs). Rows at the dataset's
date (what the map shows by default: ``as_of``, else today) are kept in ``zone_figure_rows`` (:mod:`mapapp.store.figure_rows`),
so a new app process answers ``/api/layers/zones`` from them instead of working out every zone;
other dates are kept in process memory only (:mod:`mapapp.queries.zone_figures`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import select

from mapapp import clock
from mapapp.queries import zone_figures
from mapapp.queries.clearance import procedure_settings
from mapapp.queries.figure_prints import fingerprints, paces_digest
from mapapp.store import figure_rows, figure_versions, schema
from mapapp.store.backend import Store


def zone_rows(store: Store, zones: Iterable[str], at: dt.date) -> pd.DataFrame:
    """The zone rows of :class:`mapapp.clearance.view.Figures.zones` for ``zones`` (any order; zones without a
    zone feature have none) at ``at``, in zone code order: ``zone_code``, ``area_ha``, ``cleared_ha``,
    ``cleared_share`` (0–1), ``largest_cleared_block_ha``, ``blocks``, ``parcels_open``,
    ``expected_handover`` (a date or None); equal to the whole province's computation."""
    return pd.DataFrame(row_tuples(store, zones, at), columns=list(figure_rows.COLUMNS))


def row_tuples(store: Store, zones: Iterable[str], at: dt.date,
               versions: figure_versions.Versions | None = None) -> list[tuple]:
    """The rows :func:`zone_rows` makes its frame of, as tuples in :data:`mapapp.store.figure_rows.COLUMNS` order, each
    as kept or worked out (a zone's row is the same whichever other zones are asked with it); under ``versions``
    (read now when None: a caller keeping rows by the versions it read passes them, so none is kept under a newer key)."""
    wanted = sorted({z for z in zones if isinstance(z, str)})
    with store.engine.connect() as conn:
        versions = versions or figure_versions.read(conn)
        dataset = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "as_of")).scalar()
        stored = figure_rows.read(conn, at, wanted) if wanted else {}
    kept = at == (dt.date.fromisoformat(dataset) if dataset else clock.today())
    settings = procedure_settings()
    prints = fingerprints(versions, wanted, at, settings)
    rows = {z: k.row for z, k in stored.items() if k.fingerprint == prints[z] and k.steps == versions.steps}
    # kept before a dated step was recorded: still right while the paces' medians are the same
    older = [z for z, k in stored.items() if k.fingerprint == prints[z] and k.steps != versions.steps]
    if older:
        digest = paces_digest(zone_figures.paces_at(store, versions, at))
        held = [z for z in older if stored[z].paces == digest]
        rows.update((z, stored[z].row) for z in held)
        if kept:
            figure_rows.restamp(store.engine, at, held, versions.steps)
    missing = [z for z in wanted if z not in rows]
    if missing:
        computed = zone_figures.zone_rows(store, missing, at, versions)
        fresh = {row[0]: tuple(row) for row in computed.itertuples(index=False, name=None)}
        rows.update(fresh)
        if kept and fresh:
            digest = paces_digest(zone_figures.paces_at(store, versions, at))
            figure_rows.write(store.engine, at, {z: figure_rows.Kept(prints[z], versions.steps, digest, row)
                                                 for z, row in fresh.items() if figure_rows.keepable(row)})
    return [rows[z] for z in wanted if z in rows]
