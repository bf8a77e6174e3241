"""Zone-by-zone clearance figures equal the whole province's computation after random edits, on both backends."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely
from geopandas.testing import assert_geodataframe_equal

from mapapp.analysis.measure import to_metric, to_storage
from mapapp.changes.clearance import record_step
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.clearance.procedure import MAIN_STEPS
from mapapp.errors import ChangeRefused
from mapapp.queries import clearance as queries
from mapapp.queries import zone_figures
from mapapp.queries.layers import as_of

WEB = Actor("leader1", "web")


def assert_same(store, at: dt.date) -> None:
    """The kept zone-by-zone figures, and a bbox view's lot readiness, equal a whole-province computation."""
    full = queries.full_figures(store, at)
    parts = queries._compute(store, at)
    pd.testing.assert_frame_equal(parts.parcels, full.parcels, check_exact=True)
    pd.testing.assert_frame_equal(parts.zones, full.zones, check_exact=True)
    pd.testing.assert_frame_equal(parts.lots, full.lots, check_exact=True)
    assert_geodataframe_equal(parts.blocks, full.blocks, check_less_precise=False)
    lots = store.read_layer("lots")
    x, y = lots.geometry.iloc[len(lots) // 2].centroid.coords[0]
    window = store.read_layer("lots", bbox=(x - 0.004, y - 0.003, x + 0.004, y + 0.003))
    seen = queries.with_figures(store, "lots", window, at)
    expected = full.lots.set_index("code").loc[window["code"]]
    assert list(seen["ready"]) == list(expected["ready"])
    assert list(seen["clearance_missing"]) == [list(m) for m in expected["missing"]]
    assert list(seen["ready_expected"]) == list(expected["ready_expected"])
    zones = queries.with_figures(store, "zones", store.read_layer("zones"), at)
    assert list(zones["cleared_share"]) == list(full.zones.set_index("zone_code").loc[zones["code"], "cleared_share"])


def next_step(store, code: str, at: dt.date) -> str | None:
    done = set(store.clearance_records([code])["steps"]["step"])
    return next((s.value for s in MAIN_STEPS if s.value not in done), None)


def test_zone_figures_equal_the_whole_province_after_random_edits(sample_store):
    store = sample_store
    at = as_of(store)
    rng = np.random.default_rng(13)
    assert_same(store, at)
    parcels = store.read_layer("clearance", fields_only=True)
    lots = store.read_layer("lots", fields_only=True)
    done = 0
    for k in range(12):
        kind = k % 4
        if kind == 0:  # a step recorded on a random parcel (refused ones change nothing)
            code = parcels["code"].iloc[rng.integers(len(parcels))]
            step = next_step(store, code, at)
            if step:
                try:
                    record_step(store, code, step, at.isoformat(), WEB, doc_type="Quyết định", doc_number=f"{k}/QĐ")
                    done += 1
                except ChangeRefused:
                    pass
        elif kind == 1:  # an old-style parcel's status written
            steps = store.clearance_records()["steps"]
            old = sorted(set(parcels["code"]) - set(steps.loc[steps["date"] != "", "parcel_code"]))
            if old:
                code = old[rng.integers(len(old))]
                status = ["not_started", "negotiating", "compensated", "cleared", "disputed"][rng.integers(5)]
                apply_features(store, "clearance", [Edit(code, {"status": status})], WEB, confirm=True, when=at)
                done += 1
        elif kind == 2:  # a lot moved by up to 30 m
            i = rng.integers(len(lots))
            metric = to_metric(lots.geometry.to_numpy()[i:i + 1])
            moved = to_storage(shapely.transform(metric, lambda c: c + rng.uniform(-30, 30, 2)))[0]
            apply_features(store, "lots", [Edit(lots["code"].iloc[i], {}, geometry=moved)], WEB, confirm=True)
            done += 1
        else:  # a parcel moved by up to 20 m
            i = rng.integers(len(parcels))
            metric = to_metric(parcels.geometry.to_numpy()[i:i + 1])
            moved = to_storage(shapely.transform(metric, lambda c: c + rng.uniform(-20, 20, 2)))[0]
            apply_features(store, "clearance", [Edit(parcels["code"].iloc[i], {}, geometry=moved)], WEB, confirm=True)
            done += 1
        assert_same(store, at)
    assert done >= 8
    assert_same(store, at + dt.timedelta(days=400))


def test_an_edit_works_out_its_zone_again_and_no_other(sample_store, monkeypatch):
    at = as_of(sample_store)
    zones = sample_store.read_layer("zones")["code"]
    zone_figures.by_zone(sample_store, zones, at)
    asked = []
    real = zone_figures._compute

    def counting(store, zones, at, paces, settings):
        asked.append(list(zones))
        return real(store, zones, at, paces, settings)

    monkeypatch.setattr(zone_figures, "_compute", counting)
    steps = sample_store.clearance_records()["steps"]
    parcels = sample_store.read_layer("clearance", fields_only=True)
    old = parcels[~parcels["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])].iloc[0]
    status = "compensated" if old["status"] != "compensated" else "negotiating"
    apply_features(sample_store, "clearance", [Edit(old["code"], {"status": status})], WEB, confirm=True, when=at)
    figures = zone_figures.by_zone(sample_store, zones, at)
    assert asked == [[old["zone_code"]]]
    assert figures[old["zone_code"]].parcels.set_index("code").loc[old["code"], "status"] == status
    lot = sample_store.read_layer("lots", fields_only=True).iloc[0]
    apply_features(sample_store, "lots", [Edit(lot["code"], {"status": "reserved" if lot["status"] != "reserved" else "leased"})],
                   WEB, confirm=True)
    zone_figures.by_zone(sample_store, zones, at)
    assert len(asked) == 1
