"""The planned curve of a work (linear or S-curve) and its chart: mapapp.analysis.planned_curve."""
from datetime import date, timedelta

import pytest

from mapapp.analysis.planned_curve import planned_percent, s_curve
from mapapp.analysis.progress_reports import Report

START = date(2024, 1, 1)
END = START + timedelta(days=100)


def day(n: int) -> date:
    return START + timedelta(days=n)


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
