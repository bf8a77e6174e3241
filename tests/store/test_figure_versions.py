"""A write gives new figure versions to the zones it touches only; a write that says nothing, to every zone."""
from __future__ import annotations

import pytest
import shapely.affinity
from sqlalchemy import insert

from mapapp.changes.clearance import record_payment, record_step
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.store import figure_versions, schema

WEB = Actor("leader1", "web")


def versions(store) -> figure_versions.Versions:
    with store.engine.connect() as conn:
        return figure_versions.read(conn)


def zone_of(store, code: str) -> str:
    parcels = store.read_layer("clearance", fields_only=True)
    return parcels.loc[parcels["code"] == code, "zone_code"].iloc[0]


def test_a_recorded_step_changes_its_zone_and_the_steps_only(sample_store):
    before = versions(sample_store)
    record_step(sample_store, "GP-TPT-23", "payment", "2018-12-20", WEB, doc_type="Biên bản chi trả", doc_number="31/BB-CT")
    after = versions(sample_store)
    zone = zone_of(sample_store, "GP-TPT-23")
    assert after.zone(zone) != before.zone(zone) and after.steps != before.steps and after.epoch == before.epoch
    assert {z: v for z, v in after.zones.items() if z != zone} == {z: v for z, v in before.zones.items() if z != zone}


def test_a_parcel_moved_to_another_zone_changes_both_zones(sample_store):
    parcels = sample_store.read_layer("clearance", fields_only=True)
    code, zone = parcels["code"].iloc[0], parcels["zone_code"].iloc[0]
    other = sorted(set(sample_store.read_layer("zones")["code"]) - {zone})[0]
    before = versions(sample_store)
    apply_features(sample_store, "clearance", [Edit(code, {"zone_code": other})], WEB, confirm=True)
    after = versions(sample_store)
    changed = {z for z in set(after.zones) | set(before.zones) if after.zone(z) != before.zone(z)}
    assert changed == {zone, other} and after.epoch == before.epoch and after.steps == before.steps


def test_lots_payments_and_undeclared_writes(sample_store):
    before = versions(sample_store)
    lot = sample_store.read_layer("lots", fields_only=True).iloc[0]
    apply_features(sample_store, "lots", [Edit(lot["code"], {"status": "reserved" if lot["status"] != "reserved" else "leased"})],
                   WEB, confirm=True)
    hh = sample_store.clearance_records(["GP-TPT-23"])["household_parcels"]["household_code"].iloc[0]
    record_payment(sample_store, "GP-TPT-23", hh, WEB, approved_vnd=1_000_000, approval_date="2018-11-01")
    assert versions(sample_store) == before
    with sample_store.writing() as conn:  # a write that does not say what it touched: no figure is kept
        conn.execute(insert(schema.clearance_events).values(parcel_code="GP-TPT-23", date="2018-12-01", status="negotiating"))
        sample_store._set_meta(conn, "data_changed_at", "2018-12-01T00:00:00+00:00")
    after = versions(sample_store)
    assert after.epoch != before.epoch and after.zones == before.zones


def test_a_failed_write_leaves_no_declared_scope_behind(sample_store):
    before = versions(sample_store)
    with pytest.raises(RuntimeError):
        with sample_store.writing() as conn:
            figure_versions.declare(conn, ["KCN-TPT"])
            raise RuntimeError("refused")
    with sample_store.writing() as conn:
        sample_store._set_meta(conn, "data_changed_at", "2018-12-01T00:00:00+00:00")
    after = versions(sample_store)
    assert after.epoch != before.epoch and after.zone("KCN-TPT") == before.zone("KCN-TPT")


def changed_zones(before: figure_versions.Versions, after: figure_versions.Versions) -> set[str]:
    return {z for z in set(after.zones) | set(before.zones) if after.zone(z) != before.zone(z)}


def test_edits_of_what_the_figures_do_not_read_give_no_zone_a_new_version(sample_store):
    parcel = sample_store.read_layer("clearance", fields_only=True).iloc[0]
    zone = sample_store.read_layer("zones", fields_only=True).iloc[0]
    before = versions(sample_store)
    edits = {"owner": "Nguyễn Văn Mới", "households": int((parcel["households"] or 0) + 1),
             "compensation_vnd": 123_456_789.0, "paid_vnd": 1_000.0}
    result = apply_features(sample_store, "clearance", [Edit(parcel["code"], edits, props={"ghi_chu": "đã gặp hộ"})],
                            WEB, confirm=True)
    assert result.changed == [parcel["code"]]
    result = apply_features(sample_store, "zones", [Edit(zone["code"], {"name": zone["name"] + " (mới)"})], WEB, confirm=True)
    assert result.changed == [zone["code"]]
    after = versions(sample_store)
    # the data changed (a new data version), the figures did not: no zone nor the epoch is worked out again
    assert sample_store.read_layer("clearance", fields_only=True).set_index("code").loc[parcel["code"], "owner"] == "Nguyễn Văn Mới"
    assert after == before


#: A status each layer's feature may be given instead of its own (a parcel's: without dated steps, see below)
OTHER_STATUS = {"clearance": ("compensated", "negotiating"), "zones": ("proposed", "operating")}


@pytest.mark.parametrize("layer", ["clearance", "zones"])
@pytest.mark.parametrize("field", ["status", "geometry"])
def test_a_status_or_land_gives_the_zone_a_new_version(sample_store, layer, field):
    features = sample_store.read_layer(layer, fields_only=True)
    if layer == "clearance":  # a parcel whose status is written by hand: none of its steps is dated
        steps = sample_store.clearance_records()["steps"]
        features = features[~features["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])]
    feature = features.iloc[0]
    zone = feature["zone_code"] if layer == "clearance" else feature["code"]
    before = versions(sample_store)
    if field == "status":
        one, other = OTHER_STATUS[layer]
        edit = Edit(feature["code"], {"status": one if feature["status"] != one else other})
    else:
        edit = Edit(feature["code"], {}, geometry=shapely.affinity.translate(feature.geometry, 1e-5, 0.0))
    apply_features(sample_store, layer, [edit], WEB, confirm=True)
    after = versions(sample_store)
    assert changed_zones(before, after) == {zone} and after.epoch == before.epoch
