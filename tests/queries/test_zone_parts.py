"""Zones' whole figures kept in the database (mapapp.queries.zone_parts): any process reads them back identical, on both backends."""
from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from sqlalchemy import select

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.clearance.view import CURRENT_COLUMNS
from mapapp.queries import zone_figures
from mapapp.queries.layers import as_of
from mapapp.store import frame_bytes, schema
from mapapp.store.backend import Store

WEB = Actor("leader1", "web")
FRAMES = ("parcels", "zones", "blocks", "current")


@pytest.fixture
def computed(monkeypatch):
    """The zones each call of ``zone_figures._compute`` works out, in order (the real computation runs)."""
    asked: list[list[str]] = []
    real = zone_figures._compute

    def counting(store, zones, at, paces, settings):
        asked.append(sorted(zones))
        return real(store, zones, at, paces, settings)

    monkeypatch.setattr(zone_figures, "_compute", counting)
    return asked


def zone_codes(store) -> list[str]:
    return sorted(store.read_layer("zones", fields_only=True)["code"])


def kept(store) -> dict[str, str]:
    t = schema.zone_figure_parts
    with store.engine.connect() as conn:
        return dict(conn.execute(select(t.c.zone_code, t.c.at)).all())


def assert_identical(read: dict, worked_out: dict) -> None:
    assert sorted(read) == sorted(worked_out)
    for zone, figures in worked_out.items():
        for name in FRAMES:
            a, b = getattr(read[zone], name), getattr(figures, name)
            assert type(a) is type(b) and list(a.dtypes) == list(b.dtypes), (zone, name)
            if isinstance(b, gpd.GeoDataFrame):
                assert_geodataframe_equal(a, b, check_less_precise=False)
                # the same coordinates, not only the same shapes (an invalid block is not equal to itself)
                assert list(shapely.to_wkb(a.geometry.to_numpy())) == list(shapely.to_wkb(b.geometry.to_numpy()))
            else:
                pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_a_new_process_reads_the_figures_back_identical_without_working_them_out(sample_store, computed):
    at = as_of(sample_store)
    zones = zone_codes(sample_store)
    worked_out = zone_figures.by_zone(sample_store, zones, at)
    assert computed == [zones]
    assert kept(sample_store) == {z: at.isoformat() for z in zones}
    # another process: its own connections, nothing in its memory
    zone_figures.forget()
    other = Store(sample_store.url)
    try:
        read = zone_figures.by_zone(other, zones, at)
    finally:
        other.engine.dispose()
    assert computed == [zones]
    assert_identical(read, worked_out)
    # a lot's readiness reads the same figures: a view answers without working any zone out
    zone_figures.forget()
    zone_figures.reach(sample_store, zones[:2], at)
    assert computed == [zones]


def test_an_edit_works_its_zone_out_again_in_every_process(sample_store, computed):
    at = as_of(sample_store)
    zones = zone_codes(sample_store)
    zone_figures.by_zone(sample_store, zones, at)
    parcels = sample_store.read_layer("clearance", fields_only=True)
    steps = sample_store.clearance_records()["steps"]
    old = parcels[~parcels["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])].iloc[0]
    status = "compensated" if old["status"] != "compensated" else "negotiating"
    apply_features(sample_store, "clearance", [Edit(old["code"], {"status": status})], WEB, confirm=True, when=at)
    zone_figures.forget()
    figures = zone_figures.by_zone(sample_store, zones, at)
    assert computed == [zones, [old["zone_code"]]]
    assert figures[old["zone_code"]].parcels.set_index("code").loc[old["code"], "status"] == status
    # what the edit's process worked out is kept for the next one
    zone_figures.forget()
    assert_identical(zone_figures.by_zone(sample_store, zones, at), figures)
    assert len(computed) == 2


def test_an_edit_of_an_owner_works_nothing_out_and_kept_figures_hold_no_personal_data(sample_store, computed):
    at = as_of(sample_store)
    zones = zone_codes(sample_store)
    zone_figures.by_zone(sample_store, zones, at)
    parcel = sample_store.read_layer("clearance", fields_only=True).iloc[0]
    apply_features(sample_store, "clearance", [Edit(parcel["code"], {"owner": "Trần Thị Riêng Tư", "paid_vnd": 7.0})],
                   WEB, confirm=True, when=at)
    zone_figures.forget()
    figures = zone_figures.by_zone(sample_store, zones, at)
    assert computed == [zones]  # the figures read no owner nor amount: the kept ones still hold
    for zone, part in figures.items():
        assert list(part.current.columns) == CURRENT_COLUMNS, zone
    # what the database keeps for every process: no parcel's owner, households nor amounts
    t = schema.zone_figure_parts
    with sample_store.engine.connect() as conn:
        stored = [frame_bytes.from_many([bytes(v)]) for v in conn.execute(select(t.c.current)).scalars()]
    assert len(stored) == len(zones) and all(list(f.columns) == CURRENT_COLUMNS for f in stored)


def test_other_dates_are_worked_out_and_kept_in_memory_only(sample_store, computed):
    at = as_of(sample_store)
    zones = zone_codes(sample_store)
    later = at + dt.timedelta(days=400)
    zone_figures.by_zone(sample_store, zones, later)
    assert kept(sample_store) == {}
    zone_figures.by_zone(sample_store, zones, at)
    zone_figures.forget()
    zone_figures.by_zone(sample_store, zones, later)
    assert computed == [zones, zones, zones]
    assert set(kept(sample_store).values()) == {at.isoformat()}
