from datetime import date, timedelta

import pytest

from mapapp.analysis.progress import (
    Report,
    Thresholds,
    latest_report,
    planned_percent,
    s_curve,
    schedule_state,
    validate_report,
)

pytestmark = pytest.mark.dates  # speaks of late, stale or today: must hold at every hour

START = date(2024, 1, 1)
END = START + timedelta(days=100)


def day(n: int) -> date:
    return START + timedelta(days=n)


def state(reports, at_day, **kw):
    return schedule_state(START, END, reports, day(at_day), **kw)


# planned_percent


def test_planned_linear_midpoint_and_bounds():
    assert planned_percent(START, END, day(50)) == 50.0
    assert planned_percent(START, END, day(25)) == 25.0
    assert planned_percent(START, END, day(-1)) == 0.0
    assert planned_percent(START, END, END) == 100.0
    assert planned_percent(START, END, day(400)) == 100.0


def test_planned_start_equals_end_is_a_step():
    assert planned_percent(START, START, day(-1)) == 0.0
    assert planned_percent(START, START, START) == 100.0
    assert planned_percent(START, START, day(5)) == 100.0


def test_planned_curve_piecewise_linear_and_anchored():
    curve = [(day(60), 20.0), (day(20), 10.0)]  # unsorted on purpose
    assert planned_percent(START, END, day(10), curve) == 5.0  # anchored at (start, 0)
    assert planned_percent(START, END, day(40), curve) == 15.0
    assert planned_percent(START, END, day(80), curve) == 60.0  # towards (end, 100)
    assert planned_percent(START, END, END, curve) == 100.0


def test_planned_curve_clamped_and_must_not_decrease():
    assert planned_percent(START, END, day(50), [(day(50), 130.0)]) == 100.0
    with pytest.raises(ValueError, match="must not decrease"):
        planned_percent(START, END, day(50), [(day(10), 30.0), (day(20), 10.0)])


def test_planned_start_after_end_refused():
    with pytest.raises(ValueError, match="after planned_end"):
        planned_percent(END, START, day(50))


# latest_report


def test_latest_report_ignores_future_and_breaks_ties_by_list_order():
    a, b, c, d = Report(day(10), 5), Report(day(20), 10), Report(day(20), 12), Report(day(30), 40)
    reports = [d, a, b, c]
    assert latest_report(reports, day(25)) is c
    assert latest_report(reports) is d
    assert latest_report(reports, day(5)) is None


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


# s_curve


def test_s_curve_monthly_plan_and_actual_up_to_at():
    reports = [Report(day(45), 40), Report(day(10), 5), Report(day(200), 100)]
    chart = s_curve(START, END, reports, day(120))
    planned = dict(chart["planned"])
    assert chart["planned"][0] == ("2024-01-01", 0.0)
    assert planned["2024-02-01"] == 31.0
    assert planned[END.isoformat()] == 100.0
    assert chart["planned"][-1] == (day(120).isoformat(), 100.0)
    assert [d for d, _ in chart["planned"]] == sorted(planned)
    assert chart["actual"] == [(day(10).isoformat(), 5.0), (day(45).isoformat(), 40.0)]


def test_s_curve_keeps_curve_points_and_clamps_month_ends():
    start = date(2024, 1, 31)
    chart = s_curve(start, date(2024, 5, 31), [], date(2024, 3, 1), curve=[(date(2024, 3, 10), 50.0)])
    days = [d for d, _ in chart["planned"]]
    assert "2024-02-29" in days and "2024-03-10" in days
    assert dict(chart["planned"])["2024-03-10"] == 50.0


# validate_report


TODAY = day(60)


@pytest.mark.parametrize("bad", ["abc", None, True, -1, 100.5, float("nan")])
def test_validate_refuses_bad_percent(bad):
    with pytest.raises(ValueError, match=r"^percent: .*0 .*100") as err:
        validate_report(bad, day(50), TODAY, [])
    assert "\n" not in str(err.value)


def test_validate_accepts_numeric_string_and_bounds():
    assert validate_report("42.5", day(50), TODAY, []) == []
    assert validate_report(0, day(50), TODAY, []) == []
    assert validate_report(100, TODAY, TODAY, []) == []


def test_validate_refuses_future_and_invalid_date():
    with pytest.raises(ValueError, match=r"^date: .*future"):
        validate_report(10, day(61), TODAY, [])
    with pytest.raises(ValueError, match=r"^date: .*YYYY-MM-DD"):
        validate_report(10, "31/12/2024", TODAY, [])
    assert validate_report(10, day(30).isoformat(), TODAY, []) == []


def test_validate_decrease_is_a_warning_quoting_the_note():
    previous = [Report(day(20), 30), Report(day(40), 50)]
    (warning,) = validate_report(45, day(50), TODAY, previous)
    assert warning.startswith("percent: 45% ") and "2024-02-10 (50%)" in warning
    warnings = validate_report(45, day(50), TODAY, previous, note="đo đạc lại / re-survey")
    assert len(warnings) == 1 and "re-survey" in warnings[0]


def test_validate_backdated_report_compared_with_earlier_and_later():
    previous = [Report(day(20), 30), Report(day(40), 50)]
    older = "is older than the latest report"
    assert [w for w in validate_report(35, day(30), TODAY, previous) if older not in w] == []
    lower = validate_report(25, day(30), TODAY, previous)
    assert any("lower than the report of 2024-01-21 (30%)" in w for w in lower) and any(older in w for w in lower)
    warnings = validate_report(55, day(30), TODAY, previous)
    assert len(warnings) == 2 and "later report" in warnings[1] and older in warnings[0]


def test_validate_warns_on_same_date():
    warnings = validate_report(50, day(40), TODAY, [Report(day(40), 50)])
    assert len(warnings) == 1 and "already exists" in warnings[0]
