"""Zones' whole figures kept in the database (mapapp.store.figure_parts): read by fingerprint and paces, one date, never waiting."""
from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import func, select

from mapapp.store import figure_parts, schema
from tests.conftest import writer_holding_the_lock

AT = dt.date(2025, 6, 30)


def part(zone: str, fingerprint: str, paces: str = "p1") -> figure_parts.Part:
    return figure_parts.Part(fingerprint, paces, {f: f"{zone}-{f}".encode() + bytes(range(256)) for f in figure_parts.FRAMES})


def test_parts_read_back_under_their_fingerprint_and_paces(backend_store):
    parts = {"KCN-A": part("KCN-A", "fa"), "KCN-B": part("KCN-B", "fb")}
    assert figure_parts.write(backend_store.engine, AT, parts)
    with backend_store.engine.connect() as conn:
        found = figure_parts.read(conn, AT, {"KCN-A": "fa", "KCN-B": "fb", "KCN-C": "fc"}, "p1")
        assert found == {z: p.frames for z, p in parts.items()}
        # another fingerprint (the zone changed), other paces or another date: not these figures
        assert figure_parts.read(conn, AT, {"KCN-A": "fa2", "KCN-B": "fb"}, "p1") == {"KCN-B": parts["KCN-B"].frames}
        assert figure_parts.read(conn, AT, {"KCN-A": "fa"}, "p2") == {}
        assert figure_parts.read(conn, AT + dt.timedelta(days=1), {"KCN-A": "fa"}, "p1") == {}


def test_a_write_replaces_its_zones_and_drops_other_dates(backend_store):
    figure_parts.write(backend_store.engine, AT, {"KCN-A": part("KCN-A", "fa"), "KCN-B": part("KCN-B", "fb")})
    figure_parts.write(backend_store.engine, AT, {"KCN-A": part("KCN-A", "fa2", "p2")})
    with backend_store.engine.connect() as conn:
        assert set(figure_parts.read(conn, AT, {"KCN-A": "fa2"}, "p2")) == {"KCN-A"}
        assert figure_parts.read(conn, AT, {"KCN-A": "fa"}, "p1") == {}
    later = AT + dt.timedelta(days=1)
    figure_parts.write(backend_store.engine, later, {"KCN-B": part("KCN-B", "fb")})
    with backend_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.zone_figure_parts)).scalar_one() == 1


def test_a_busy_database_leaves_the_parts_unkept_without_waiting(store):
    with writer_holding_the_lock(store):
        start = time.perf_counter()
        assert figure_parts.write(store.engine, AT, {"KCN-A": part("KCN-A", "fa")}) is False
        assert time.perf_counter() - start < 2  # the writers' timeout is 15 s
    with store.engine.connect() as conn:
        assert figure_parts.read(conn, AT, {"KCN-A": "fa"}, "p1") == {}
