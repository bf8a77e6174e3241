"""Zone figure rows kept in the database (mapapp.store.figure_rows): read back exactly, one date kept, never waiting."""
from __future__ import annotations

import datetime as dt
import time

import numpy as np
from sqlalchemy import func, select

from mapapp.store import figure_rows, schema
from tests.conftest import writer_holding_the_lock

AT = dt.date(2025, 6, 30)
ROWS = {
    "KCN-A": ("KCN-A", 120.00001381286251, 0.1 + 0.2, 2.5e-300, 1.0, 3, 31, dt.date(2026, 1, 15)),
    "KCN-B": ("KCN-B", 24.7, 24.7, 1.0, 24.7, 1, 0, None),
}


def kept(rows: dict, steps: str | None = "s1", paces: str = "p1") -> dict[str, figure_rows.Kept]:
    return {z: figure_rows.Kept(f"f-{z}", steps, paces, row) for z, row in rows.items()}


def test_rows_read_back_exactly_as_written(backend_store):
    assert figure_rows.write(backend_store.engine, AT, kept(ROWS))
    with backend_store.engine.connect() as conn:
        found = figure_rows.read(conn, AT, ["KCN-A", "KCN-B", "KCN-C"])
    assert found == kept(ROWS)
    assert [type(v) for v in found["KCN-A"].row] == [str, float, float, float, float, int, int, dt.date]
    with backend_store.engine.connect() as conn:
        assert figure_rows.read(conn, AT + dt.timedelta(days=1), ["KCN-A"]) == {}
        assert set(figure_rows.read(conn, AT, ["KCN-B"])) == {"KCN-B"}


def test_a_write_replaces_its_zones_rows_and_drops_other_dates(backend_store):
    figure_rows.write(backend_store.engine, AT, kept(ROWS))
    changed = {"KCN-A": ("KCN-A", 1.0, 0.5, 0.5, 0.5, 1, 2, None)}
    figure_rows.write(backend_store.engine, AT, kept(changed, steps=None, paces="p2"))
    with backend_store.engine.connect() as conn:
        found = figure_rows.read(conn, AT, ["KCN-A", "KCN-B"])
    assert found == kept(changed, steps=None, paces="p2") | kept({"KCN-B": ROWS["KCN-B"]})
    later = AT + dt.timedelta(days=1)
    figure_rows.write(backend_store.engine, later, kept({"KCN-B": ROWS["KCN-B"]}))
    with backend_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.zone_figure_rows)).scalar_one() == 1
        assert set(figure_rows.read(conn, later, ["KCN-A", "KCN-B"])) == {"KCN-B"}


def test_restamp_marks_rows_with_a_new_steps_version(backend_store):
    figure_rows.write(backend_store.engine, AT, kept(ROWS))
    assert figure_rows.restamp(backend_store.engine, AT, ["KCN-A"], "s2")
    with backend_store.engine.connect() as conn:
        found = figure_rows.read(conn, AT, ["KCN-A", "KCN-B"])
    assert (found["KCN-A"].steps, found["KCN-B"].steps) == ("s2", "s1")


def test_only_rows_that_read_back_the_same_are_keepable():
    assert all(figure_rows.keepable(row) for row in ROWS.values())
    base = ROWS["KCN-A"]
    assert not figure_rows.keepable(base[:5] + (np.int64(3),) + base[6:])
    assert not figure_rows.keepable(base[:7] + (dt.datetime(2026, 1, 15),))
    assert not figure_rows.keepable(base[:7] + ("2026-01-15",))
    assert not figure_rows.keepable(base[:5] + (True,) + base[6:])


def test_a_busy_database_leaves_the_rows_unkept_without_waiting(store):
    with writer_holding_the_lock(store):
        start = time.perf_counter()
        assert figure_rows.write(store.engine, AT, kept(ROWS)) is False
        assert time.perf_counter() - start < 2  # the writers' timeout is 15 s
    with store.engine.connect() as conn:
        assert figure_rows.read(conn, AT, list(ROWS)) == {}
        # the pooled connection waits for writers as long as before
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 15_000
    assert figure_rows.write(store.engine, AT, kept(ROWS))


def test_paces_read_back_exactly_under_what_they_were_made_by(backend_store):
    made_by = {"epoch": None, "steps": "s1", "at": AT.isoformat(), "code": "c1"}
    paces = {"notice": (0.1 + 0.2, 12), "inventory": (None, 2), "approval": (41.5, 30)}
    with backend_store.engine.connect() as conn:
        assert figure_rows.read_paces(conn, made_by) is None
    assert figure_rows.write_paces(backend_store.engine, made_by, paces)
    with backend_store.engine.connect() as conn:
        assert figure_rows.read_paces(conn, made_by) == paces
        assert figure_rows.read_paces(conn, made_by | {"steps": "s2"}) is None
        assert figure_rows.read_paces(conn, made_by | {"at": "2025-07-01"}) is None
