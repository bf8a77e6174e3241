"""The parts of the zones layer's answer that change only when zones, lots or conflicts do, as column texts.

:mod:`mapapp.queries.zone_view` assembles ``/api/layers/zones`` from them. Each part is made by the
generic path's own code over every zone (so each column is typed by its values over every zone, as
the generic frame types it) and written by the GeoJSON writer's column code
(:func:`mapapp.geojson.column_texts`), then kept in process memory under what it was made from, as the
database says it: the data versions of the layers it reads (:mod:`mapapp.store.versions`; renewed by
every write of a layer, in its transaction) and, for the conflict counts, their version
(:mod:`mapapp.store.conflict_counts`) and the counts themselves.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from mapapp.geojson import column_texts, feature_head, oriented
from mapapp.kept import Kept
from mapapp.layers import LAYERS
from mapapp.privacy import redact
from mapapp.queries.clearance import unit_names
from mapapp.queries.layers import NEVER_SHOWN, round_measures, with_summary
from mapapp.store import conflict_counts, summaries, versions
from mapapp.store.backend import Store

#: The layers whose writes may change the stored conflicts (a zone's counts are read again after any of them).
CONFLICT_LAYERS = tuple(name for name, spec in LAYERS.items() if spec.affects_conflicts)
#: The layers whose data versions the parts are kept by.
READ_LAYERS = tuple(dict.fromkeys(("zones", "lots", *CONFLICT_LAYERS)))


@dataclass(frozen=True)
class Stored:
    """The zones as stored, as a reader sees them (measures rounded, ``area_ha``; what the viewer may see), in
    code order: ``codes``, each feature's ``heads`` (:func:`mapapp.geojson.feature_head`), ``geometries``
    (GeoJSON text, rings oriented), ``extras`` (each zone's extra attributes; empty when none is shown),
    ``columns`` (name -> each zone's value as JSON text, in the frame's order) and ``retired`` (each zone's
    ``retired`` flag as JSON text, with retired zones asked for; else None)."""

    codes: pd.DataFrame
    heads: list[str]
    geometries: list[str | None]
    extras: list
    columns: dict[str, list[str]]
    retired: list[str] | None


_STORED: Kept[Stored] = Kept(4)
_TOTALS: Kept[pd.DataFrame] = Kept(2)
_COUNTS: Kept[tuple[list[tuple], str]] = Kept(2)
_SUMMARY: Kept[dict[str, list[str]]] = Kept(4)
_UNITS: Kept[dict[str, list[str]]] = Kept(8)
# the counts last read per database, with their digest
_LAST_COUNTS: dict[str, tuple[list[tuple], str]] = {}
_LAST_LOCK = threading.Lock()


def layer_versions(meta: Mapping[str, str]) -> dict[str, str]:
    """Each of :data:`READ_LAYERS`' data version from the ``meta`` rows (the whole data's where a layer has none yet,
    as :func:`mapapp.store.versions.layer_version` reads it)."""
    return {name: meta.get(versions.key(name)) or meta.get("data_version") or "0" for name in READ_LAYERS}


def counts_key(meta: Mapping[str, str]) -> tuple:
    """What the zones' conflict counts are kept by: their version (:mod:`mapapp.store.conflict_counts`), or, in a
    database no write has given one yet, the data versions of every layer conflicts are found in."""
    kept = conflict_counts.version(meta)
    return (kept,) if kept else tuple(layer_versions(meta)[name] for name in CONFLICT_LAYERS)


def meta_keys() -> list[str]:
    """The ``meta`` keys :func:`layer_versions` and :func:`counts_key` read."""
    return [*(versions.key(name) for name in READ_LAYERS), "data_version", conflict_counts.KEY]


def stored(store: Store, layers: Mapping[str, str], staff: bool, include_retired: bool) -> Stored:
    """The zones' :class:`Stored` part, kept per zones' data version (``layers``: :func:`layer_versions`)."""
    key = (store.url, layers["zones"], staff, include_retired)
    return _STORED.get(key, lambda: _stored(store, staff, include_retired))


def _stored(store: Store, staff: bool, include_retired: bool) -> Stored:
    frame = store.read_layer("zones", include_retired=include_retired, skip=NEVER_SHOWN)
    if frame.empty:
        return Stored(frame[["code"]], [], [], [], {}, None)
    frame = round_measures(frame)
    retired = column_texts(pd.DataFrame({"retired": frame["retired_at"].notna()}))["retired"] if include_retired else None
    frame = redact(frame.drop(columns=["retired_at"]), "zones", staff)
    geometry = frame.geometry.name
    return Stored(
        codes=pd.DataFrame({"code": frame["code"]}),
        heads=list(map(feature_head, frame["code"].tolist())),
        geometries=shapely.to_geojson(oriented(frame.geometry.values), indent=None).tolist(),
        extras=frame["props"].tolist() if "props" in frame.columns else [],
        columns=column_texts(frame, geometry),
        retired=retired,
    )


def summary(store: Store, meta: Mapping[str, str], part: Stored, include_retired: bool) -> tuple[tuple, dict[str, list[str]]]:
    """(the key it is kept by, each zone's lot totals and conflict counts as column texts in ``part``'s zone order:
    :func:`mapapp.queries.layers.with_summary`); kept per zones' and lots' data versions (from the ``meta`` rows
    read) and the counts as read (read again only when :func:`counts_key` changed)."""
    layers = layer_versions(meta)
    totals = _TOTALS.get((store.url, layers["lots"]), lambda: _read(store, summaries.read_totals))
    counts, digest = _COUNTS.get((store.url, *counts_key(meta)), lambda: _counted(store))
    key = (store.url, layers["zones"], include_retired, layers["lots"], digest)
    return key, _SUMMARY.get(key, lambda: column_texts(
        with_summary(part.codes, totals, summaries.counts_frame(counts)).drop(columns=["code"])))


def _read(store: Store, read):
    with store.engine.connect() as conn:
        return read(conn)


def _counted(store: Store) -> tuple[list[tuple], str]:
    rows = _read(store, summaries.count_rows)
    with _LAST_LOCK:
        last = _LAST_COUNTS.get(store.url)
    if last is not None and last[0] == rows:  # the same counts (most writes change none): no digest to work out
        return last
    counted = rows, hashlib.sha256(repr(rows).encode()).hexdigest()
    with _LAST_LOCK:
        _LAST_COUNTS[store.url] = counted
    return counted


def units(store: Store, layers: Mapping[str, str], part: Stored, at: dt.date, include_retired: bool) -> dict[str, list[str]]:
    """Each zone's administrative units as of ``at`` (``units_as_of``, ``units_as_of_en``) as column texts, in
    ``part``'s zone order; kept per zones' data version (units are written only by a load, which renews every
    layer's) and date."""
    def make() -> dict[str, list[str]]:
        zones = part.codes["code"].to_numpy(dtype=object).tolist()
        names, english = unit_names(store, zones, at)
        return column_texts(pd.DataFrame({"units_as_of": [names[z] for z in zones],
                                          "units_as_of_en": [english[z] for z in zones]}))

    return _UNITS.get((store.url, layers["zones"], include_retired, at), make)


def codes_of(part: Stored) -> np.ndarray:
    """``part``'s zone codes as an object array."""
    return part.codes["code"].to_numpy(dtype=object)


def forget() -> None:
    """Let every part kept in this process's memory go (what a new process starts with)."""
    for kept in (_STORED, _TOTALS, _COUNTS, _SUMMARY, _UNITS):
        kept.clear()
    with _LAST_LOCK:
        _LAST_COUNTS.clear()
