"""The handover forecast on hand-worked dates (see the method in mapapp.clearance.forecast)."""
from __future__ import annotations

from datetime import date as D

import pandas as pd
import pytest

from mapapp.clearance.forecast import forecast_parcels, forecast_zones, paces

AT = D(2018, 12, 31)


def table(rows):
    return pd.DataFrame(rows, columns=["parcel_code", "step", "date"])


STEPS = table([
    ("P1", "meeting", "2018-06-01"), ("P1", "notice", "2018-06-15"), ("P1", "inventory", "2018-08-01"),
    ("P2", "meeting", "2018-11-20"), ("P2", "notice", "2018-12-01"),
    ("P3", "meeting", "2018-01-02"), ("P3", "notice", "2018-01-10"), ("P3", "inventory", "2018-02-01"),
    ("P4", "meeting", "2017-06-01"), ("P4", "approval", "2018-05-15"), ("P4", "payment", "2018-06-20"),
    ("P4", "decision", "2018-05-24"), ("P4", "handover", "2018-07-02"),
    ("P5", "meeting", "2019-01-05"),  # after the date of the forecast: ignored
])
PARCELS = pd.DataFrame({"code": ["P1", "P2", "P3", "P4", "P5"], "zone_code": ["Z", "Y", "Z", "Z", "Y"],
                        "land_kind": ["agricultural", "non_agricultural", "agricultural", "agricultural", None]})


def test_parcels_from_legal_limits_and_planning_durations():
    f = forecast_parcels(STEPS, PARCELS, AT).set_index("parcel_code")
    # P1: plan posted 08-01 + 60 = 09-30, not done by 12-31 → 12-31; consultation + 30 + 60 → 2019-03-31;
    # appraisal 30 working days ≈ 42 d → 05-12; approval 5 wd ≈ 7 d → 05-19; payment + 30 → 06-18;
    # decision + 10 → 05-29 (notice + 90 = 2018-09-13 long past); handover 06-18 + 30 → 07-18.
    assert f.loc["P1", "expected"] == {
        "plan_posted": D(2018, 12, 31), "consultation": D(2019, 3, 31), "appraisal": D(2019, 5, 12),
        "approval": D(2019, 5, 19), "publication": D(2019, 5, 24), "payment": D(2019, 6, 18),
        "decision": D(2019, 5, 29), "handover": D(2019, 7, 18)}
    assert f.loc["P1", "expected_handover"] == D(2019, 7, 18) and not f.loc["P1", "new_notice"]
    # P2 (non-agricultural): inventory 12-01 + 30 → 12-31; posted + 60 → 2019-03-01; consultation + 90 → 05-30;
    # 07-11, 07-18, payment 08-17, decision 07-28 (≥ notice + 180 = 2019-05-30), handover 09-16.
    assert f.loc["P2", "expected"]["decision"] == D(2019, 7, 28) and f.loc["P2", "expected_handover"] == D(2019, 9, 16)
    # P3: same chain as P1 but its notice (2018-01-10) expires 2019-01-10, before the decision
    assert f.loc["P3", "expected_handover"] == D(2019, 7, 18) and f.loc["P3", "new_notice"]
    assert f.loc["P4", "expected_handover"] == D(2018, 7, 2) and f.loc["P4", "expected"] == {}
    # P5 has not started by 12-31 (its meeting of 2019-01-05 is after): meeting 30 d later
    assert f.loc["P5", "expected"]["meeting"] == D(2019, 1, 30)


def test_zones_take_their_latest_open_parcel():
    z = forecast_zones(forecast_parcels(STEPS, PARCELS, AT), AT)
    # Y: P2 (2019-09-16) and P5, not started: meeting 2019-01-30; notice + 11 d (the recent pace: P1, P2, P3
    # gave their notice 14, 11 and 8 days after the meeting) → 02-10; inventory 03-12, posted 05-11,
    # consultation 08-09, appraisal 09-20, approval 09-27, payment 10-27, handover 11-26
    assert z.values.tolist() == [["Y", 2, D(2019, 11, 26), False], ["Z", 2, D(2019, 7, 18), True]]
    assert paces(STEPS, PARCELS, AT).set_index(["zone_code", "step"]).loc[("Y", "notice")].tolist() == [11.0, 3, "all"]


def test_recent_pace_replaces_the_legal_limit():
    # three parcels of zone Q paid 20, 25 and 40 days after approval within the year: pace 25 days
    steps = table([
        ("Q1", "approval", "2018-09-01"), ("Q1", "payment", "2018-09-21"),
        ("Q2", "approval", "2018-10-01"), ("Q2", "payment", "2018-10-26"),
        ("Q3", "approval", "2018-11-01"), ("Q3", "deposit", "2018-12-11"),
        ("Q4", "approval", "2018-12-20"),
        ("Q0", "approval", "2017-01-01"), ("Q0", "payment", "2017-12-01"),  # outside the 365-day window
    ])
    parcels = pd.DataFrame({"code": ["Q0", "Q1", "Q2", "Q3", "Q4"], "zone_code": "Q"})
    p = paces(steps, parcels, AT).set_index("step")
    assert p.loc["payment"].tolist() == ["Q", 25.0, 3, "zone"]
    assert p.loc["decision"].tolist() == ["Q", 10.0, 0, "legal"]
    assert p.loc["publication"].tolist() == ["Q", 5.0, 0, "planning"]
    f = forecast_parcels(steps, parcels, AT).set_index("parcel_code")
    # Q4: payment 12-20 + 25 = 2019-01-14; decision 12-30 → not before 12-31; handover 01-14 + 30 = 02-13
    assert f.loc["Q4", "expected"]["payment"] == D(2019, 1, 14)
    assert f.loc["Q4", "expected"]["decision"] == D(2018, 12, 31)
    assert f.loc["Q4", "expected_handover"] == D(2019, 2, 13)
    # a zone with fewer than three recent steps borrows the other zones' pace
    two = pd.DataFrame({"code": ["Q0", "Q1", "Q2", "Q3", "Q4"], "zone_code": ["R", "R", "Q", "Q", "Q"]})
    p = paces(steps, two, AT).set_index(["zone_code", "step"])
    assert p.loc[("Q", "payment")].tolist() == [25.0, 3, "all"]


def test_parcels_with_the_same_steps_share_a_forecast_and_an_unknown_step_is_refused():
    steps = table([("A", "meeting", "2018-06-01"), ("B", "meeting", "2018-06-01"), ("C", "meeting", "2018-06-01"),
                   ("C", "notice", ""), ("D", "meeting", "")])
    parcels = pd.DataFrame({"code": ["A", "B", "C", "D", "E"], "zone_code": ["Z"] * 5})
    f = forecast_parcels(steps, parcels, AT).set_index("parcel_code")
    assert f.loc["A", "expected"] == f.loc["B", "expected"] != f.loc["C", "expected"]
    assert "notice" in f.loc["A", "expected"] and "notice" not in f.loc["C", "expected"]
    assert f.loc["D", "expected"] != f.loc["E", "expected"] and "meeting" in f.loc["E", "expected"]
    with pytest.raises(ValueError, match="'visit' is not a valid Step"):
        forecast_parcels(pd.concat([steps, table([("E", "visit", "")])]), parcels, AT)
