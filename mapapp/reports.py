"""Filing a progress report: through the one write path, checked in full before anything is stored.

A report is appended to the project's history (never overwriting), the project's
``progress_pct`` becomes its latest report's percent (one truth per fact) and its
version goes up, and the audit log records who filed it, how and what changed.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select, update

from mapapp import clock
from mapapp.analysis.progress_reports import Report, latest_report, validate_report
from mapapp.changes import journal
from mapapp.changes.model import Actor
from mapapp.errors import ConfirmationNeeded, ReportRefused, VersionConflict
from mapapp.refusals import Both, Reason, reason_of
from mapapp.store import schema
from mapapp.store.backend import Store
from mapapp.values import parse_number, parse_text

NOTE_MAX = 2000
NAME_MAX = 200


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
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = parse_number(value)
    except ValueError as exc:
        raise ReportRefused(reason_of(exc), field=name) from None
    if number < 0 or number > 9e15:
        raise ReportRefused(Reason("report.range", value=repr(value)), field=name)
    return number


def _text(name: str, value: Any, limit: int) -> str:
    try:
        return parse_text(value or "", limit)
    except ValueError as exc:
        raise ReportRefused(reason_of(exc), field=name) from None


def _percent(value: Any) -> Any:
    """The percent as given, or its number when it is number text (``validate_report`` checks the range)."""
    if isinstance(value, str) and value.strip():
        try:
            return parse_number(value)
        except ValueError:
            raise ReportRefused(Reason("report.percent", value=repr(value)), field="percent") from None
    if isinstance(value, float) and value != value:
        raise ReportRefused(Reason("report.percent", value="NaN"), field="percent")
    return value


def _set_progress(store: Store, conn, project_code: str, actor: Actor, stamp: str) -> float | None:
    """The project's progress_pct := its latest report's percent (one truth per fact); version + 1."""
    projects = schema.layer_tables["projects"]
    latest = latest_report(as_reports(store.reports(project_code, conn)))
    percent = None if latest is None else latest.percent
    conn.execute(update(projects).where(projects.c.code == project_code).values(
        progress_pct=percent, version=projects.c.version + 1, changed_at=stamp, changed_by=actor.name))
    return percent


def withdraw_report(store: Store, report_id: int, actor: Actor, reverts: int | None = None) -> float | None:
    """Mark a report withdrawn (it stays in the history, marked); the project's progress follows. Returns it."""
    table = schema.progress_reports
    with store.writing() as conn:
        row = conn.execute(select(table).where(table.c.id == report_id)).mappings().first()
        if row is None or row["withdrawn_at"] is not None:
            raise ReportRefused(Reason("report.withdrawn", id=report_id))
        stamp = clock.stamp()
        before = conn.execute(select(schema.layer_tables["projects"].c.progress_pct).where(
            schema.layer_tables["projects"].c.code == row["project_code"])).scalar()
        conn.execute(update(table).where(table.c.id == report_id).values(withdrawn_at=stamp, withdrawn_by=actor.name))
        percent = _set_progress(store, conn, row["project_code"], actor, stamp)
        journal.write(conn, [journal.entry(
            journal.new_change_id(), actor, "withdraw", layer="projects", code=row["project_code"],
            before={"progress_pct": before, "report": {"id": report_id, "withdrawn": False}},
            after={"progress_pct": percent, "report": {"id": report_id, "withdrawn": True}}, reverts=reverts,
        )])
        store._set_meta(conn, "data_changed_at", stamp)
    return percent


def add_report(
    store: Store,
    project_code: str,
    *,
    percent: Any,
    date: Any,
    note: Any = "",
    disbursed_vnd: Any = None,
    reached_m: Any = None,
    reported_by: Any = "",
    actor: Actor | None = None,
    confirm: bool = False,
    if_version: int | None = None,
    today: dt.date | None = None,
) -> dict:
    """Validate and append a report; :class:`ReportRefused` (one line) stores nothing.

    Warnings (progress or disbursement going down, a report older than the latest,
    two reports on one date) raise :class:`ConfirmationNeeded` unless ``confirm``;
    confirmed, they are recorded with the change. ``if_version`` is the project
    version the writer's form was opened on (:class:`VersionConflict` if it moved).
    Returns the stored row, with the confirmed warnings under ``warnings``.
    """
    actor = actor or Actor.command_line()
    disbursed = _optional_number("disbursed", disbursed_vnd)
    reached = _optional_number("reached", reached_m)
    note_text = _text("note", note, NOTE_MAX)
    by = _text("reported_by", reported_by, NAME_MAX)
    projects = schema.layer_tables["projects"]
    with store.writing() as conn:
        project = conn.execute(
            select(projects.c.progress_pct, projects.c.version, projects.c.changed_by, projects.c.changed_at)
            .where(projects.c.code == project_code, projects.c.retired_at.is_(None))
        ).mappings().first()
        if project is None:
            known = sorted(store.codes("projects", conn))
            raise ReportRefused(Reason("report.unknown_project", code=repr(project_code),
                                       known=", ".join(known) or Both("không có", "none")), field="project")
        if if_version is not None and int(project["version"] or 1) != int(if_version):
            raise VersionConflict("projects", project_code, int(project["version"] or 1), project["changed_by"], project["changed_at"])
        previous = as_reports(store.reports(project_code, conn))
        try:
            warnings = validate_report(_percent(percent), date, today or clock.today(), previous, note=note_text)
        except ValueError as exc:
            raise ReportRefused(reason_of(exc)) from None
        day = dt.date.fromisoformat(str(date).strip()[:10])
        last_paid = latest_report([r for r in previous if r.disbursed_vnd is not None], day)
        if disbursed is not None and last_paid is not None and disbursed < float(last_paid.disbursed_vnd):
            warnings.append(
                f"disbursed: {disbursed:,.0f} VND thấp hơn / is lower than the {float(last_paid.disbursed_vnd):,.0f} VND "
                f"reported on {last_paid.date.isoformat()}"
            )
        if warnings and not confirm:
            raise ConfirmationNeeded(warnings)
        row = {
            "project_code": project_code,
            "date": day.isoformat(),
            "percent": float(_percent(percent)),
            "disbursed_vnd": disbursed,
            "reached_m": reached,
            "note": note_text,
            "reported_by": by,
            "created_at": clock.stamp(),
        }
        report_id = conn.execute(insert(schema.progress_reports).values(**row)).inserted_primary_key[0]
        latest = _set_progress(store, conn, project_code, actor, row["created_at"])
        journal.write(conn, [journal.entry(
            journal.new_change_id(), actor, "report", layer="projects", code=project_code,
            before={"progress_pct": project["progress_pct"]},
            after={"progress_pct": latest, "report": {"id": report_id, **{k: v for k, v in row.items() if k != "project_code"}}},
            warnings=warnings,
        )])
        store._set_meta(conn, "data_changed_at", row["created_at"])
    return {**row, "warnings": warnings}

