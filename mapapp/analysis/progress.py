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
    (e.g. a re-survey found less work done); see
    :func:`mapapp.analysis.progress_reports.validate_report`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mapapp.analysis.planned_curve import Curve, interpolate, plan_points
from mapapp.analysis.progress_reports import Report, reports_until

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


def _last_day_at_or_below(points: list[tuple[int, float]], pct: float) -> float | None:
    """Last ordinal day the plan was still <= ``pct`` (None: the plan never exceeds it)."""
    j = next((k for k, (_, p) in enumerate(points) if p > pct + _EPS), None)
    if j is None:
        return None
    if j == 0:
        return float(points[0][0])
    (x0, p0), (x1, p1) = points[j - 1], points[j]
    return x0 + (x1 - x0) * (pct - p0) / (p1 - p0)


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
    points = plan_points(planned_start, planned_end, curve)
    planned = interpolate(points, at.toordinal())
    ordered = reports_until(reports, at)
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
