"""The five old statuses from the steps, and old-style parcels as steps."""
from __future__ import annotations

from datetime import date as D

import pandas as pd
import pytest

from mapapp.clearance.derive import (
    STATUSES,
    derive_statuses,
    from_old_parcel,
    iso_dates,
    status_from_steps,
)
from mapapp.clearance.procedure import AGRICULTURAL, Step, check_steps


@pytest.mark.parametrize("steps, complaint, expected", [
    ([], False, "not_started"),
    (["meeting"], False, "negotiating"),
    (["meeting", "notice", "inventory", "plan_posted"], False, "negotiating"),
    (["meeting", "notice", "approval", "payment"], False, "compensated"),
    (["approval", "deposit"], False, "compensated"),
    (["approval", "payment", "decision", "handover"], False, "cleared"),
    (["approval", "payment", "decision", "handover"], True, "cleared"),
    (["meeting", "notice"], True, "disputed"),
    (["approval", "payment", "decision", "enforcement"], False, "disputed"),
    ([], True, "disputed"),
])
def test_status_from_steps(steps, complaint, expected):
    assert status_from_steps(steps, complaint) == expected


def test_derive_statuses_at_a_date():
    steps = pd.DataFrame([
        ("A", "meeting", "2018-01-02"), ("A", "notice", "2018-01-10"),
        ("B", "approval", "2018-05-15"), ("B", "payment", "2018-06-20"), ("B", "handover", "2018-07-02"),
        ("C", "meeting", ""),  # undated (old-style import): done
        ("D", "meeting", "2018-02-01"),
    ], columns=["parcel_code", "step", "date"])
    complaints = pd.DataFrame([("D", "2018-03-01", "2018-09-01")], columns=["parcel_code", "filed", "settled"])
    codes = ["A", "B", "C", "D", "E"]
    assert derive_statuses(codes, steps, complaints, D(2018, 6, 30)).tolist() == [
        "negotiating", "compensated", "negotiating", "disputed", "not_started"]
    assert derive_statuses(codes, steps, complaints, D(2018, 12, 31)).tolist() == [
        "negotiating", "cleared", "negotiating", "negotiating", "not_started"]
    assert derive_statuses(codes, steps, None, D(2018, 1, 5)).tolist() == [
        "negotiating", "not_started", "negotiating", "not_started", "not_started"]


def test_unknown_step_refused():
    with pytest.raises(ValueError, match="unknown paid"):
        derive_statuses(["A"], pd.DataFrame([("A", "paid", "")], columns=["parcel_code", "step", "date"]), None, D(2018, 1, 1))


@pytest.mark.parametrize("status", STATUSES)
def test_an_old_parcel_round_trips(status):
    rec = from_old_parcel("GP-SH-01", status, owner="Hộ gia đình GP-SH-01-1", households=3)
    assert rec["household"] == {"code": "GP-SH-01-H1", "name": "Hộ gia đình GP-SH-01-1", "kind": "household", "members": 3}
    assert rec["link"] == {"household_code": "GP-SH-01-H1", "parcel_code": "GP-SH-01"}
    assert status_from_steps([s.step for s in rec["steps"]], bool(rec["complaints"])) == status
    check_steps(rec["steps"], AGRICULTURAL)  # in a legal order


def test_an_old_parcel_without_owner_gets_a_placeholder():
    rec = from_old_parcel("GP-TPT-07", "cleared")
    assert rec["household"]["name"] == "Hộ gia đình GP-TPT-07-1"
    assert [s.step for s in rec["steps"]][-1] == Step.HANDOVER and all(s.date is None for s in rec["steps"])
    with pytest.raises(ValueError, match="not one of"):
        from_old_parcel("X", "done")


@pytest.mark.parametrize("cells", [["2018-01-02", "", None, "2018-01-02", "2017-12-31"], ["", ""], [], [None, float("nan")],
                                   [D(2018, 1, 2), "2018-01-03", ""], ["2018-01-02T10:30:00", "2018-01-02"]])
def test_iso_dates_are_those_of_to_datetime(cells):
    column = pd.Series(cells, dtype=object, name="date")
    pd.testing.assert_series_equal(iso_dates(column), pd.to_datetime(column.replace("", None), format="ISO8601"), check_exact=True)


def test_iso_dates_refuse_as_to_datetime():
    column = pd.Series(["2018-01-02", "2018-01-02", "soon"], dtype=object)
    with pytest.raises(ValueError) as expected:
        pd.to_datetime(column.replace("", None), format="ISO8601")
    with pytest.raises(ValueError) as refused:
        iso_dates(column)
    assert str(refused.value) == str(expected.value)
