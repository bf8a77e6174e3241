"""Which zones' clearance figures a change of features touches, without the figure modules themselves.

``mapapp import`` asks this after every import: an import of lots (whose features enter no figure)
then loads none of :mod:`mapapp.queries.figure_warm`'s modules (pandas code worth a few tenths of a
second at start-up).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from mapapp.store import schema
from mapapp.store.backend import Store


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
