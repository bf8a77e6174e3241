"""The zones answer assembled from kept parts (mapapp.queries.zone_view) is, byte for byte, what the generic path
(layer_view, then the GeoJSON writer) writes: every date, viewer and retired variant, before and after edits of
parcels, steps, lots and zones, with a zone whose lack of lots turns whole columns to floats, extra attributes
named like computed columns, and nothing kept in memory; both backends. After an edit only what it changed is
written again."""
from __future__ import annotations

import datetime as dt

import shapely

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.geojson import collection_json
from mapapp.queries import zone_figures, zone_view
from mapapp.queries.layers import as_of, layer_view
from tests.helpers import record_a_step

WEB = Actor("leader1", "web")
PAST, LATER = dt.date(2024, 3, 1), dt.date(2031, 1, 1)


def generic(store, at, staff, retired) -> str:
    return collection_json(layer_view(store, "zones", at=at, staff=staff, include_retired=retired), extra={"layer": "zones"})


def assert_same(store, ats=(None, PAST)) -> None:
    for at in ats:
        shown = at or as_of(store)
        for staff in (False, True):
            for retired in (False, True):
                assert zone_view.answer(store, shown, staff, retired) == generic(store, shown, staff, retired), (at, staff, retired)


def test_every_variant_is_the_generic_answer(sample_store):
    zone_view.forget()
    assert_same(sample_store, (None, PAST))


def test_zone_edits_and_a_new_process_give_the_generic_answer(sample_store):
    store = sample_store
    zone_view.forget()
    assert_same(store, (None,))
    zones = store.read_layer("zones", fields_only=True)
    # extra attributes, one named like a stored field and one like a computed column; a zone with no lot, retired
    apply_features(store, "zones", [Edit(zones["code"].iloc[0], {}, props={"ghi chú": "Đất \"sạch\"", "lots_total": 7, "name": "X"})],
                   WEB, confirm=True)
    x0, y0, x1, y1 = zones.total_bounds
    apply_features(store, "zones", [Edit("Z-NEW", {"name": "Khu mới", "kind": "industrial_zone", "status": "proposed"},
                                         geometry=shapely.box(x1 + 0.01, y1 + 0.01, x1 + 0.02, y1 + 0.02))], WEB, confirm=True)
    apply_features(store, "zones", [], WEB, confirm=True, retire_codes=["Z-NEW"])
    assert_same(store, (None,))
    # a new process: nothing in memory (the figure rows kept in the database only)
    zone_view.forget()
    zone_figures.forget()
    assert_same(store, (None,))


def test_steps_and_lot_edits_give_the_generic_answer(sample_store):
    store = sample_store
    zone_view.forget()
    assert_same(store, (None,))
    record_a_step(store, as_of(store), WEB)  # a dated step: the all-zones paces may move
    lots = store.read_layer("lots", fields_only=True)
    apply_features(store, "lots", [Edit(lots["code"].iloc[0], {"status": "reserved" if lots["status"].iloc[0] != "reserved" else "available"})],
                   WEB, confirm=True)
    apply_features(store, "lots", [], WEB, confirm=True, retire_codes=[lots["code"].iloc[1]])
    assert_same(store, (None,))


def test_a_zone_without_lots_types_the_lot_columns_of_every_zone(backend_store):
    store = backend_store
    zone_view.forget()
    at = as_of(store)
    # Z2 has no lot: every zone's lot counts are floats (NaN in one row of the generic frame)
    assert '"lots_total": 3.0' in zone_view.answer(store, at, False, False)
    assert_same(store, (None,))
    inside = store.read_layer("zones", filters={"code": "Z2"}, fields_only=True).geometry.iloc[0].centroid.buffer(1e-5, 1)
    apply_features(store, "lots", [Edit("L-Z2", {"zone_code": "Z2", "land_use": "factory", "status": "available"},
                                        geometry=inside)], WEB, confirm=True)
    assert '"lots_total": 3,' in zone_view.answer(store, at, False, False)
    assert_same(store, (None,))
    x0, y0, x1, y1 = store.read_layer("zones", fields_only=True).total_bounds
    apply_features(store, "zones", [Edit("Z-EMPTY", {"name": "Khu trống", "kind": "industrial_zone", "status": "proposed"},
                                         geometry=shapely.box(x1 + 0.01, y1 + 0.01, x1 + 0.02, y1 + 0.02))], WEB, confirm=True)
    assert '"lots_total": 3.0' in zone_view.answer(store, at, False, False)
    assert_same(store, (None,))


def test_after_a_parcel_edit_only_its_zone_is_written_again(backend_store):
    store = backend_store
    zone_view.forget()
    at = as_of(store)
    before = zone_view.answer(store, at, False, False)
    (base, (_, features)), = zone_view._FEATURES.items()
    apply_features(store, "clearance", [Edit("P2", {"status": "cleared"})], WEB, confirm=True)
    after = zone_view.answer(store, at, False, False)
    assert after == generic(store, at, False, False) and after != before
    again = dict(zip(store.read_layer("zones", fields_only=True)["code"], zone_view._FEATURES[base][1]))
    kept = dict(zip(store.read_layer("zones", fields_only=True)["code"], features))
    assert again["Z2"] is kept["Z2"] and again["Z1"] != kept["Z1"]


def test_conflicts_a_parcel_edit_makes_are_counted(backend_store):
    store = backend_store
    zone_view.forget()
    at = as_of(store)
    before = zone_view.answer(store, at, False, False)
    lot = store.read_layer("lots", filters={"code": "L1"}, fields_only=True).geometry.iloc[0]
    # an uncleared parcel moved onto a lot: a conflict in Z1, and no lot nor zone written
    apply_features(store, "clearance", [Edit("P2", {"status": "negotiating"}, geometry=lot.centroid.buffer(1e-5, 1))],
                   WEB, confirm=True)
    after = zone_view.answer(store, at, False, False)
    assert after == generic(store, at, False, False)
    assert after.count("lot_on_uncleared_land") > before.count("lot_on_uncleared_land")
