"""Zones' and their parcels' stored boxes, and the active lots near boxes (mapapp.store.reach_sql), on both backends."""
from __future__ import annotations

import numpy as np
import shapely

from mapapp.store import reach_sql


def boxes(frame) -> list[tuple]:
    return [tuple(float(v) for v in b) for b in shapely.bounds(frame.geometry.to_numpy())]


def test_a_zones_boxes_are_its_own_and_its_active_parcels(backend_store):
    zones = backend_store.read_layer("zones", fields_only=True)
    parcels = backend_store.read_layer("clearance", fields_only=True)
    zone = zones["code"].iloc[0]
    mine = parcels[parcels["zone_code"] == zone]
    assert len(mine)
    with backend_store.engine.connect() as conn:
        got = reach_sql.zone_boxes(conn, {zone})
    expected = [(zone, *b) for b in boxes(zones[zones["code"] == zone]) + boxes(mine)]
    assert sorted(got) == sorted(expected)  # stored boxes are the geometries' bounds
    with backend_store.engine.connect() as conn:
        assert reach_sql.zone_boxes(conn, {"NO-SUCH-ZONE"}) == []


def test_the_lots_near_boxes_are_the_active_lots_whose_box_meets_one(backend_store):
    lots = backend_store.read_layer("lots", fields_only=True)
    x0, y0, x1, y1 = backend_store.extent("lots")
    search = [(x0, y0, (x0 + x1) / 2, (y0 + y1) / 2), ((x0 + x1) / 2, (y0 + y1) / 2, x1, y1)]
    with backend_store.engine.connect() as conn:
        got = reach_sql.lots_near(conn, search)
    lot_boxes = shapely.box(*shapely.bounds(lots.geometry.to_numpy()).T)
    meets = np.zeros(len(lots), dtype=bool)
    for box in search:
        meets |= shapely.intersects(lot_boxes, shapely.box(*box))
    assert {r[0] for r in got} == set(lots["code"][meets])
    by_code = dict(zip(lots["code"], lots.geometry))
    assert all(shapely.equals_exact(shapely.from_wkb(bytes(r[1])), by_code[r[0]], 0) for r in got)


def test_more_lots_near_than_asked_for_are_not_read(backend_store):
    box = backend_store.extent("lots")
    with backend_store.engine.connect() as conn:
        every = reach_sql.lots_near(conn, [box])
        assert len(every) > 2
        assert reach_sql.lots_near(conn, [box], most=len(every) - 1) is None
        assert sorted(reach_sql.lots_near(conn, [box], most=len(every))) == sorted(every)
