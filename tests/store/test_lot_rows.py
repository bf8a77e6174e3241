"""Lots' readiness kept in the database (mapapp.store.lot_rows): read back exactly by code, replaced, never waiting."""
from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import func, select

from mapapp.store import lot_rows, schema
from tests.conftest import writer_holding_the_lock

READY = (True, (), None, None)
WAITING = (False, ("KCN-A-T01", "KCN-A-T02"), "uncleared_parcels", dt.date(2027, 8, 3))
UNKNOWN = (False, ("KCN-A-T03",), "uncleared_parcels", None)


def test_rows_read_back_exactly_by_code(backend_store):
    rows = {"L1": ("k1", READY), "L2": ("k2", WAITING), "L3": ("k3", UNKNOWN)}
    assert lot_rows.write(backend_store.engine, rows)
    with backend_store.engine.connect() as conn:
        found = lot_rows.read(conn, ["L1", "L2", "L3", "L4"])
    assert found == rows
    for key, row in found.values():
        assert [type(v) for v in row] == [bool, tuple, type(row[2]), type(row[3])]


def test_a_write_replaces_its_lots_rows_only(backend_store):
    lot_rows.write(backend_store.engine, {"L1": ("k1", READY), "L2": ("k2", WAITING)})
    lot_rows.write(backend_store.engine, {"L1": ("k1b", UNKNOWN)})
    with backend_store.engine.connect() as conn:
        assert lot_rows.read(conn, ["L1", "L2"]) == {"L1": ("k1b", UNKNOWN), "L2": ("k2", WAITING)}
        assert conn.execute(select(func.count()).select_from(schema.lot_readiness)).scalar_one() == 2


def test_many_rows_are_written_and_read_in_chunks(backend_store):
    rows = {f"L{i:05d}": (f"k{i}", WAITING if i % 3 else READY) for i in range(lot_rows.WRITE_CHUNK + lot_rows.CHUNK + 7)}
    assert lot_rows.write(backend_store.engine, rows)
    with backend_store.engine.connect() as conn:
        assert lot_rows.read(conn, rows) == rows


def test_only_rows_that_read_back_as_they_are_are_keepable():
    assert all(lot_rows.keepable(r) for r in (READY, WAITING, UNKNOWN))
    assert not lot_rows.keepable((1, (), None, None))  # not a bool
    assert not lot_rows.keepable((False, ["T1"], "uncleared_parcels", None))  # a list, not a tuple
    assert not lot_rows.keepable((False, ("T1",), "uncleared_parcels", dt.datetime(2027, 8, 3)))  # not a date


def test_a_busy_database_leaves_the_rows_unkept_without_waiting(store):
    with writer_holding_the_lock(store):
        start = time.perf_counter()
        assert lot_rows.write(store.engine, {"L1": ("k1", READY)}) is False
        assert time.perf_counter() - start < 2  # the writers' timeout is 15 s
    with store.engine.connect() as conn:
        assert lot_rows.read(conn, ["L1"]) == {}
