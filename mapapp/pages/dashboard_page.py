"""Route: the leaders' dashboard — projects by slip, totals and land clearance by zone.

Every figure comes from the same functions as the map and the API, so a leader
who follows a row to the map sees the same numbers there."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from statistics import fmean

import pandas as pd
from flask import Response, render_template, url_for

from mapapp import clock
from mapapp.analysis.clearance import clearance_timeline, zone_clearance
from mapapp.queries.projects import plain
from mapapp.queries.layers import as_of, layer_view
from mapapp.i18n import current_lang, translate
from mapapp.pages import pages_bp
from mapapp.pages.conflicts_page import _csv_cell
from mapapp.pages.presentation import (
    CHART_JS_CDN,
    STATUS_COLORS,
    Fmt,
    date_args,
    map_url_maker,
    page_date,
    project_url_maker,
    zone_names,
)
from mapapp.pages.vendor import asset_url
from mapapp.store import current_store
from mapapp.store.backend import Store

EVENT_COLUMNS = ["parcel_code", "date", "status", "paid_vnd"]
PARCEL_COLUMNS = ["code", "zone_code", "status", "area_m2", "households", "compensation_vnd", "paid_vnd"]
CLEARANCE_ITEM = 11  # notice 19/TB-VP.UBND: one leader of the board follows the clearance plan
ZONE_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def _worst_first(row: dict) -> tuple:
    """Slip, or the planned percent when there is no report yet (nothing is proven done)."""
    slip = row["slip_pct"] if row["slip_pct"] is not None else row["planned_pct"]
    return (-slip, -row["days_late"], row["code"])


def project_rows(store: Store, at: dt.date) -> list[dict]:
    """Every project with its schedule state at ``at``, worst slip first."""
    frame = layer_view(store, "projects", at=at)
    if frame.empty:
        return []
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    return sorted(({k: plain(v) for k, v in r.items()} for r in records), key=_worst_first)


def zone_totals(rows: list[dict]) -> list[dict]:
    """Per zone: project count, mean actual and planned percent (no report = 0 %), late and at-risk counts."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row.get("zone_code") or ""].append(row)
    return [
        {
            "zone_code": zone,
            "projects": len(members),
            "mean_actual": fmean(r["actual_pct"] or 0.0 for r in members),
            "mean_planned": fmean(r["planned_pct"] for r in members),
            "late": sum(r["schedule_status"] == "late" for r in members),
            "at_risk": sum(r["schedule_status"] == "at_risk" for r in members),
        }
        for zone, members in sorted(groups.items())
    ]


def clearance_inputs(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parcel attributes (the sums need no geometry, area_m2 is the store's measure) and their events."""
    parcels = pd.DataFrame(store.read_layer("clearance")).reindex(columns=PARCEL_COLUMNS)
    return parcels, pd.DataFrame(store.clearance_events(), columns=EVENT_COLUMNS)


def clearance_by_zone(parcels: pd.DataFrame, events: pd.DataFrame, at: dt.date) -> list[dict]:
    """Land clearance per zone at ``at``, from the parcels' event history and measured areas."""
    if parcels.empty:
        return []
    table = zone_clearance(parcels, events, at) if len(events) else zone_clearance(parcels)
    return [{k: plain(v) for k, v in r.items()} for r in table.to_dict("records")]


def timeline_dates(first: dt.date, at: dt.date) -> list[dt.date]:
    """Month ends from ``first`` until before ``at``, then ``at``: the last point is the table's date."""
    if at < first:
        return []
    ends = pd.date_range(first, at, freq="ME").date
    return [*ends[ends < at], at]


def axis_label(day: dt.date, fmt: Fmt) -> str:
    """A month end as its month (01/2018, 2018-01); the page's date, when mid-month, in full."""
    if (day + dt.timedelta(days=1)).day != 1:
        return fmt.date(day.isoformat())
    return day.strftime("%Y-%m") if fmt.lang == "en" else day.strftime("%m/%Y")


def clearance_chart(parcels: pd.DataFrame, events: pd.DataFrame, at: dt.date, zones: dict[str, str], lang: str) -> dict | None:
    """What the dashboard's clearance charts draw: per zone, share of area cleared (%) and VND paid at each date."""
    if parcels.empty or events.empty:
        return None
    first = pd.to_datetime(events["date"].astype(str), format="ISO8601").min().date()
    dates = timeline_dates(first, at)
    if not dates:
        return None
    table = clearance_timeline(parcels, events, dates)
    share = table.pivot(index="date", columns="zone_code", values="share_cleared").mul(100).round(1)
    paid = table.pivot(index="date", columns="zone_code", values="paid_vnd").round()
    fmt = Fmt(lang)
    return {
        "dates": [d.isoformat() for d in dates],
        "axis": [axis_label(d, fmt) for d in dates],
        "lang": lang,
        "zones": [
            {
                "code": code,
                "name": zones.get(code, code),
                "color": ZONE_COLORS[i % len(ZONE_COLORS)],
                "share_cleared": share[code].tolist(),
                "paid_vnd": paid[code].tolist(),
            }
            for i, code in enumerate(share.columns)
        ],
        "labels": {key: translate(f"progress.clearance.{key}", lang) for key in ("share_axis", "paid_axis", "paid_unit")},
    }


def clearance_directive(store: Store) -> dict | None:
    """Item 11 of the notice: who follows the land-clearance plan, and how it stands."""
    return next((d for d in store.directives() if d["item"] == CLEARANCE_ITEM), None)


DASHBOARD_CSV_COLUMNS = [
    "code", "name", "name_en", "zone_code", "schedule_status", "actual_pct", "planned_pct", "slip_pct", "days_late",
    "last_report", "stale", "planned_start", "planned_end", "responsible", "as_of",
]


@pages_bp.get("/dashboard.csv")
def dashboard_csv():
    """The dashboard's project table at the page's date, worst slip first (UTF-8 with BOM, formulas quoted)."""
    store = current_store()
    at, _ = page_date(as_of(store), current_lang())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DASHBOARD_CSV_COLUMNS)
    for row in project_rows(store, at):
        writer.writerow([_csv_cell(at.isoformat() if c == "as_of" else row.get(c)) for c in DASHBOARD_CSV_COLUMNS])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=mapapp-progress-{at.isoformat()}.csv"},
    )


@pages_bp.get("/dashboard")
def dashboard():
    store = current_store()
    lang = current_lang()
    default = as_of(store)
    at, note = page_date(default, lang)
    rows = project_rows(store, at)
    zones = zone_names(store, lang)
    parcels, events = clearance_inputs(store)
    from mapapp.queries.clearance import late_at

    kinds = late_at(store, at)["kind"].value_counts()
    return render_template(
        "dashboard.html",
        late={"steps": int(kinds.get("step", 0)), "tasks": int(kinds.get("task", 0)),
              "url": url_for("pages.clearance_late", lang=lang, **date_args(at, default))},
        page="dashboard",
        rows=rows,
        totals=zone_totals(rows),
        clearance=clearance_by_zone(parcels, events, at),
        clearance_lead=clearance_directive(store),
        timeline=clearance_chart(parcels, events, at, zones, lang),
        chart_js=asset_url(CHART_JS_CDN),
        zones=zones,
        at=at.isoformat(),
        today=clock.today().isoformat(),
        date_note=note,
        colors=STATUS_COLORS,
        fmt=Fmt(lang),
        map_url=map_url_maker(lang, at, default),
        project_url=project_url_maker(lang, at, default),
        csv_url=url_for("pages.dashboard_csv", lang=lang, **date_args(at, default)),
    )
