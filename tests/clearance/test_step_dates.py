"""The steps' dates table and the group medians the paces are made of."""
from __future__ import annotations

import numpy as np
import pandas as pd

from mapapp.clearance.step_dates import done_dates, group_medians


def table(rows):
    return pd.DataFrame(rows, columns=["parcel_code", "step", "date"])


def test_done_dates_is_the_pivot_of_the_earliest_dates():
    steps = table([("P2", "payment", "2018-05-03"), ("P1", "meeting", "2018-02-01"), ("P2", "deposit", "2018-04-30"),
                   ("P1", "notice", ""), ("P3", "meeting", None), ("P1", "meeting", "2018-01-15"), ("P2", "meeting", "2018-01-01")])
    reference = table(steps.to_numpy()).assign(date=lambda t: pd.to_datetime(t["date"].replace("", None), format="ISO8601"))
    reference.loc[reference["step"] == "deposit", "step"] = "payment"
    expected = reference.pivot_table(index="parcel_code", columns="step", values="date", aggfunc="min")
    pd.testing.assert_frame_equal(done_dates(steps), expected, check_exact=True)
    assert done_dates(steps).loc["P2", "payment"] == pd.Timestamp("2018-04-30")


def test_group_medians_are_those_of_a_group_by():
    rng = np.random.default_rng(5)
    groups, values = rng.integers(0, 7, 200), rng.integers(-5, 400, 200)
    count, median = group_medians(groups, values, 9)
    by = pd.Series(values).groupby(groups)
    assert count.tolist() == by.size().reindex(range(9), fill_value=0).tolist()
    np.testing.assert_array_equal(median, by.median().reindex(range(9)).to_numpy(dtype=float))

