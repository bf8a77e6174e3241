"""Which zones can reach each lot, and its kept readiness's key (mapapp.queries.lot_keys), on both backends."""
from __future__ import annotations

import numpy as np
import shapely

from mapapp.analysis.measure import to_metric
from mapapp.clearance.blocks import TOLERANCE_M
from mapapp.queries import clearance as queries
from mapapp.queries import lot_keys, zone_figures
from mapapp.queries.figure_warm import zone_codes
from mapapp.queries.layers import as_of
from mapapp.store import figure_versions


def reaching(store, lots) -> list[tuple[str, ...]]:
    with store.engine.connect() as conn:
        return lot_keys.reaching(conn, shapely.bounds(lots.geometry.to_numpy()))


def test_the_zones_found_hold_every_zone_whose_blocks_or_open_parcels_reach_the_lot(sample_store):
    store, at = sample_store, as_of(sample_store)
    lots = store.read_layer("lots", fields_only=True)
    figures = queries.full_figures(store, at)
    parcels = store.read_layer("clearance", fields_only=True)[["code", "zone_code", "geometry"]].merge(
        figures.parcels[["code", "status"]], on="code")
    open_parcels = parcels[parcels["status"] != "cleared"]
    lots_m = to_metric(lots.geometry.to_numpy())
    # what the readiness reads: blocks grown by the tolerance (a lot within one is ready), open parcels meeting it
    reach_of = [set() for _ in range(len(lots))]
    for geoms, zones in ((shapely.buffer(to_metric(figures.blocks.geometry.to_numpy()), TOLERANCE_M), figures.blocks["zone_code"]),
                         (to_metric(open_parcels.geometry.to_numpy()), open_parcels["zone_code"])):
        lot_i, geom_i = shapely.STRtree(geoms).query(lots_m, predicate="intersects")
        for i, z in zip(lot_i, np.asarray(zones, dtype=object)[geom_i]):
            reach_of[i].add(z)
    found = reaching(store, lots)
    assert sum(map(len, reach_of)) > 0
    assert all(needed <= set(got) for needed, got in zip(reach_of, found))
    assert all(list(got) == sorted(got) for got in found)
    # the zones around each lot, not the province's
    assert max(map(len, found)) < len(zone_codes(store))


def test_the_zones_found_for_a_lot_do_not_depend_on_the_lots_asked_with_it(sample_store):
    lots = sample_store.read_layer("lots", fields_only=True)
    together = reaching(sample_store, lots)
    alone = [reaching(sample_store, lots.iloc[[i]])[0] for i in range(0, len(lots), 7)]
    assert alone == together[::7]
    # lots far apart are searched for by cells, not by their whole common box
    boxes = shapely.bounds(lots.geometry.to_numpy())
    far = np.vstack([boxes[:1], boxes[:1] + [0.5, 0.5, 0.5, 0.5]])
    assert len(lot_keys.searched(far)) == 2
    assert lot_keys.searched(boxes[:3]) == [(*boxes[:3, :2].min(axis=0), *boxes[:3, 2:].max(axis=0))]


def test_a_key_changes_with_the_lot_its_zones_versions_the_date_and_the_paces(sample_store):
    store, at = sample_store, as_of(sample_store)
    lots = store.read_layer("lots", fields_only=True).iloc[:2]
    wkbs = shapely.to_wkb(lots.geometry.to_numpy()).tolist()
    reach = reaching(store, lots)
    zone = reach[0][0]
    with store.engine.connect() as conn:
        versions = figure_versions.read(conn)
    paces, settings = zone_figures.paces_at(store, versions, at), queries.procedure_settings()
    base = lot_keys.keys(wkbs, reach, versions, at, paces, settings)
    assert base == lot_keys.keys(wkbs, reach, versions, at, paces, settings)  # the same in every process
    assert len(set(base)) == 2 and all(len(k) == lot_keys.KEY_LENGTH for k in base)
    touched = figure_versions.Versions(versions.epoch, versions.steps, {**versions.zones, zone: "new"})
    assert lot_keys.keys(wkbs, reach, touched, at, paces, settings)[0] != base[0]
    other_zone = figure_versions.Versions(versions.epoch, versions.steps, {**versions.zones, "KCN-NONE": "new"})
    assert lot_keys.keys(wkbs, reach, other_zone, at, paces, settings) == base
    assert lot_keys.keys(wkbs, reach, figure_versions.Versions("epoch2", versions.steps, versions.zones), at, paces,
                         settings) != base
    assert lot_keys.keys(wkbs, reach, versions, at.replace(year=at.year + 1), paces, settings)[0] != base[0]
    slower = {step: ((median or 0) + 1, n) for step, (median, n) in paces.items()}
    assert lot_keys.keys(wkbs, reach, versions, at, slower, settings)[0] != base[0]


def test_the_zones_found_are_exactly_those_whose_stored_boxes_meet_the_grown_lot(sample_store):
    """The zones of a lot's key, compared one by one with every stored box (the key's definition, worked by hand)."""
    store = sample_store
    lots = store.read_layer("lots", fields_only=True)
    grown = shapely.bounds(lots.geometry.to_numpy()) + np.array([-1, -1, 1, 1]) * lot_keys.AROUND_DEG
    stored = []
    for layer, column in (("zones", "code"), ("clearance", "zone_code")):
        frame = store.read_layer(layer, fields_only=True)
        stored += zip(frame[column], shapely.bounds(frame.geometry.to_numpy()).tolist())
    expected = [tuple(sorted({z for z, (x0, y0, x1, y1) in stored
                              if isinstance(z, str) and z and x0 <= g[2] and g[0] <= x1 and y0 <= g[3] and g[1] <= y1}))
                for g in grown.tolist()]
    assert reaching(store, lots) == expected and any(expected)
