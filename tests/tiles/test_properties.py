"""Parcel tile attributes: the records read for a tile are exactly its parcels', however many they are."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from mapapp.sources.sample import load_sample
from mapapp.tiles import properties
from tests.conftest import store_on


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sample_store(request, tmp_path):
    """The sample (parcels with step records, complaints and status history) on each backend."""
    with store_on(request.param, tmp_path, load_sample) as store:
        yield store


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
