"""Lots and reach boxes read in plain DB-API SQL (mapapp.store.lot_sql), on SQLite and on PostGIS."""
from __future__ import annotations

import numpy as np
import shapely

from mapapp.queries import lot_view
from mapapp.store import lot_sql, spatial
from mapapp.store.backend import Store


def test_a_bbox_reads_the_rows_read_layer_reads_with_their_kept_readiness(backend_store: Store):
    store = backend_store
    x0, y0, x1, y1 = store.extent("lots")
    box = (x0, y0, (x0 + x1) / 2, (y0 + y1) / 2)
    columns = lot_view.read_columns(staff=True)
    with store.engine.connect() as conn:
        rows = lot_sql.in_bbox(conn, box, columns, include_retired=False)
    codes = [r[columns.index("code")] for r in rows]
    wkb = np.array([r[columns.index("geom")] for r in rows], dtype=object)
    if store.engine.dialect.name == "sqlite":  # the R*Tree gives candidates: cut them as read_layer does
        codes = [c for c, hit in zip(codes, spatial.intersecting(wkb, box)) if hit]
    assert codes == store.read_layer("lots", bbox=box)["code"].tolist() and codes
    assert all(len(r) == len(columns) + len(lot_sql.KEPT) for r in rows)


def test_reach_boxes_are_found_by_many_searches_as_by_one_each(backend_store: Store):
    store = backend_store
    parcels = store.read_layer("clearance", fields_only=True)
    boxes = shapely.bounds(parcels.geometry.to_numpy())
    # more searched boxes than one statement may hold (SQLite: 500 terms in a compound SELECT)
    search = [tuple(float(v) for v in boxes[i % len(boxes)]) for i in range(lot_sql.SEARCHES * 2 + 7)]
    with store.engine.connect() as conn:
        found = lot_sql.boxes_near(conn, search)
        one_by_one = [row for box in search[: len(boxes)] for row in lot_sql.boxes_near(conn, [box])]
    assert set(found) == set(one_by_one)
    zone_codes = set(store.read_layer("zones", fields_only=True)["code"])
    assert {r[0] for r in found} <= zone_codes | set(parcels["zone_code"])
    stored = {(z, *map(float, b)) for z, b in zip(parcels["zone_code"], boxes[: len(search)])}
    assert {(r[0], *map(float, r[1:])) for r in found} >= stored  # every parcel searched by its own box is found


def test_the_meta_value_is_read_or_none(backend_store: Store):
    with backend_store.engine.connect() as conn:
        assert lot_sql.meta_value(conn, "no such key") is None
        assert lot_sql.meta_value(conn, "data_version") == backend_store.get_meta("data_version")
