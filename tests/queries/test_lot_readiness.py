"""Lot readiness kept per lot (mapapp.queries.lot_readiness): equal to the whole province's, worked out again
only for the lots an edit can change, on both backends."""
from __future__ import annotations

import pandas as pd
import pytest
import shapely

from mapapp.analysis.measure import to_metric, to_storage
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.queries import clearance as queries
from mapapp.queries import lot_readiness
from mapapp.queries.layers import as_of

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


def assert_whole_province(store, at) -> None:
    lots = store.read_layer("lots")
    got = lot_readiness.lot_figures(store, lots, at)
    full = queries.full_figures(store, at).lots.set_index("code").loc[lots["code"]].reset_index()
    pd.testing.assert_frame_equal(got[lot_readiness.COLUMNS], full[lot_readiness.COLUMNS], check_exact=True,
                                  check_dtype=False)


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
