"""The conflict counts' version (mapapp.store.conflict_counts): kept by writes that leave every zone's conflicts by
type as they were, new after any that may change them; both backends."""
from __future__ import annotations

from sqlalchemy import delete

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.store import conflict_counts, schema, summaries

WEB = Actor("planner1", "web")


def version(store) -> str | None:
    return store.get_meta(conflict_counts.KEY)


def counts(store) -> list[tuple]:
    with store.engine.connect() as conn:
        return sorted(summaries.count_rows(conn))


def test_the_version_is_new_exactly_when_the_counts_may_change(backend_store):
    store = backend_store
    apply_features(store, "clearance", [Edit("P2", {"status": "negotiating"})], WEB, confirm=True)
    first, before = version(store), counts(store)
    assert first is not None
    # the parcel's conflicts rewritten as they were: the version stays
    apply_features(store, "clearance", [Edit("P2", {"status": "compensated"})], WEB, confirm=True)
    assert version(store) == first and counts(store) == before
    # moved onto a leased lot while not cleared: a conflict more, a new version
    lot = store.read_layer("lots", filters={"code": "L1"}, fields_only=True).geometry.iloc[0]
    apply_features(store, "clearance", [Edit("P2", {}, geometry=lot.centroid.buffer(1e-5, 1))], WEB, confirm=True)
    assert version(store) != first and counts(store) != before
    counts_after = counts(store)
    moved = version(store)
    store.recompute_conflicts()  # a full recompute that finds what is stored writes nothing
    assert version(store) == moved
    with store.writing() as conn:  # a conflict lost: the full recompute writes it again
        conn.execute(delete(schema.conflicts).where(schema.conflicts.c.id == store.read_conflicts()["id"].iloc[0]))
    store.recompute_conflicts()
    assert version(store) != moved and counts(store) == counts_after
