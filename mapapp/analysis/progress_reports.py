"""Progress reports of a work: the report as filed, the reports known on a date, and the checks a new report passes
before it is stored (refusals name the field, Vietnamese / English; warnings the writer must confirm)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Real

from mapapp.refusals import Reason


@dataclass(frozen=True)
class Report:
    """One progress report of a work, as the responsible unit filed it."""

    date: date
    percent: float
    disbursed_vnd: float | None = None
    note: str = ""
    reported_by: str = ""
    reached_m: float | None = None


def reports_until(reports: Sequence[Report], at: date | None) -> list[Report]:
    """Reports dated <= ``at``, by date; same-date reports keep their list order."""
    kept = [r for r in reports if at is None or r.date <= at]
    return sorted(kept, key=lambda r: r.date)


def latest_report(reports: Sequence[Report], at: date | None = None) -> Report | None:
    """Latest report dated <= ``at`` (ties: the later in list order)."""
    kept = reports_until(reports, at)
    return kept[-1] if kept else None


def _as_percent(percent: object) -> float:
    bad = ValueError(Reason(
        "report.percent_range", f"percent: phải là số từ 0 đến 100 / must be a number from 0 to 100 (got {percent!r})",
        value=repr(percent),
    ))
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
        raise ValueError(Reason(
            "report.invalid_date", f"date: ngày không hợp lệ, cần YYYY-MM-DD / invalid date, expected YYYY-MM-DD (got {value!r})",
            value=repr(value),
        )) from None


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
        raise ValueError(Reason(
            "report.future_date", f"date: {day.isoformat()} là ngày trong tương lai / is in the future (today is {today.isoformat()})",
            day=day.isoformat(), today=today.isoformat(),
        ))
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
    later_lower = [r for r in reports_until(previous, None) if r.date > day and r.percent < value]
    if later_lower:
        r = later_lower[0]
        warnings.append(
            f"percent: {value:g}% cao hơn báo cáo sau đó ngày {r.date.isoformat()} ({r.percent:g}%) / "
            f"higher than the later report of {r.date.isoformat()} ({r.percent:g}%)"
        )
    return warnings
