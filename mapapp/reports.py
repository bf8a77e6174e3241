"""Filing a progress report: checked in full before anything is stored."""
from __future__ import annotations

import datetime as dt
from typing import Any

from mapapp import clock
from mapapp.analysis.progress import Report, validate_report
from mapapp.errors import ReportRefused
from mapapp.store.backend import Store


def as_reports(rows: list[dict]) -> list[Report]:
    """Stored report rows as analysis :class:`Report` objects, oldest first."""
    return [
        Report(
            date=dt.date.fromisoformat(r["date"]),
            percent=float(r["percent"]),
            disbursed_vnd=r.get("disbursed_vnd"),
            note=r.get("note") or "",
            reported_by=r.get("reported_by") or "",
            reached_m=r.get("reached_m"),
        )
        for r in rows
    ]


def _optional_number(name: str, value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ReportRefused(f"{name}: {value!r} is not a number") from None
    if number < 0 or number != number:
        raise ReportRefused(f"{name}: {value!r} must be a number >= 0")
    return number


def add_report(
    store: Store,
    project_code: str,
    *,
    percent: Any,
    date: Any,
    note: str = "",
    disbursed_vnd: Any = None,
    reached_m: Any = None,
    reported_by: str = "",
    today: dt.date | None = None,
) -> dict:
    """Validate and append a report; :class:`ReportRefused` (one line) stores nothing.

    Returns the stored row, with any warnings under ``warnings``.
    """
    known = store.codes("projects")
    if project_code not in known:
        raise ReportRefused(f"project: {project_code!r} does not exist (known: {', '.join(sorted(known)) or 'none'})")
    disbursed = _optional_number("disbursed", disbursed_vnd)
    reached = _optional_number("reached", reached_m)
    previous = as_reports(store.reports(project_code))
    try:
        warnings = validate_report(percent, date, today or clock.today(), previous, note=note)
    except ValueError as exc:
        raise ReportRefused(str(exc)) from None
    row = store.add_report(
        project_code,
        {
            "date": dt.date.fromisoformat(str(date).strip()[:10]).isoformat(),
            "percent": float(percent),
            "disbursed_vnd": disbursed,
            "reached_m": reached,
            "note": note.strip(),
            "reported_by": reported_by.strip(),
        },
    )
    return {**row, "warnings": warnings}
