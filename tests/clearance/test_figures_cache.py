"""The clearance figures of a data version are computed once, however many requests ask at the same time."""
from __future__ import annotations

import threading

from mapapp import clock
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor
from mapapp.queries import clearance as queries


def test_simultaneous_requests_share_one_computation_and_a_write_starts_a_new_one(loaded_store, monkeypatch):
    computed = []
    real = queries._compute

    def counting(store, at):
        computed.append(at)
        return real(store, at)

    monkeypatch.setattr(queries, "_compute", counting)
    at = clock.today()
    barrier = threading.Barrier(6)
    results = []

    def ask():
        barrier.wait()
        results.append(queries.figures_at(loaded_store, at))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 6 and all(r is results[0] for r in results)
    assert computed == [at]
    apply_features(loaded_store, "lots", [], Actor("planner1", "web"), retire_codes=["L2"])
    after = queries.figures_at(loaded_store, at)
    assert computed == [at, at] and after is not results[0]
    assert "L2" not in set(after.lots["code"])
