"""Schedule state of a work (project) from its plan and its progress reports.

Leaders use the map to check whether the works named in notice 19/TB-VP.UBND
are on time, so the rules below are the project's documented thresholds and
every number shown on the map comes from here.

Time
    The ``at`` date is "today": the map can show a past date, so only reports
    dated ``<= at`` count; later reports are ignored.

Plan
    Without a curve the plan is linear: 0 % before ``planned_start``, 100 % from
    ``planned_end`` on. With a curve (planned S-curve points ``(date, pct)``)
    the plan is the piecewise-linear interpolation of those points, anchored at
    ``(planned_start, 0)`` / ``(planned_end, 100)`` when the curve does not
    already cover those dates; percentages are clamped to 0..100 and a curve
    must not decrease (it is cumulative).

Status (``ScheduleState.status``), first rule that applies:
    ``done``         the latest report says >= 100 %.
    ``late``         ``at`` is past ``planned_end`` and the work is not done,
                     whatever the slip and even with no report at all.
    ``not_started``  no report yet and ``at`` is before ``planned_start``.
    ``no_report``    no report although the work should have started: a warning
                     sign of its own (the actual progress is unknown, so the
                     slip is ``None``), shown next to ``at_risk``/``late``.
    otherwise, with ``slip = planned % - actual %`` (positive = behind):
    ``on_track``     slip <= ``Thresholds.at_risk_slip`` (5 percentage points),
    ``at_risk``      slip <= ``Thresholds.late_slip`` (15 percentage points),
    ``late``         slip >  ``Thresholds.late_slip``.

Staleness
    ``stale`` is a separate flag, not a status, so "late + stale" stays
    visible: the last report is more than ``Thresholds.stale_days`` (60) days
    older than ``at`` and the work is not done.

Days late
    The lag behind the plan in days: ``at`` minus the last date on which the
    plan was still at or below the actual percent (whole days, 0 if ahead);
    past ``planned_end`` and not done it is at least ``at - planned_end``. A
    done work keeps the lag it finished with (completion report vs. the date the
    plan reached 100 %). With no report only the past-end lower bound is known.

Reports going backwards
    A report may lower the percent of an earlier-dated report only with a note
    (e.g. a re-survey found less work done); see ``validate_report``.
"""
from __future__ import annotations

import calendar
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from numbers import Real

NOT_STARTED = "not_started"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
LATE = "late"
DONE = "done"
NO_REPORT = "no_report"
STATUSES = (NOT_STARTED, ON_TRACK, AT_RISK, LATE, DONE, NO_REPORT)

# Planned percentages come out of float interpolation (e.g. 33.333...); without a
# tolerance a slip that is "exactly" on a threshold could flip to the worse status.
_EPS = 1e-9

Curve = Sequence[tuple[date, float]]


@dataclass(frozen=True)
class Report:
    """One progress report of a work, as the responsible unit filed it."""

    date: date
    percent: float
    disbursed_vnd: float | None = None
    note: str = ""
    reported_by: str = ""
    reached_m: float | None = None


@dataclass(frozen=True)
class Thresholds:
    """Slips in percentage points of the plan, staleness in days."""

    at_risk_slip: float = 5.0
    late_slip: float = 15.0
    stale_days: int = 60

    def __post_init__(self) -> None:
        if not 0 <= self.at_risk_slip <= self.late_slip:
            raise ValueError(
                f"thresholds: need 0 <= at_risk_slip <= late_slip "
                f"(got {self.at_risk_slip}, {self.late_slip})"
            )
        if self.stale_days < 0:
            raise ValueError(f"thresholds: stale_days must be >= 0 (got {self.stale_days})")


@dataclass(frozen=True)
class ScheduleState:
    planned_pct: float
    actual_pct: float | None
    slip_pct: float | None
    status: str
    days_late: int
    last_report: Report | None
    stale: bool
    forecast_end: date | None


def _plan_points(start: date, end: date, curve: Curve | None) -> list[tuple[int, float]]:
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


def _interpolate(points: list[tuple[int, float]], x: float) -> float:
    """Piecewise-linear value at ``x``; a repeated date is a step up at that date."""
    xs = [p[0] for p in points]
    if x < xs[0]:
        return points[0][1]
    if x >= xs[-1]:
        return points[-1][1]
    i = bisect_right(xs, x) - 1
    (x0, p0), (x1, p1) = points[i], points[i + 1]
    return p0 + (p1 - p0) * (x - x0) / (x1 - x0)


