"""The full recompute reads and judges outside the write lock and never stores a stale finding
(mapapp.store.conflict_recompute), on SQLite and PostgreSQL."""
from __future__ import annotations

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.store import conflict_recompute, schema
from tests import builders
from tests.conftest import writer_holding_the_lock
from tests.store.test_conflict_sync import assert_as_full_run, stored

WEB = Actor("planner1", "api")


def test_the_layers_are_judged_while_another_writer_holds_the_lock(backend_store):
    with writer_holding_the_lock(backend_store):
        judged = conflict_recompute.judge(backend_store)
    assert conflict_recompute.store_judged(backend_store, judged) == len(judged.found) == backend_store.conflict_count()
    assert_as_full_run(backend_store)


def test_a_write_between_judging_and_storing_is_judged_too(backend_store):
    judged = conflict_recompute.judge(backend_store)
    assert stored(backend_store, "lot_overlap") == []
    apply_features(backend_store, "lots", [Edit("L9", {"zone_code": "Z1", "land_use": "factory", "status": "leased"},
                                                geometry=builders.mbox(150, 0, 250, 100))], WEB)
    assert "lot_overlap" not in set(judged.found["type"])  # judged before the lot came
    conflict_recompute.store_judged(backend_store, judged)
    assert stored(backend_store, "lot_overlap") == [["L1", "L9"], ["L2", "L9"]]
    assert_as_full_run(backend_store)


def test_a_recompute_in_a_callers_transaction_sees_its_writes(backend_store):
    apply_features(backend_store, "lots", [Edit("L2", {}, geometry=builders.mbox(150, 0, 350, 100))], WEB)
    with backend_store.writing() as conn:
        conn.execute(schema.conflicts.delete())
        assert backend_store.recompute_conflicts(conn) == len(conflict_recompute.find_all(backend_store, conn))
    assert stored(backend_store, "lot_overlap") == [["L1", "L2"]]
    assert_as_full_run(backend_store)
