"""Rules of mapapp.analysis.conflicts.rules on cases the whole-scene tests do not reach."""
from __future__ import annotations

from tests.analysis.test_conflicts import lot, only, rect, run, zone


def test_a_use_allowed_by_any_zone_of_a_repeated_code_is_allowed():
    zones = [zone("Z1", allowed="factory"), zone("Z1", rect(5000, 0, 6000, 1000), allowed="Warehouse"),
             zone("Z2", rect(-5000, 0, -4000, 1000), allowed="green")]
    lots = [lot("L1", rect(0, 0, 50, 50), land_use="warehouse"), lot("L2", rect(100, 0, 150, 50), land_use="housing"),
            lot("L3", rect(200, 0, 250, 50), land_use=" FACTORY"), lot("L4", rect(300, 0, 350, 50), land_use=""),
            lot("L5", rect(-4900, 0, -4850, 50), zone_code="Z2", land_use="warehouse"),
            lot("L6", rect(400, 0, 450, 50), zone_code="Z9", land_use="housing")]
    res = only(run(zones, lots=lots), "land_use_mismatch")
    assert res["codes"].tolist() == [["L2", "Z1"], ["L5", "Z2"]]
    assert res["description_en"].iloc[0].endswith("not allowed in zone Z1 (allowed: factory)")  # the first Z1's list


def test_ids_that_repeat_apart_in_the_order_are_numbered():
    """Codes holding ':' can give two pairs one id, with another pair sorted between them."""
    lots = [lot("A", rect(0, 0, 100, 100)), lot("B:C", rect(50, 0, 150, 100)), lot("Z", rect(0, 50, 40, 150)),
            lot("A:B", rect(500, 0, 600, 100)), lot("C", rect(550, 0, 650, 100))]
    res = only(run(lots=lots), "lot_overlap")
    assert res["codes"].tolist() == [["A", "B:C"], ["A", "Z"], ["A:B", "C"]]
    assert res["id"].tolist() == ["lot_overlap:A:B:C", "lot_overlap:A:Z", "lot_overlap:A:B:C#2"]



def test_pair_bbox_overlap_is_bbox_overlap_to_the_bit():
    import numpy as np

    from mapapp.analysis.conflicts.pairs import _bbox_overlap, _pair_bbox_overlap

    rng = np.random.default_rng(3)
    low = rng.uniform(5e5, 5e5 + 2000, (300, 2))
    bounds = np.hstack([low, low + rng.uniform(0, 500, (300, 2))])
    ia, ib = rng.integers(0, 300, 5000), rng.integers(0, 300, 5000)
    got = _pair_bbox_overlap(bounds.T.copy(), ia, bounds.T.copy(), ib)
    assert np.array_equal(got, _bbox_overlap(bounds[ia], bounds[ib])) and (got > 0).sum() > 100
