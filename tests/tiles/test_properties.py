"""Parcel tile attributes: the records read for a tile are exactly its parcels', however many they are."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from mapapp.tiles import properties


def test_records_are_those_of_the_parcels_asked_past_the_parameter_bound(sample_store, monkeypatch):
    """More parcels than one statement binds are read in chunks: their records only (not the province's),
    and the same rows, in the same order per parcel, as in one statement; the attributes do not change."""
    parcels = sample_store.read_layer("clearance", fields_only=True)
    left_out = min(properties._records(sample_store, list(parcels["code"]))[1]["parcel_code"])
    codes = sorted(set(parcels["code"]) - {left_out})  # a parcel with steps left out: its records must not be read
    whole = properties._records(sample_store, codes)
    whole_attributes = properties.tile_properties(sample_store, "clearance", parcels[parcels["code"].isin(codes)]
                                                  [["code", "zone_code", "status"]].reset_index(drop=True), dt.date(2030, 1, 1))
    monkeypatch.setattr(properties, "_IN_LIST_MAX", 3)
    chunked = properties._records(sample_store, codes)
    steps = chunked[1]
    assert len(steps) and set(steps["parcel_code"]) <= set(codes) and len(codes) > 2
    for a, b in zip(whole, chunked):
        key = list(a.columns[:1])
        pd.testing.assert_frame_equal(a.sort_values(key, kind="stable").reset_index(drop=True),
                                      b.sort_values(key, kind="stable").reset_index(drop=True))
    attributes = properties.tile_properties(sample_store, "clearance", parcels[parcels["code"].isin(codes)]
                                            [["code", "zone_code", "status"]].reset_index(drop=True), dt.date(2030, 1, 1))
    pd.testing.assert_frame_equal(attributes, whole_attributes)


def test_steps_are_read_without_what_the_attributes_do_not_depend_on(sample_store):
    """A step's document type, signer, scan and note change no parcel's status, step or lateness: they are not
    read, and the attributes are those the layer API gives (test_tiles checks every parcel of the sample)."""
    from tests.conftest import statements_sent

    parcels = sample_store.read_layer("clearance", fields_only=True)[["code", "zone_code", "status"]]
    sent = statements_sent(sample_store, lambda: properties.tile_properties(sample_store, "clearance", parcels, dt.date(2030, 1, 1)))
    # (the all-zones paces, which the kept zone figures are looked up by, read every dated step: not the tile's)
    steps = [s for s, _ in sent if "FROM clearance_steps" in s and "clearance_steps.parcel_code IN" in s]
    assert len(steps) == 1 and "clearance_steps.date" in steps[0]
    assert not any(f"clearance_steps.{c}" in steps[0] for c in ("doc_type", "signer", "scan", "note"))


@pytest.mark.parametrize("at", [None, dt.date(2030, 1, 1)])
def test_attributes_from_kept_zone_figures_equal_those_worked_out_for_the_tile(sample_store, at):
    """Once every zone of a tile is kept (memory or database), a tile takes its parcels' status, step and
    lateness from the zones' figures, reading no step record; the values are those worked out for the tile."""
    from mapapp.queries import zone_figures
    from mapapp.queries.layers import as_of
    from tests.conftest import statements_sent

    at = at or as_of(sample_store)
    parcels = sample_store.read_layer("clearance", fields_only=True)[["code", "zone_code", "status"]]
    zone_figures.forget()
    assert properties._kept_figures(sample_store, parcels, at) is None  # nothing kept yet: worked out for the tile
    worked = properties._parcels_at(sample_store, parcels, at)[list(properties.TILE_PROPERTIES["clearance"])]
    assert worked["step"].notna().any() and worked["step"].isna().any() and worked["overdue"].any()
    zone_figures.by_zone(sample_store, set(parcels["zone_code"]), at)
    kept_in_database = at == as_of(sample_store)  # other dates are kept in memory only
    for where in ("memory", "database") if kept_in_database else ("memory",):
        if where == "database":
            zone_figures.forget()  # read back from the database (Arrow: read-only arrays)
        sent = statements_sent(sample_store, lambda: properties.tile_properties(sample_store, "clearance", parcels, at))
        assert not [s for s, _ in sent if "FROM clearance_steps" in s and "clearance_steps.parcel_code IN" in s]
        if where == "database":
            zone_figures.forget()
        pd.testing.assert_frame_equal(properties.tile_properties(sample_store, "clearance", parcels, at), worked)
        half = parcels.iloc[::2].reset_index(drop=True)
        pd.testing.assert_frame_equal(properties.tile_properties(sample_store, "clearance", half, at),
                                      properties._parcels_at(sample_store, half, at)[list(properties.TILE_PROPERTIES["clearance"])])

