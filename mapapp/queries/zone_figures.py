"""Clearance figures zone by zone, kept per zone version, and what lot readiness reads of them.

A write changes the figures of the zones it touches only (:mod:`mapapp.store.figure_versions`), so
the figures are kept per (zone, the zone's version, the epoch, the date, the all-zones paces):
after an edit one zone is worked out again, not the province. They are kept in process memory and,
at the dataset's date, in the database for every process (:mod:`mapapp.queries.zone_parts`): a zone
is worked out only when neither holds it. Lot readiness is worked out from
the figures of the zones around the lots asked, which :func:`reach` gives
(:mod:`mapapp.queries.lot_readiness`). Every figure equals the whole province's computation
(:func:`mapapp.clearance.view.clearance_figures`); tests hold them equal after random edits.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.analysis.clearance import parcel_status_at
from mapapp.analysis.measure import to_metric
from mapapp.clearance.blocks import TOLERANCE_M
from mapapp.clearance.forecast import overall_paces
from mapapp.clearance.view import ZoneFigures, zone_figures
from mapapp.kept import Kept
from mapapp.queries import zone_parts
from mapapp.queries.figure_prints import code_digest, medians
from mapapp.queries.zone_parts import split
from mapapp.store import figure_rows, figure_versions, zone_reads
from mapapp.store.backend import Store

#: Zones' figures kept (a province has a few thousand zones; a few dates are asked).
CACHE_ZONES = 20_000

_PARTS: OrderedDict[tuple, ZoneFigures] = OrderedDict()
_PACES: Kept[dict] = Kept(16)
# what requests derive from a kept zone (its row as a tuple, its blocks and open parcels in metres), by the same key
_EXTRA: dict[tuple, dict] = {}
_LOCK = threading.Lock()
# one thread works figures out at a time: requests arriving meanwhile wait and find them kept
_COMPUTING = threading.Lock()


def _settings():
    from mapapp.queries.clearance import procedure_settings

    return procedure_settings()


def paces_at(store: Store, versions: figure_versions.Versions, at: dt.date) -> dict:
    """The all-zones paces at ``at`` (:func:`mapapp.clearance.forecast.overall_paces`) under ``versions``, kept per
    (epoch, steps version, date) in process memory and, the last worked out, in the database for every process."""
    made_by = {"epoch": versions.epoch, "steps": versions.steps, "at": at.isoformat(), "code": code_digest()}

    def make() -> dict:
        with store.engine.connect() as conn:
            paces = figure_rows.read_paces(conn, made_by)
            steps = zone_reads.dated_steps(conn) if paces is None else None
        if paces is None:
            paces = overall_paces(steps, at)
            figure_rows.write_paces(store.engine, made_by, paces)
        return paces

    # one thread reads every dated step (or the kept paces); the requests arriving meanwhile wait for it
    return _PACES.get((store.url, versions.epoch, versions.steps, at), make)


def _key(store: Store, versions: figure_versions.Versions, zone: str, at: dt.date, paces: dict, settings) -> tuple:
    return (store.url, versions.epoch, zone, versions.zone(zone), at, medians(paces), settings)


def _compute(store: Store, zones: list[str], at: dt.date, paces: dict, settings) -> dict[str, ZoneFigures]:
    with store.engine.connect() as conn:
        data = zone_reads.read_zones(conn, zones)
    parcels = data["parcels"]
    if len(data["events"]) and len(parcels):
        parcels = parcel_status_at(parcels, data["events"], at)
    kind = dict(zip(data["clearance_parcels"]["parcel_code"], data["clearance_parcels"]["land_kind"]))
    parcels = parcels.assign(land_kind=[kind.get(c) or "agricultural" for c in parcels["code"]])
    figures = zone_figures(data["zones"], parcels, data["steps"], data["complaints"], at, settings, overall=paces)
    return split(figures, zones)


def by_zone(store: Store, zones: Iterable[str], at: dt.date) -> dict[str, ZoneFigures]:
    """Each zone's figures at ``at`` (zones without parcels nor a zone row: empty frames); worked out
    only for the zones whose version changed since they were kept."""
    return {z: part for z, (_, part) in _by_zone(store, zones, at).items()}


def kept_by_zone(store: Store, zones: Iterable[str], at: dt.date) -> dict[str, ZoneFigures]:
    """The figures at ``at`` of those of ``zones`` kept under their current version, in this process's memory or
    in the database (:mod:`mapapp.queries.zone_parts`); the others are left out, not worked out."""
    return {z: part for z, (_, part) in _by_zone(store, zones, at, compute=False).items()}


def _by_zone(store: Store, zones: Iterable[str], at: dt.date, versions: figure_versions.Versions | None = None,
             compute: bool = True) -> dict[str, tuple[tuple, ZoneFigures]]:
    wanted = sorted({z for z in zones if isinstance(z, str)})
    if versions is None:
        with store.engine.connect() as conn:
            versions = figure_versions.read(conn)
    paces, settings = paces_at(store, versions, at), _settings()
    keys = {z: _key(store, versions, z, at, paces, settings) for z in wanted}
    out = _kept(keys)
    if len(out) < len(wanted):
        # another process (or this one, before its memory let them go) may have worked them out: one query
        found = zone_parts.stored(store, versions, [z for z in wanted if z not in out], at, paces, settings)
        _remember(keys, found)
        out.update(found)
    computed = {}
    if not compute:
        return {z: (keys[z], out[z]) for z in wanted if z in out}
    if len(out) < len(wanted):
        with _COMPUTING:
            out.update(_kept(keys))
            missing = [z for z in wanted if z not in out]
            if missing:
                computed = _compute(store, missing, at, paces, settings)
                _remember(keys, computed)
                out.update(computed)
    if computed:
        # after the lock: the requests waiting for it find them in memory meanwhile
        zone_parts.keep(store, versions, computed, at, paces, settings)
    return {z: (keys[z], out[z]) for z in wanted}


def _remember(keys: dict[str, tuple], parts: dict[str, ZoneFigures]) -> None:
    with _LOCK:
        for z, part in parts.items():
            _PARTS[keys[z]] = part
        while len(_PARTS) > CACHE_ZONES:
            _EXTRA.pop(_PARTS.popitem(last=False)[0], None)


def forget() -> None:
    """Let every zone's figures kept in this process's memory go (those kept in the database stay): what a
    process working out every zone in turn (:mod:`mapapp.queries.figure_warm`) does between batches."""
    with _LOCK:
        _PARTS.clear()
        _EXTRA.clear()


def _kept(keys: dict[str, tuple]) -> dict[str, ZoneFigures]:
    with _LOCK:
        out = {}
        for z, key in keys.items():
            if key in _PARTS:
                _PARTS.move_to_end(key)
                out[z] = _PARTS[key]
        return out


def joined(parts: dict[str, ZoneFigures], names: tuple[str, ...] = ("parcels", "zones", "blocks", "current")) -> ZoneFigures:
    """Zones' figures as one (zones in code order; the frames' own columns when there is no row); only the
    frames ``names`` are joined, the others left empty."""
    chosen = [parts[z] for z in sorted(parts)]

    def concat(name: str):
        if name not in names:
            return pd.DataFrame()
        frames = [getattr(p, name) for p in chosen if len(getattr(p, name))]
        if not frames:
            return getattr(chosen[0], name).iloc[:0] if chosen else pd.DataFrame()
        out = pd.concat(frames, ignore_index=True)
        return gpd.GeoDataFrame(out, geometry="geometry", crs=frames[0].crs) if isinstance(frames[0], gpd.GeoDataFrame) else out

    return ZoneFigures(concat("parcels"), concat("zones"), concat("blocks"), concat("current"))


def zone_rows(store: Store, zones: Iterable[str], at: dt.date, versions: figure_versions.Versions | None = None) -> pd.DataFrame:
    """The zone rows of :class:`Figures.zones` for ``zones`` (any order), built from each zone's kept row; worked
    out under ``versions`` (as stored now when None)."""
    rows, columns = [], None
    for z, (key, part) in sorted(_by_zone(store, zones, at, versions).items()):
        if len(part.zones):
            columns = list(part.zones.columns)
            rows += _extra(key, "rows", lambda: list(part.zones.itertuples(index=False, name=None)))
    return pd.DataFrame(rows, columns=columns) if columns else pd.DataFrame(columns=["zone_code"])


def _extra(key: tuple, name: str, make):
    """``name`` derived from the zone kept under ``key``, made once."""
    with _LOCK:
        found = _EXTRA.get(key, {}).get(name)
    if found is None:
        found = make()
        with _LOCK:
            if key in _PARTS:
                _EXTRA.setdefault(key, {})[name] = found
    return found


def _metric(part: ZoneFigures) -> tuple:
    """A zone's blocks buffered by the tolerance, open parcels (metres), their codes and every parcel's forecast."""
    open_parcels = part.current[part.current["status"] != "cleared"] if len(part.current) else part.current
    none = np.empty(0, dtype=object)
    return (shapely.buffer(to_metric(part.blocks.geometry.to_numpy()), TOLERANCE_M) if len(part.blocks) else none,
            to_metric(open_parcels.geometry.to_numpy()) if len(open_parcels) else none,
            open_parcels["code"].to_numpy(dtype=object) if len(open_parcels) else none,
            dict(zip(part.parcels["code"], part.parcels["expected_handover"])) if len(part.parcels) else {})


@dataclass(frozen=True)
class ZoneReach:
    """What lot readiness needs of one zone's kept figures (:func:`reach`): ``blocks_m`` (its cleared blocks in
    EPSG:5897, buffered by the 1 m tolerance), ``open_m``/``open_codes`` (its uncleared parcels, metres) and
    ``expected`` (forecast handover per parcel code)."""

    zone: str
    blocks_m: np.ndarray
    open_m: np.ndarray
    open_codes: np.ndarray
    expected: dict


def reach(store: Store, zones: Iterable[str], at: dt.date, versions: figure_versions.Versions | None = None) -> list[ZoneReach]:
    """The kept figures of ``zones`` at ``at`` as lot readiness reads them, in zone code order (worked out
    for the zones whose version changed since they were kept, as :func:`by_zone`), under ``versions`` (as
    stored now when None)."""
    out = []
    for z, (key, part) in sorted(_by_zone(store, zones, at, versions).items()):
        out.append(ZoneReach(z, *_extra(key, "metric", lambda part=part: _metric(part))))
    return out