def _last_day_at_or_below(points: list[tuple[int, float]], pct: float) -> float | None:
    """Last ordinal day the plan was still <= ``pct`` (None: the plan never exceeds it)."""
    j = next((k for k, (_, p) in enumerate(points) if p > pct + _EPS), None)
    if j is None:
        return None
    if j == 0:
        return float(points[0][0])
    (x0, p0), (x1, p1) = points[j - 1], points[j]
    return x0 + (x1 - x0) * (pct - p0) / (p1 - p0)


def planned_percent(start: date, end: date, at: date, curve: Curve | None = None) -> float:
    """Planned cumulative percent at ``at`` (linear, or the S-curve if given)."""
    return _interpolate(_plan_points(start, end, curve), at.toordinal())


def _ordered(reports: Sequence[Report], at: date | None) -> list[Report]:
    """Reports dated <= ``at``, by date; same-date reports keep their list order."""
    kept = [r for r in reports if at is None or r.date <= at]
    return sorted(kept, key=lambda r: r.date)


def latest_report(reports: Sequence[Report], at: date | None = None) -> Report | None:
    """Latest report dated <= ``at`` (ties: the later in list order)."""
    kept = _ordered(reports, at)
    return kept[-1] if kept else None


def _completion_date(ordered: list[Report]) -> date:
    """Date of the first report of the final run of >= 100 % reports."""
    done_at = ordered[-1].date
    for r in reversed(ordered):
        if r.percent < 100:
            break
        done_at = r.date
    return done_at


def _days_late(
    points: list[tuple[int, float]], actual: float | None, at: date, end: date, done_on: date | None
) -> int:
    """Whole days the progress lags the plan, see the module docstring."""
    if done_on is not None:
        plan_done = next((x for x, p in points if p >= 100), end.toordinal())
        return max(0, done_on.toordinal() - plan_done)
    past_end = max(0, (at - end).days)
    if actual is None:
        return past_end
    on_plan_until = _last_day_at_or_below(points, actual)
    if on_plan_until is None:
        return 0
    return max(past_end, math.floor(at.toordinal() - on_plan_until + _EPS))


def _forecast_end(ordered: list[Report], planned_start: date) -> date | None:
    """Linear extrapolation of the pace from the first to the last report.

    With a single report the pace is measured from ``planned_start`` at 0 %.
    """
    if not ordered:
        return None
    last = ordered[-1]
    if last.percent >= 100:
        return _completion_date(ordered)
    first_day, first_pct = ordered[0].date, ordered[0].percent
    if len(ordered) == 1 or first_day == last.date:
        first_day, first_pct = planned_start, 0.0
    days = (last.date - first_day).days
    if days <= 0 or last.percent <= first_pct:
        return None
    pace = (last.percent - first_pct) / days
    return last.date + timedelta(days=math.ceil((100.0 - last.percent) / pace - _EPS))


def _status(planned: float, actual: float | None, at: date, start: date, end: date,
            thresholds: Thresholds) -> str:
    if actual is not None and actual >= 100:
        return DONE
    if at > end:
        return LATE
    if actual is None:
        return NOT_STARTED if at < start else NO_REPORT
    slip = planned - actual
    if slip <= thresholds.at_risk_slip + _EPS:
        return ON_TRACK
    if slip <= thresholds.late_slip + _EPS:
        return AT_RISK
    return LATE


def schedule_state(
    planned_start: date,
    planned_end: date,
    reports: Sequence[Report],
    at: date,
    curve: Curve | None = None,
    thresholds: Thresholds = Thresholds(),
) -> ScheduleState:
    """Where a work stands at ``at`` against its plan (rules in the module docstring)."""
    points = _plan_points(planned_start, planned_end, curve)
    planned = _interpolate(points, at.toordinal())
    ordered = _ordered(reports, at)
    last = ordered[-1] if ordered else None
    actual = float(last.percent) if last else None
    status = _status(planned, actual, at, planned_start, planned_end, thresholds)
    done_on = _completion_date(ordered) if status == DONE else None
    stale = last is not None and status != DONE and (at - last.date).days > thresholds.stale_days
    return ScheduleState(
        planned_pct=planned,
        actual_pct=actual,
        slip_pct=None if actual is None else planned - actual,
        status=status,
        days_late=_days_late(points, actual, at, planned_end, done_on),
        last_report=last,
        stale=stale,
        forecast_end=_forecast_end(ordered, planned_start),
    )


