"""The whole zones layer as GeoJSON (``/api/layers/zones``), rewritten after an edit only where the edit changed it.

What ``collection_json(layer_view(store, "zones", at=…, staff=…, include_retired=…), extra={"layer": "zones"})``
writes, byte for byte (``tests/queries/test_zone_view.py`` compares them, before and after edits, on both
backends). That generic path builds one frame of every zone (stored row, lot totals and conflict counts,
clearance figures, administrative units) and writes it column by column, each column typed by its values over
every zone; after any write it did it all again (about 200 ms at province scale), although an edit changes the
figures of a few zones at most (:mod:`mapapp.store.figure_versions`).

Here the parts that change only when zones, lots or conflicts do are kept as column texts over every zone
(:mod:`mapapp.queries.zone_view_parts`); each zone's clearance figure row is kept under the key its kept row is
checked by (the epoch, the zone's figure version, the date, the settings, the all-zones paces' medians), so the
rows of the zones an edit touched are the only ones read or worked out again (:mod:`mapapp.queries.zone_rows`);
the figure columns are written over every zone's row as the generic path writes them; and each zone's finished
feature text is kept with the texts it was made of, so only a zone whose texts changed is written again. Every
key is what the database holds (read on each request): several app processes on one database agree.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
from sqlalchemy import select

from mapapp.gc_pause import no_gc_passes
from mapapp.geojson import collection_text, column_texts, feature_texts, properties_texts
from mapapp.queries import zone_figures, zone_rows
from mapapp.queries import zone_view_parts as parts
from mapapp.queries.clearance import ZONE_FIGURES, procedure_settings, taken_by_code
from mapapp.queries.figure_prints import medians
from mapapp.store import figure_rows, figure_versions, schema
from mapapp.store.backend import Store

#: Sets of zones' figure rows kept (one per epoch, date, settings and paces; each holds a row per zone).
CACHE_SHARED = 8
#: Finished answers' feature texts kept (dates × staff or not × retired or not).
CACHE_ANSWERS = 8

_ROWS: OrderedDict[tuple, dict[str, tuple]] = OrderedDict()
_FEATURES: OrderedDict[tuple, tuple[list[tuple], list[str]]] = OrderedDict()
_LOCK = threading.Lock()


def answer(store: Store, at: dt.date, staff: bool, include_retired: bool) -> str:
    """The zones layer at ``at`` (a date, already resolved) for a viewer (``staff`` or not), retired zones too with
    ``include_retired``: a GeoJSON FeatureCollection's text with ``"layer": "zones"``."""
    # no cyclic collection meanwhile: the rows' frame and texts it builds would set off full passes over
    # everything the process keeps (the zones' figures), each longer than the whole answer
    with no_gc_passes():
        return _answer(store, at, staff, include_retired)


def _answer(store: Store, at: dt.date, staff: bool, include_retired: bool) -> str:
    with store.engine.connect() as conn:
        # versions first: whatever is read after them is at least as new, so nothing is kept under an older key
        figures = figure_versions.read(conn)
        meta = dict(conn.execute(select(schema.meta.c.key, schema.meta.c.value)
                                 .where(schema.meta.c.key.in_(parts.meta_keys()))).all())
    layers = parts.layer_versions(meta)
    stored = parts.stored(store, layers, staff, include_retired)
    if not stored.heads:
        return collection_text([], {"layer": "zones"})
    columns = dict(stored.columns)
    summary_key, summary = parts.summary(store, meta, stored, include_retired)
    columns.update(summary)
    figure_columns = figure_texts(store, parts.codes_of(stored), at, figures)
    columns.update(figure_columns)
    columns.update(parts.units(store, layers, stored, at, include_retired))
    if stored.retired is not None:
        columns["retired"] = stored.retired
    # what every column but the figures' was made from: a zone's kept feature holds while its figure texts do
    base = (summary_key, staff, at)
    return collection_text(_features(base, stored, columns, figure_columns), {"layer": "zones"})


