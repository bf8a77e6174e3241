"""One project's baseline, reports, S-curve and blocking parcels, at a date.

The API (``/api/projects/<code>``) and the project page both render
:func:`project_detail`, so they can never disagree about a project.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

import geopandas as gpd

from mapapp.analysis.planned_curve import s_curve
from mapapp.changes.rules import flags
from mapapp.errors import NotFound
from mapapp.layers import LAYERS
from mapapp.queries.layers import clearance_at
from mapapp.queries.schedule import planned_curve, project_states
from mapapp.refusals import Reason
from mapapp.reports import as_reports
from mapapp.store.backend import Store

BLOCKING_TYPE = "project_on_uncleared_land"
HIDDEN_COLUMNS = {"id", "props", "geom_type", "minx", "miny", "maxx", "maxy", "retired_at"}


def plain(value: Any) -> Any:
    """NaN and numpy scalars as JSON-ready Python values."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def project_frame(store: Store, code: str) -> gpd.GeoDataFrame:
    """The project's row (with geometry); :class:`NotFound` if the code is unknown."""
    frame = store.read_layer("projects", filters={"code": code}, include_retired=True)
    if frame.empty:
        raise NotFound(Reason("notfound.project", code=repr(code)))
    return frame


def properties(frame: gpd.GeoDataFrame) -> dict:
    """The stored attributes of a one-row project frame, extra properties included."""
    row = frame.drop(columns=frame.geometry.name).iloc[0].to_dict()
    props = {k: plain(v) for k, v in row.items() if k not in HIDDEN_COLUMNS}
    out = {**(row.get("props") or {}), **props, "flags": flags(LAYERS["projects"], props)}
    if row.get("retired_at"):
        out["retired"] = True
    return out


def schedule(store: Store, frame: gpd.GeoDataFrame, at: dt.date) -> dict:
    """The schedule state at ``at``, computed exactly as the map computes it."""
    state = project_states(store, frame, at)[0]
    last = state.last_report
    return {
        "status": state.status,
        "planned_pct": round(state.planned_pct, 1),
        "actual_pct": state.actual_pct,
        "slip_pct": None if state.slip_pct is None else round(state.slip_pct, 1),
        "days_late": state.days_late,
        "stale": state.stale,
        "last_report": last.date.isoformat() if last else None,
        "forecast_end": state.forecast_end.isoformat() if state.forecast_end else None,
    }


def curve(props: dict, reports: list[dict], at: dt.date) -> dict | None:
    """Planned vs. actual percent over time; None without a planned start and end."""
    start, end = props.get("planned_start"), props.get("planned_end")
    if not start or not end or props.get("flags"):
        return None
    return s_curve(
        dt.date.fromisoformat(start), dt.date.fromisoformat(end), as_reports(reports), at,
        curve=planned_curve(props.get("planned_curve")),
    )


def _measure(row) -> dict:
    length, area = plain(row.length_m), plain(row.area_m2)
    return {"length_m": None if length is None else round(length, 1), "area_m2": None if area is None else round(area, 1)}


def blocking_parcels(store: Store, code: str, at: dt.date, staff: bool = False) -> list[dict]:
    """Uncleared parcels the project crosses (from the conflicts), with each parcel's status at ``at``.

    Owners and households are personal data: given to ``staff`` only.
    """
    conflicts = store.read_conflicts(type_=BLOCKING_TYPE)
    hits = [row for row in conflicts.itertuples() if code in row.codes]
    if not hits:
        return []
    parcels = store.read_layer("clearance")
    parcels = clearance_at(store, parcels, at).set_index("code")
    out = []
    for row in hits:
        for parcel_code in (c for c, layer in zip(row.codes, row.layers) if layer == "clearance"):
            parcel = parcels.loc[parcel_code] if parcel_code in parcels.index else None
            out.append(
                {
                    "code": parcel_code,
                    "conflict_id": row.id,
                    "severity": row.severity,
                    "status": None if parcel is None else parcel["status"],
                    **({
                        "owner": None if parcel is None else plain(parcel["owner"]),
                        "households": None if parcel is None else plain(parcel["households"]),
                    } if staff else {}),
                    "zone_code": row.zone_code,
                    **_measure(row),
                }
            )
    return out


def project_detail(store: Store, code: str, at: dt.date, staff: bool = False) -> dict:
    """Everything about one project at ``at``; :class:`NotFound` for an unknown code.

    A retired project still answers, marked ``"retired": true``, with its history;
    a stored row that breaks a rule answers with its ``flags`` (and no S-curve).
    """
    frame = project_frame(store, code)
    props = properties(frame)
    reports = store.reports(code)
    return {
        "code": code,
        "at": at.isoformat(),
        "properties": props,
        "schedule": schedule(store, frame, at),
        "reports": [{k: plain(v) for k, v in r.items() if k != "project_code"} for r in reports],
        "s_curve": curve(props, reports, at),
        "blocking_parcels": blocking_parcels(store, code, at, staff),
        "blockers": project_blockers(store, code, at),
    }


def project_blockers(store: Store, code: str, at: dt.date) -> list[dict]:
    """The blockers holding the project up at ``at`` (item 11 of the notice): those about it or naming it in
    ``holds_up``, and those about a parcel it crosses; opened by ``at``, with their state, deadline (as they
    then were) and whether the task is overdue. No personal data (tasks, units, leaders by role)."""
    from mapapp.clearance import blockers as blk

    crossed = {b["code"] for b in blocking_parcels(store, code, at)}
    out = []
    for b, _ in store.blockers():
        if b.opened > at or not (b.subject == code or code in b.holds_up or (b.kind == "parcel" and b.subject in crossed)):
            continue
        out.append({"code": b.code, "kind": b.kind, "subject": b.subject, "task": b.task, "unit": b.unit, "leader": b.leader,
                    "deadline": blk.deadline_on(b, at).isoformat(), "state": blk.state_on(b, at), "overdue": blk.is_overdue(b, at)})
    return out
