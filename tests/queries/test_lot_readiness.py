"""Lot readiness kept per lot (mapapp.queries.lot_readiness), in memory and in the database for every process:
equal to the whole province's, worked out again only for the lots an edit can change, on both backends."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from sqlalchemy import delete, func, select

from mapapp import create_app
from mapapp.analysis.measure import to_metric, to_storage
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.queries import clearance as queries
from mapapp.queries import lot_readiness, zone_figures
from mapapp.queries.layers import as_of, layer_view
from mapapp.store import schema

WEB = Actor("leader1", "web")


@pytest.fixture
def worked(monkeypatch) -> list[list[str]]:
    """The codes of the lots each call works out (the real function runs)."""
    seen: list[list[str]] = []
    real = lot_readiness._work_out

    def counting(codes, geoms, zones):
        seen.append(list(codes))
        return real(codes, geoms, zones)

    monkeypatch.setattr(lot_readiness, "_work_out", counting)
    return seen


def assert_whole_province(store, at) -> queries.Figures:
    """The kept readiness of every lot is the whole province's; returns the whole province's figures."""
    lots = store.read_layer("lots")
    got = lot_readiness.lot_figures(store, lots, at)
    figures = queries.full_figures(store, at)
    full = figures.lots.set_index("code").loc[lots["code"]].reset_index()
    pd.testing.assert_frame_equal(got[lot_readiness.COLUMNS], full[lot_readiness.COLUMNS], check_exact=True,
                                  check_dtype=False)
    return figures


def test_kept_readiness_equals_the_whole_province_and_is_worked_out_again_only_where_an_edit_reaches(sample_store, worked):
    store, at = sample_store, as_of(sample_store)
    assert_whole_province(store, at)
    assert sum(map(len, worked)) == len(store.read_layer("lots"))
    worked.clear()
    assert_whole_province(store, at)
    assert worked == []  # every lot kept

    lots = store.read_layer("lots", fields_only=True)
    metric = to_metric(lots.geometry.to_numpy()[:1])
    moved = to_storage(shapely.transform(metric, lambda c: c + 25.0))[0]
    apply_features(store, "lots", [Edit(lots["code"].iloc[0], {}, geometry=moved)], WEB, confirm=True)
    assert_whole_province(store, at)
    assert worked == [[lots["code"].iloc[0]]]  # the moved lot only: the zones kept their versions

    worked.clear()
    parcels = store.read_layer("clearance", fields_only=True)
    steps = store.clearance_records()["steps"]
    old_style = ~parcels["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])  # a status of its own
    target = parcels[old_style & (parcels["status"] != "cleared")].iloc[0]
    apply_features(store, "clearance", [Edit(target["code"], {"status": "cleared"})], WEB, confirm=True, when=at)
    assert_whole_province(store, at)
    redone = {code for batch in worked for code in batch}
    assert redone and len(redone) < len(lots)  # the lots around the parcel's zone, not the province


def kept_keys(store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(schema.lot_readiness.c.code, schema.lot_readiness.c.key)).all())


def under_lots(store, parcels) -> np.ndarray:
    """Whether each of ``parcels`` meets a lot: its edits change some lot's readiness."""
    lots = store.read_layer("lots", fields_only=True).geometry.to_numpy()
    hit, _ = shapely.STRtree(lots).query(parcels.geometry.to_numpy(), predicate="intersects")
    return np.isin(np.arange(len(parcels)), hit)


