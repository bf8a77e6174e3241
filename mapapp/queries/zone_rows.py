"""Zones' clearance figure rows, read from the database when they still hold, worked out otherwise.

A zone's row of :class:`mapapp.clearance.view.ZoneFigures` depends on the zone's figure version and
the epoch (:mod:`mapapp.store.figure_versions`), the date, the procedure settings, the all-zones
paces' medians and the code that works it out. The first four and a digest of the code make a
row's fingerprint; the paces are checked by their digest, and need working out only when a dated
step was recorded since the row was kept (its ``steps`` version differs). Rows at the dataset's
date (what the map shows by default: ``as_of``, else today) are kept in ``zone_figure_rows`` (:mod:`mapapp.store.figure_rows`),
so a new app process answers ``/api/layers/zones`` from them instead of working out every zone;
other dates are kept in process memory only (:mod:`mapapp.queries.zone_figures`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from mapapp import clock
from mapapp.queries import zone_figures
from mapapp.queries.clearance import procedure_settings
from mapapp.store import figure_rows, figure_versions, schema
from mapapp.store.backend import Store

PACKAGE = Path(__file__).resolve().parents[1]
#: The code a zone's row is worked out by (:mod:`mapapp.queries.zone_figures` and what it imports, but the
#: store's connection handling and the settings' reading, whose values the fingerprint holds itself).
FIGURE_CODE = ("clearance/*.py", "analysis/__init__.py", "analysis/clearance.py", "analysis/measure.py", "geom.py",
               "kept.py", "layers.py", "text.py", "values.py", "store/schema.py", "store/records.py", "store/spatial.py", "store/zone_reads.py",
               "store/clearance_records.py", "store/figure_versions.py", "store/figure_rows.py",
               "queries/zone_figures.py", "queries/zone_rows.py")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of :data:`FIGURE_CODE`'s source: rows kept by another version of that code are worked out again."""
    digest = hashlib.sha256()
    for path in sorted({p for pattern in FIGURE_CODE for p in PACKAGE.glob(pattern)}):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _text(value) -> str:
    """A settings value as the same text in every process (a set's order follows the process's hash seed)."""
    if isinstance(value, (set, frozenset)):
        return repr(sorted(_text(v) for v in value))
    return repr(value)


def fingerprint(versions: figure_versions.Versions, zone: str, at: dt.date, settings) -> str:
    """What a zone's row at ``at`` was worked out from, but the paces: epoch, the zone's version, the date,
    the procedure ``settings`` (a dataclass) and :func:`code_digest`, as one hex digest."""
    return fingerprints(versions, [zone], at, settings)[zone]


def fingerprints(versions: figure_versions.Versions, zones: Iterable[str], at: dt.date, settings) -> dict[str, str]:
    """:func:`fingerprint` of each of ``zones``, what they share worked out once."""
    fields = sorted((f.name, _text(getattr(settings, f.name))) for f in dataclasses.fields(settings))
    shared = hashlib.sha256(repr((versions.epoch, at.isoformat(), fields, code_digest())).encode())
    out = {}
    for zone in zones:
        digest = shared.copy()
        digest.update(repr((zone, versions.zone(zone))).encode())
        out[zone] = digest.hexdigest()
    return out


def paces_digest(paces: dict) -> str:
    """A hex digest of the all-zones paces' medians (:func:`mapapp.queries.zone_figures.medians`)."""
    return hashlib.sha256(repr(zone_figures.medians(paces)).encode()).hexdigest()


def zone_rows(store: Store, zones: Iterable[str], at: dt.date) -> pd.DataFrame:
    """The zone rows of :class:`mapapp.clearance.view.Figures.zones` for ``zones`` (any order; zones without a
    zone feature have none) at ``at``, in zone code order: ``zone_code``, ``area_ha``, ``cleared_ha``,
    ``cleared_share`` (0–1), ``largest_cleared_block_ha``, ``blocks``, ``parcels_open``,
    ``expected_handover`` (a date or None); equal to the whole province's computation."""
    wanted = sorted({z for z in zones if isinstance(z, str)})
    with store.engine.connect() as conn:
        versions = figure_versions.read(conn)
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
    ordered = [rows[z] for z in wanted if z in rows]
    return pd.DataFrame(ordered, columns=list(figure_rows.COLUMNS))
