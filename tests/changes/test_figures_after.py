"""A write works out the figures of the zones it touched before it answers (mapapp.changes.figures_after)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from mapapp.changes import figures_after
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.queries import clearance as queries
from mapapp.queries import figure_prints, zone_figures, zone_parts, zone_rows
from mapapp.queries.clearance import procedure_settings
from mapapp.queries.layers import as_of
from mapapp.store import figure_parts, figure_rows, figure_versions, schema
from tests.helpers import record_a_step

WEB = Actor("leader1", "web")


def kept_in_the_database(store, zone: str) -> bool:
    """Whether ``zone``'s row and whole figures are kept in the database under the versions stored now, as a
    reader in any process looks them up (not in this process's memory)."""
    at = zone_parts.kept_date(store)
    with store.engine.connect() as conn:
        versions = figure_versions.read(conn)
    digest = figure_prints.paces_digest(zone_figures.paces_at(store, versions, at))
    prints = figure_prints.fingerprints(versions, [zone], at, procedure_settings())
    with store.engine.connect() as conn:
        row = figure_rows.read(conn, at, [zone]).get(zone)
        parts = figure_parts.read(conn, at, prints, digest)
    return row is not None and row.fingerprint == prints[zone] and row.steps == versions.steps and zone in parts


def an_old_style_parcel(store) -> pd.Series:
    steps = store.clearance_records()["steps"]
    parcels = store.read_layer("clearance", fields_only=True)
    return parcels[~parcels["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])].iloc[0]


def test_an_edited_parcels_zone_is_kept_by_the_write_equal_to_the_province(sample_store):
    at = as_of(sample_store)
    assert at == zone_parts.kept_date(sample_store)
    parcel = an_old_style_parcel(sample_store)
    zone = parcel["zone_code"]
    status = "compensated" if parcel["status"] != "compensated" else "negotiating"
    apply_features(sample_store, "clearance", [Edit(parcel["code"], {"status": status})], WEB, confirm=True, when=at)
    assert kept_in_the_database(sample_store, zone)
    # what the write kept is what a reader of another process finds, and equals the whole province's
    zone_figures.forget()
    rows = zone_rows.zone_rows(sample_store, [zone], at)
    full = queries.full_figures(sample_store, at).zones
    expected = full[full["zone_code"] == zone].reset_index(drop=True)
    pd.testing.assert_frame_equal(rows.astype({"zone_code": object}), expected.astype({"zone_code": object}), check_exact=True)


def test_a_recorded_step_keeps_its_zone(sample_store):
    at = as_of(sample_store)
    done = record_a_step(sample_store, at, WEB)
    assert done is not None and kept_in_the_database(sample_store, done)


def test_a_lot_edit_works_no_zone_out(sample_store):
    lot = sample_store.read_layer("lots", fields_only=True).iloc[0]
    with sample_store.engine.connect() as conn:
        before = conn.execute(select(schema.zone_figure_rows.c.zone_code)).scalars().all()
    apply_features(sample_store, "lots", [Edit(lot["code"], {"tenant": "Công ty Mới"})], WEB, confirm=True)
    with sample_store.engine.connect() as conn:
        assert conn.execute(select(schema.zone_figure_rows.c.zone_code)).scalars().all() == before


def test_a_write_touching_many_zones_leaves_them_to_the_readers(sample_store):
    zones = list(sample_store.read_layer("zones", fields_only=True)["code"])
    assert not figures_after.keep_touched(sample_store, set())
    assert not figures_after.keep_touched(sample_store, {f"Z{i}" for i in range(figures_after.MAX_ZONES + 1)})
    assert figures_after.keep_touched(sample_store, set(zones[:1]))