def _features(base: tuple, stored: parts.Stored, columns: dict[str, list[str]],
              figure_columns: dict[str, list[str]]) -> list[str]:
    """Each zone's feature text: the one kept for ``base`` when its figure texts are those it was made with."""
    made_of = list(zip(*figure_columns.values()))
    with _LOCK:
        before = _FEATURES.get(base)
    if before is not None and len(before[0]) == len(made_of):
        features = list(before[1])
        redo = [i for i, (old, new) in enumerate(zip(before[0], made_of)) if old != new]
    else:
        features, redo = [""] * len(made_of), list(range(len(made_of)))
    if redo:
        props = properties_texts({name: [texts[i] for i in redo] for name, texts in columns.items()},
                                 [stored.extras[i] for i in redo] if stored.extras else (), len(redo))
        written = feature_texts([stored.heads[i] for i in redo], [stored.geometries[i] for i in redo], props)
        for i, text in zip(redo, written):
            features[i] = text
    with _LOCK:
        _FEATURES[base] = (made_of, features)
        _FEATURES.move_to_end(base)
        while len(_FEATURES) > CACHE_ANSWERS:
            _FEATURES.popitem(last=False)
    return features


def figure_texts(store: Store, codes: np.ndarray, at: dt.date, figures: figure_versions.Versions) -> dict[str, list[str]]:
    """The zones' (``codes``, in order) clearance figure columns (:data:`mapapp.queries.clearance.ZONE_FIGURES`) at
    ``at`` as column texts, written as the generic path writes them, under ``figures`` (the versions as read).

    Each zone's row is kept in memory under the key its kept row is checked by, and read or worked out only when
    missing (:func:`mapapp.queries.zone_rows.row_tuples`). The generic path types each column of the rows' frame
    by its values over every zone, then writes each zone's value (object columns: value by value); so a zone's
    texts are kept with its row and the frame's column types they were written under, and written again only
    when either changed."""
    settings = procedure_settings()
    shared = (store.url, figures.epoch, at, settings, medians(zone_figures.paces_at(store, figures, at)))
    wanted = sorted({z for z in codes.tolist() if isinstance(z, str)})
    with _LOCK:
        # per shared key, each zone's (figure version, row, column types, texts): one hash of the shared key
        kept = _ROWS.setdefault(shared, {})
        _ROWS.move_to_end(shared)
        while len(_ROWS) > CACHE_SHARED:
            _ROWS.popitem(last=False)
        held = {z: kept.get(z) for z in wanted}
    versions = {z: figures.zone(z) for z in wanted}
    missing = [z for z in wanted if held[z] is None or held[z][0] != versions[z]]
    if missing:
        found = {row[0]: row for row in zone_rows.row_tuples(store, missing, at, figures)}
        held.update((z, (versions[z], found.get(z), None, None)) for z in missing)  # no row: a zone without figures
    # the rows' frame as the generic path makes it (mapapp.queries.zone_rows.zone_rows): its column types
    table = pd.DataFrame([held[z][1] for z in wanted if held[z][1] is not None], columns=list(figure_rows.COLUMNS))
    types = repr(table.dtypes.tolist())  # text: compared per zone, where comparing pandas dtypes is slow
    stale = [z for z in wanted if held[z][2] != types]
    if stale:
        # each value taken and written as the generic path does (mapapp.queries.clearance.with_figures, then the
        # writer): object columns, written value by value, so the stale zones' texts are those of the whole frame
        subset = np.asarray(stale, dtype=object)
        written = column_texts(pd.DataFrame(taken_by_code(table.set_index("zone_code"), subset, ZONE_FIGURES)))
        held.update((z, (held[z][0], held[z][1], types, texts)) for z, texts in zip(stale, zip(*written.values())))
    if missing or stale:
        with _LOCK:
            kept.update((z, held[z]) for z in {*missing, *stale})
    return dict(zip(ZONE_FIGURES, (list(c) for c in zip(*(held[z][3] for z in codes.tolist())))))


def forget() -> None:
    """Let everything kept in this process's memory go (what a new process starts with)."""
    with _LOCK:
        _ROWS.clear()
        _FEATURES.clear()
    parts.forget()
