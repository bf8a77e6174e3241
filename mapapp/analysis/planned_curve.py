"""The planned curve of a work: linear from ``planned_start`` (0 %) to ``planned_end`` (100 %), or the piecewise-linear
interpolation of planned S-curve points ``(date, pct)``; the chart of planned against actual; the curve as text
(``YYYY-MM-DD:pct;…``) as the board enters it. The rules are :mod:`mapapp.analysis.progress`'s "Plan"."""
from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date

from mapapp.analysis.progress_reports import Report, reports_until
from mapapp.refusals import Reason

Curve = Sequence[tuple[date, float]]


def plan_points(start: date, end: date, curve: Curve | None) -> list[tuple[int, float]]:
    """The plan as ``(ordinal day, pct)`` breakpoints, non-decreasing in both."""
    if start > end:
        raise ValueError(f"planned_start {start} is after planned_end {end}")
    if not curve:
        return [(start.toordinal(), 0.0), (end.toordinal(), 100.0)]
    points = sorted((d.toordinal(), min(max(float(p), 0.0), 100.0)) for d, p in curve)
    if any(b[1] < a[1] for a, b in zip(points, points[1:])):
        raise ValueError("curve: planned percentages must not decrease over time")
    if start.toordinal() < points[0][0]:
        points.insert(0, (start.toordinal(), 0.0))
    if end.toordinal() > points[-1][0]:
        points.append((end.toordinal(), 100.0))
    return points


def interpolate(points: list[tuple[int, float]], x: float) -> float:
    """Piecewise-linear value at ``x``; a repeated date is a step up at that date."""
    xs = [p[0] for p in points]
    if x < xs[0]:
        return points[0][1]
    if x >= xs[-1]:
        return points[-1][1]
    i = bisect_right(xs, x) - 1
    (x0, p0), (x1, p1) = points[i], points[i + 1]
    return p0 + (p1 - p0) * (x - x0) / (x1 - x0)


def planned_percent(start: date, end: date, at: date, curve: Curve | None = None) -> float:
    """Planned cumulative percent at ``at`` (linear, or the S-curve if given)."""
    return interpolate(plan_points(start, end, curve), at.toordinal())


def add_months(d: date, months: int) -> date:
    """``d`` plus whole months, the day clamped to the month's length (31 Jan + 1 = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def s_curve(
    planned_start: date,
    planned_end: date,
    reports: Sequence[Report],
    at: date,
    curve: Curve | None = None,
) -> dict[str, list[tuple[str, float]]]:
    """Planned vs. actual cumulative percent, ready for a chart.

    The plan is sampled monthly from ``planned_start`` to ``max(planned_end, at)``,
    plus ``planned_end``, that last date and the curve's own points, so the line
    keeps its kinks and reaches 100 % exactly at the planned end.
    """
    points = plan_points(planned_start, planned_end, curve)
    last = max(planned_end, at)
    days = {planned_start, planned_end, last}
    k = 1
    while (d := add_months(planned_start, k)) < last:
        days.add(d)
        k += 1
    days.update(d for d, _ in (curve or ()) if planned_start <= d <= last)
    planned = [(d.isoformat(), interpolate(points, d.toordinal())) for d in sorted(days)]
    actual = [(r.date.isoformat(), float(r.percent)) for r in reports_until(reports, at)]
    return {"planned": planned, "actual": actual}


def parse_curve(text: str) -> list[tuple[date, float]]:
    """``YYYY-MM-DD:pct;…`` to curve points; ValueError unless dates and percents both increase within 0..100."""
    points: list[tuple[date, float]] = []
    for part in (p.strip() for p in str(text).split(";")):
        if not part:
            continue
        day, sep, pct = part.partition(":")
        try:
            point = (date.fromisoformat(day.strip()), float(pct))
        except ValueError:
            raise ValueError(Reason("curve.not_point", part=repr(part))) from None
        if not sep or not 0 <= point[1] <= 100:
            raise ValueError(Reason("curve.percent", part=repr(part)))
        if points and (point[0] <= points[-1][0] or point[1] < points[-1][1]):
            raise ValueError(Reason("curve.order", part=repr(part)))
        points.append(point)
    if not points:
        raise ValueError(Reason("curve.empty"))
    return points


def format_curve(points: Sequence[tuple[date, float]]) -> str:
    return ";".join(f"{d.isoformat()}:{p:g}" for d, p in points)
