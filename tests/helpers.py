"""Small helpers several test modules share: counting garbage-collection passes, recording a step somewhere."""
from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from mapapp.changes.clearance import record_step
from mapapp.changes.model import Actor
from mapapp.clearance.procedure import MAIN_STEPS
from mapapp.errors import ChangeRefused
from mapapp.store.backend import Store


@contextmanager
def gc_passes() -> Iterator[list[int]]:
    """The generations of the cyclic garbage collector's passes started inside the block (one collection first,
    so none is owed from before)."""
    passes: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        yield passes
    finally:
        gc.callbacks.remove(count)


def record_a_step(store: Store, at: dt.date, actor: Actor) -> str | None:
    """Record, dated ``at``, the next main step of the first parcel (in stored order) that accepts one; the zone
    of that parcel, or None when no parcel accepts a step."""
    steps = store.clearance_records()["steps"]
    for code, zone in store.read_layer("clearance", fields_only=True)[["code", "zone_code"]].itertuples(index=False):
        have = set(steps.loc[steps["parcel_code"] == code, "step"])
        step = next((s.value for s in MAIN_STEPS if s.value not in have), None)
        try:
            record_step(store, code, step, at.isoformat(), actor, doc_type="Quyết định", doc_number="1/QĐ")
        except ChangeRefused:
            continue
        return zone
    return None


def search_hits(store: Store, layer: str, folded: str, limit: int, staff: bool = False) -> list[tuple]:
    """:func:`mapapp.store.search_index.hits` of one layer, on a connection of its own."""
    from mapapp.store.search_index import hits

    with store.engine.connect() as conn:
        return hits(conn, layer, folded, limit, staff)


def search_codes(store: Store, layer: str, folded: str, limit: int, staff: bool = False) -> list[str]:
    """The codes :func:`search_hits` finds, in their order."""
    return [hit[0] for hit in search_hits(store, layer, folded, limit, staff)]
