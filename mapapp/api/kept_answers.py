"""Whole-layer GeoJSON answers of small layers kept per data version: a repeated request is a lookup.

``/api/layers/zones`` (a few thousand zones) joins each zone's lot totals, conflict counts and
clearance figures, then writes GeoJSON: tens of milliseconds at province scale, for an answer
that changes only when the data does. Every write gives the data a new ``data_version``
(:meth:`mapapp.store.backend.Store._set_meta`), so the finished text is kept under that version,
the date shown (``?at=``, else the dataset's ``as_of``, else today), whether the viewer is staff,
``?include`` and the procedure settings. The version is read from the database on each request
(one query), so every app process serves what the database holds. A new version's answer is made from
parts kept by what each was made from (:mod:`mapapp.queries.zone_view`): after an edit, little is made again.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from mapapp import clock
from mapapp.kept import Kept
from mapapp.store import versions
from mapapp.store.backend import Store

#: Answers kept (dates × staff or not × include; the oldest go first).
SIZE = 8

_ANSWERS: Kept[str] = Kept(SIZE)


def key_of(store: Store, layer: str, at: dt.date | None, staff: bool, include: str) -> tuple[tuple, dt.date]:
    """(the key of a whole-layer answer, no bbox, no filter; the date it shows: ``at``, else the dataset's
    ``as_of``, else today). One query reads the data version and ``as_of``."""
    from mapapp.queries.clearance import procedure_settings

    with store.engine.connect() as conn:
        _, meta = versions.layer_version(conn, layer, also=("data_version", "as_of"))
    if at is None:
        at = dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else clock.today()
    return (store.url, meta.get("data_version"), layer, at, staff, include, procedure_settings()), at


def answer(key: tuple, make: Callable[[], str]) -> str:
    """The answer kept under ``key`` (from :func:`key_of`), else ``make()``'s, kept; made by one thread at a
    time (:class:`mapapp.kept.Kept`)."""
    return _ANSWERS.get(key, make)
