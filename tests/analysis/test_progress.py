"""A work's schedule state from its plan and reports: mapapp.analysis.progress."""
from datetime import date, timedelta

import pytest

from mapapp.analysis.progress import Thresholds, schedule_state
from mapapp.analysis.progress_reports import Report

pytestmark = pytest.mark.dates  # speaks of late, stale or today: must hold at every hour

START = date(2024, 1, 1)
END = START + timedelta(days=100)


def day(n: int) -> date:
    return START + timedelta(days=n)


def state(reports, at_day, **kw):
    return schedule_state(START, END, reports, day(at_day), **kw)


# schedule_state


def test_before_start_without_report_is_not_started():
    s = state([], -10)
    assert (s.planned_pct, s.actual_pct, s.slip_pct, s.status) == (0.0, None, None, "not_started")
    assert s.days_late == 0 and s.stale is False and s.forecast_end is None


def test_no_report_after_start_is_no_report():
    s = state([], 30)
    assert s.status == "no_report"
    assert s.planned_pct == 30.0 and s.slip_pct is None and s.days_late == 0


def test_no_report_past_end_is_late_with_days_past_end():
    s = state([], 120)
    assert s.status == "late" and s.days_late == 20 and s.planned_pct == 100.0


def test_slip_20_is_late_with_default_thresholds():
    s = state([Report(day(50), 30)], 50)
    assert s.slip_pct == 20.0
    assert s.status == "late"
    assert s.days_late == 20  # the plan was at 30 % on day 30


def test_ahead_of_plan_is_on_track_with_zero_days_late():
    s = state([Report(day(50), 70)], 50)
    assert s.slip_pct == -20.0 and s.status == "on_track" and s.days_late == 0


@pytest.mark.parametrize(
    "actual, status",
    [(45.0, "on_track"), (44.9, "at_risk"), (35.0, "at_risk"), (34.9, "late")],
)
def test_status_exactly_at_thresholds(actual, status):
    assert state([Report(day(50), actual)], 50).status == status


def test_thresholds_on_a_third_of_the_plan_do_not_flip_on_float_error():
    start, end = date(2024, 1, 1), date(2024, 1, 4)  # day 1 planned 33.33...
    s = schedule_state(start, end, [Report(start, 100 / 3 - 5)], date(2024, 1, 2))
    assert s.status == "on_track"


def test_custom_thresholds():
    t = Thresholds(at_risk_slip=1.0, late_slip=2.0)
    assert state([Report(day(50), 48.5)], 50, thresholds=t).status == "at_risk"
    with pytest.raises(ValueError):
        Thresholds(at_risk_slip=20.0, late_slip=10.0)


def test_past_end_not_done_is_late_even_with_small_slip():
    s = state([Report(day(100), 98)], 110)
    assert s.planned_pct == 100.0 and s.slip_pct == 2.0
    assert s.status == "late"
    assert s.days_late == 12  # plan was at 98 % on day 98


def test_one_day_past_end_is_late_but_on_the_end_day_is_not():
    assert state([Report(day(100), 98)], 100).status == "on_track"
    s = state([Report(day(100), 98)], 101)
    assert s.status == "late" and s.days_late == 3


def test_past_end_days_late_at_least_days_past_end():
    curve = [(day(0), 0.0), (day(100), 90.0), (day(150), 100.0)]  # plan extends past end
    s = state([Report(day(105), 95)], 110, curve=curve)
    assert s.status == "late" and s.days_late == 10


def test_done_early_has_zero_days_late_and_is_not_stale():
    s = state([Report(day(40), 60), Report(day(80), 100)], 300)
    assert s.status == "done" and s.days_late == 0 and s.stale is False
    assert s.forecast_end == day(80)


def test_done_late_keeps_its_final_lag():
    s = state([Report(day(110), 100), Report(day(130), 100)], 300)
    assert s.status == "done" and s.days_late == 10 and s.forecast_end == day(110)


def test_reports_after_at_are_ignored():
    reports = [Report(day(20), 20), Report(day(60), 100)]
    s = state(reports, 50)
    assert s.actual_pct == 20.0 and s.last_report == reports[0]
    assert s.status == "late" and s.slip_pct == 30.0


def test_curve_drives_the_status():
    curve = [(day(0), 0.0), (day(50), 10.0), (day(90), 90.0)]
    s = state([Report(day(50), 8)], 50, curve=curve)
    assert s.planned_pct == 10.0 and s.status == "on_track"
    assert s.days_late == 10  # plan reached 8 % on day 40
    linear = state([Report(day(50), 8)], 50)
    assert linear.status == "late"


def test_plateau_in_curve_counts_lag_from_its_end():
    curve = [(day(30), 30.0), (day(60), 30.0)]
    s = state([Report(day(70), 30)], 70, curve=curve)
    assert s.days_late == 10


def test_stale_report_is_flagged_but_keeps_schedule_status():
    s = state([Report(day(10), 5)], 71)
    assert s.stale is True and s.status == "late"
    assert state([Report(day(10), 5)], 70).stale is False  # exactly 60 days old


def test_planned_start_equals_end_does_not_divide_by_zero():
    s = schedule_state(START, START, [Report(START, 40)], START + timedelta(days=3))
    assert s.planned_pct == 100.0 and s.status == "late" and s.days_late == 3
    before = schedule_state(START, START, [], START - timedelta(days=1))
    assert before.status == "not_started" and before.planned_pct == 0.0


def test_forecast_end_from_pace_between_reports():
    s = state([Report(day(10), 10), Report(day(50), 50)], 50)
    assert s.forecast_end == day(100)


def test_forecast_end_single_report_uses_planned_start():
    assert state([Report(day(20), 10)], 20).forecast_end == day(200)


def test_forecast_end_none_without_progress():
    assert state([Report(day(10), 20), Report(day(40), 20)], 40).forecast_end is None