def _add_months(d: date, months: int) -> date:
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
    points = _plan_points(planned_start, planned_end, curve)
    last = max(planned_end, at)
    days = {planned_start, planned_end, last}
    k = 1
    while (d := _add_months(planned_start, k)) < last:
        days.add(d)
        k += 1
    days.update(d for d, _ in (curve or ()) if planned_start <= d <= last)
    planned = [(d.isoformat(), _interpolate(points, d.toordinal())) for d in sorted(days)]
    actual = [(r.date.isoformat(), float(r.percent)) for r in _ordered(reports, at)]
    return {"planned": planned, "actual": actual}


def _as_percent(percent: object) -> float:
    bad = ValueError(
        f"percent: phải là số từ 0 đến 100 / must be a number from 0 to 100 (got {percent!r})"
    )
    if isinstance(percent, bool) or not isinstance(percent, (Real, str)):
        raise bad
    try:
        value = float(percent)
    except ValueError:
        raise bad from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise bad
    return value


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            f"date: ngày không hợp lệ, cần YYYY-MM-DD / invalid date, expected YYYY-MM-DD "
            f"(got {value!r})"
        ) from None


def validate_report(
    percent: object,
    report_date: object,
    today: date,
    previous: Sequence[Report] = (),
    *,
    note: str = "",
) -> list[str]:
    """Check a new report before it is stored; raise ``ValueError`` or return warnings.

    Refused (one-line ``ValueError`` naming the field, Vietnamese / English): a
    percent that is not a number or is outside 0..100; a date that is not a date or
    lies after ``today``. Returned warnings, which the writer must confirm (the trust
    issue's rule: warnings never block silently and never pass silently): progress
    lower than the latest report dated on or before it; a report older than the
    latest one; a second report on the same date; a back-dated report higher than a
    later one. ``note`` is quoted in the warning that progress went down. Whether the
    project exists is the caller's check.
    """
    value = _as_percent(percent)
    day = _as_date(report_date)
    if day > today:
        raise ValueError(
            f"date: {day.isoformat()} là ngày trong tương lai / is in the future "
            f"(today is {today.isoformat()})"
        )
    warnings: list[str] = []
    before = latest_report(previous, day)
    if before is not None and value < before.percent:
        why = f"; ghi chú / note: {note.strip()}" if note.strip() else ""
        warnings.append(
            f"percent: {value:g}% thấp hơn báo cáo ngày {before.date.isoformat()} ({before.percent:g}%) / "
            f"lower than the report of {before.date.isoformat()} ({before.percent:g}%){why}"
        )
    newest = latest_report(previous)
    if newest is not None and day < newest.date:
        warnings.append(
            f"date: {day.isoformat()} cũ hơn báo cáo mới nhất ngày {newest.date.isoformat()} / "
            f"is older than the latest report, of {newest.date.isoformat()}"
        )
    if any(r.date == day for r in previous):
        warnings.append(f"date: đã có báo cáo ngày này / a report for {day.isoformat()} already exists")
    later_lower = [r for r in _ordered(previous, None) if r.date > day and r.percent < value]
    if later_lower:
        r = later_lower[0]
        warnings.append(
            f"percent: {value:g}% cao hơn báo cáo sau đó ngày {r.date.isoformat()} ({r.percent:g}%) / "
            f"higher than the later report of {r.date.isoformat()} ({r.percent:g}%)"
        )
    return warnings


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
            raise ValueError(f"{part!r} is not DATE:PERCENT (write YYYY-MM-DD:percent;YYYY-MM-DD:percent;…)") from None
        if not sep or not 0 <= point[1] <= 100:
            raise ValueError(f"{part!r}: the percent must be from 0 to 100")
        if points and (point[0] <= points[-1][0] or point[1] < points[-1][1]):
            raise ValueError(f"{part!r}: dates must increase and percents must not decrease")
        points.append(point)
    if not points:
        raise ValueError("an empty planned curve")
    return points


def format_curve(points: Sequence[tuple[date, float]]) -> str:
    return ";".join(f"{d.isoformat()}:{p:g}" for d, p in points)
