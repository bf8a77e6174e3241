"""Projects with their schedule state computed from the progress history, at a date."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import geopandas as gpd
from flask import current_app, has_app_context

from mapapp.analysis.planned_curve import parse_curve
from mapapp.analysis.progress import ScheduleState, Thresholds, schedule_state
from mapapp.analysis.progress_reports import latest_report
from mapapp.changes.rules import flags
from mapapp.layers import LAYERS
from mapapp.reports import as_reports
from mapapp.store.backend import Store


def thresholds_in_force() -> Thresholds:
    """The documented defaults, with the staleness the deployment configured (MAPAPP_STALE_DAYS)."""
    if has_app_context():
        return Thresholds(stale_days=current_app.config["MAPAPP"].stale_days)
    return Thresholds()


def planned_curve(text) -> list | None:
    """The project's own planned S-curve, or None for the linear plan."""
    return parse_curve(text) if isinstance(text, str) and text.strip() else None


def project_states(store: Store, frame: gpd.GeoDataFrame, at: dt.date, thresholds: Thresholds | None = None) -> list:
    """One :class:`ScheduleState` per project row (reports after ``at`` do not count)."""
    by_project: dict[str, list[dict]] = defaultdict(list)
    for row in store.reports():
        by_project[row["project_code"]].append(row)
    thresholds = thresholds or thresholds_in_force()
    curves = frame["planned_curve"] if "planned_curve" in frame.columns else [None] * len(frame)
    states = []
    for code, start, end, curve in zip(frame["code"], frame["planned_start"], frame["planned_end"], curves):
        reports = as_reports(by_project.get(code, []))
        if flags(LAYERS["projects"], {"code": code, "planned_start": start, "planned_end": end}):
            states.append(_flagged_state(reports, at))
            continue
        start_d = dt.date.fromisoformat(start) if isinstance(start, str) and start else at
        end_d = dt.date.fromisoformat(end) if isinstance(end, str) and end else start_d
        try:
            states.append(schedule_state(start_d, end_d, reports, at, curve=planned_curve(curve), thresholds=thresholds))
        except ValueError:  # a stored curve a newer rule refuses: flagged, never a broken layer
            states.append(_flagged_state(reports, at))
    return states


def _flagged_state(reports: list, at: dt.date) -> ScheduleState:
    """A stored project whose baseline breaks a rule: no schedule, its latest progress still shown."""
    last = latest_report(reports, at)
    return ScheduleState(planned_pct=0.0, actual_pct=last.percent if last else None, slip_pct=None, status="flagged",
                         days_late=0, last_report=last, stale=False, forecast_end=None)


def with_schedule(store: Store, frame: gpd.GeoDataFrame, at: dt.date) -> gpd.GeoDataFrame:
    """Add schedule_status, planned/actual percent, slip, days late, stale, reached_m, as_of."""
    states = project_states(store, frame, at)
    frame = frame.copy()
    frame["schedule_status"] = [s.status for s in states]
    frame["planned_pct"] = [round(s.planned_pct, 1) for s in states]
    frame["actual_pct"] = [s.actual_pct for s in states]
    frame["slip_pct"] = [None if s.slip_pct is None else round(s.slip_pct, 1) for s in states]
    frame["days_late"] = [s.days_late for s in states]
    frame["stale"] = [s.stale for s in states]
    frame["last_report"] = [s.last_report.date.isoformat() if s.last_report else None for s in states]
    frame["reached_m"] = [s.last_report.reached_m if s.last_report else None for s in states]
    frame["forecast_end"] = [s.forecast_end.isoformat() if s.forecast_end else None for s in states]
    frame["as_of"] = at.isoformat()
    # one truth per fact: the progress the map shows at its date is the latest report's percent then
    frame["progress_pct"] = frame["actual_pct"]
    frame["flags"] = [flags(LAYERS["projects"], row) for row in frame[["code", "planned_start", "planned_end"]].to_dict("records")]
    frame["blocked_by"] = blocking_parcels(store, frame["code"])
    return frame


def blocking_parcels(store: Store, codes) -> list[list[str]]:
    """Per project, the uncleared parcels it crosses (from the conflicts analysis): what holds it up."""
    found = store.attributes("conflicts", ["type", "codes", "layers"])
    found = found[found["type"] == "project_on_uncleared_land"]
    blocked: dict[str, list[str]] = defaultdict(list)
    for pair, layers in zip(found["codes"], found["layers"]):
        by_layer = dict(zip(layers, pair))
        blocked[by_layer["projects"]].append(by_layer["clearance"])
    return [sorted(blocked.get(code, [])) for code in codes]