def test_kept_readiness_equals_the_whole_province_after_random_edits_of_lots_and_parcels(sample_store):
    store, at = sample_store, as_of(sample_store)
    rng = np.random.default_rng(12)
    # the whole province's figures of the current data, worked out once per state (they were a third of the time each)
    figures = assert_whole_province(store, at)
    changed, onto_lots = 0, []
    for step in range(12):
        kind = ("parcel", "status", "lot")[step % 3]
        before = figures.lots.set_index("code")[["ready", "missing"]]
        if kind == "status":  # a parcel with no step records (a status of its own) cleared: one moved onto a lot, often
            parcels = store.read_layer("clearance", fields_only=True)
            steps = store.clearance_records()["steps"]
            old_style = ~parcels["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])
            target = parcels[old_style & (parcels["status"] != "cleared")]["code"]
            moved_onto_lots = target[target.isin(onto_lots)]
            code = (moved_onto_lots if len(moved_onto_lots) else target).iloc[0]
            apply_features(store, "clearance", [Edit(code, {"status": "cleared"})], WEB, confirm=True, when=at)
        else:
            layer = "lots" if kind == "lot" else "clearance"
            frame = store.read_layer(layer, fields_only=True)
            metric = to_metric(frame.geometry.to_numpy())
            if kind == "parcel" and rng.random() < 0.7:  # an uncleared parcel moved onto a lot (of its zone, mostly)
                status = figures.parcels.set_index("code")["status"]
                i = int(rng.choice(np.flatnonzero(frame["code"].map(status).to_numpy() != "cleared")))
                lots = store.read_layer("lots", fields_only=True)
                mine = lots[lots["zone_code"] == frame["zone_code"].iloc[i]]
                mine = mine if len(mine) and rng.random() < 0.8 else lots
                onto = shapely.centroid(to_metric(mine.geometry.to_numpy()[int(rng.integers(len(mine)))]))
                dx, dy = shapely.get_x(onto) - shapely.get_x(shapely.centroid(metric[i])), shapely.get_y(onto) - shapely.get_y(shapely.centroid(metric[i]))
                onto_lots.append(frame["code"].iloc[i])
            else:  # a parcel under a lot moved by up to 40 m, or a lot by up to 150 m
                picks = np.flatnonzero(under_lots(store, frame)) if kind == "parcel" else np.arange(len(frame))
                i = int(rng.choice(picks))
                dx, dy = rng.uniform(-1, 1, 2) * (40 if kind == "parcel" else 150)
            moved = to_storage(shapely.transform(metric[i:i + 1], lambda c: c + [dx, dy]))[0]
            apply_features(store, layer, [Edit(frame["code"].iloc[i], {}, geometry=moved)], WEB, confirm=True)
        if rng.random() < 0.5:  # now and then a new process: the kept rows only
            lot_readiness.forget()
            zone_figures.forget()
        figures = assert_whole_province(store, at)
        after = figures.lots.set_index("code")[["ready", "missing"]]
        changed += int(not after.equals(before))
    assert changed >= 3  # the edits did change readiness, so stale kept rows would have shown
    assert len(kept_keys(store)) == len(store.read_layer("lots", fields_only=True))


def test_a_view_whose_lots_are_all_kept_decodes_no_zone_figures(sample_store):
    store = sample_store
    bbox = store.extent("lots")
    shown = layer_view(store, "lots", bbox=bbox)
    # a fresh process with no zone's figures kept anywhere: a view that needed any would work it out and keep it
    lot_readiness.forget()
    zone_figures.forget()
    with store.engine.begin() as conn:
        conn.execute(delete(schema.zone_figure_parts))
    done = lot_readiness.worked_out()
    assert_geodataframe_equal(layer_view(store, "lots", bbox=bbox), shown)
    assert lot_readiness.worked_out() == done
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.zone_figure_parts)).scalar_one() == 0


def test_a_second_app_process_uses_the_rows_the_first_kept(sample_store):
    x0, y0, x1, y1 = sample_store.extent("lots")
    path = f"/api/layers/lots?bbox={x0},{y0},{x1},{y1}"
    first = create_app({"database": sample_store.url}).test_client().get(path)
    assert first.status_code == 200 and len(first.json["features"]) == len(kept_keys(sample_store))
    lot_readiness.forget()  # what a second process starts with
    zone_figures.forget()
    done = lot_readiness.worked_out()
    second = create_app({"database": sample_store.url}).test_client().get(path)
    assert second.get_data() == first.get_data()
    assert lot_readiness.worked_out() == done


def test_an_edit_that_changes_a_zones_figures_works_the_lots_around_it_out_again(sample_store):
    store, at = sample_store, as_of(sample_store)
    lot_readiness.lot_figures(store, store.read_layer("lots"), at)
    before = kept_keys(store)
    parcels = store.read_layer("clearance", fields_only=True)
    steps = store.clearance_records()["steps"]
    old_style = ~parcels["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])
    target = parcels[old_style & (parcels["status"] != "cleared")].iloc[0]
    done = lot_readiness.worked_out()
    apply_features(store, "clearance", [Edit(target["code"], {"status": "cleared"})], WEB, confirm=True, when=at)
    by_the_edit = lot_readiness.worked_out() - done
    lot_readiness.forget()
    assert_whole_province(store, at)
    after = kept_keys(store)
    redone = {code for code in before if after[code] != before[code]}
    lots = store.read_layer("lots", fields_only=True)
    around = lots[lots["zone_code"] == target["zone_code"]]["code"]
    # the edit worked out the lots whose key it changed (mapapp.queries.reached_lots), the readers none again
    assert by_the_edit == len(redone)
    assert lot_readiness.worked_out() - done == len(redone)
    assert set(around) & redone and len(redone) < len(lots)  # the lots around the parcel's zone, not the province
