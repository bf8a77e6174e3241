"""Routes: leaders' dashboard, project pages, directives, progress-report form.

Every figure shown here comes from the same functions as the map and the API
(``layer_view``, ``project_detail``, ``zone_clearance``), so a leader who
follows a row to the map sees the same numbers there.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from statistics import fmean

import pandas as pd
from flask import redirect, render_template, request, url_for

from mapapp import clock
from mapapp.analysis.clearance import clearance_timeline, zone_clearance
from mapapp.api.projects import plain, project_detail, project_frame
from mapapp.api.views import as_of, layer_view
from mapapp.errors import NotFound, ReportRefused
from mapapp.i18n import MESSAGES, current_lang, translate
from mapapp.pages import (
    pages_bp,
    progress_messages,  # noqa: F401  (registers the labels)
)
from mapapp.pages.styles import STYLES
from mapapp.pages.vendor import asset_url
from mapapp.reports import add_report
from mapapp.store import current_store
from mapapp.store.backend import Store

CHART_JS_CDN = "https://cdn.jsdelivr.net/npm/chart.js@4.5.1/dist/chart.umd.min.js"
STATUS_COLORS: dict[str, str] = STYLES["projects"]["colors"]
EVENT_COLUMNS = ["parcel_code", "date", "status", "paid_vnd"]
PARCEL_COLUMNS = ["code", "zone_code", "status", "area_m2", "households", "compensation_vnd", "paid_vnd"]
ZONE_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
FORM_FIELDS = ("percent", "date", "note", "disbursed", "reached", "reported_by")
DIRECTIVE_STATUSES = ("not_started", "in_progress", "ongoing", "done", "overdue")


@dataclass(frozen=True)
class Fmt:
    """Numbers, money and dates as each language writes them (vi 1.234,5 — en 1,234.5)."""

    lang: str

    def num(self, value: float | None, digits: int = 1) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        text = f"{value:,.{digits}f}"
        if digits:
            text = text.rstrip("0").rstrip(".")
        return text.translate(str.maketrans(",.", ".,")) if self.lang == "vi" else text

    def pct(self, value: float | None, digits: int = 1) -> str:
        return "—" if value is None else f"{self.num(value, digits)} %"

    def vnd(self, value: float | None) -> str:
        """Money the way reports state it: billions (tỷ) and millions (triệu) of đồng."""
        if value is None:
            return "—"
        if abs(value) >= 1e9:
            return f"{self.num(value / 1e9, 2)} " + ("tỷ đồng" if self.lang == "vi" else "bn VND")
        if abs(value) >= 1e6:
            return f"{self.num(value / 1e6, 1)} " + ("triệu đồng" if self.lang == "vi" else "m VND")
        return f"{self.num(value, 0)} " + ("đồng" if self.lang == "vi" else "VND")

    def ha(self, m2: float | None) -> str:
        return "—" if m2 is None else f"{self.num(m2 / 10_000, 2)} ha"

    def date(self, iso: str | None) -> str:
        """dd/mm/yyyy in Vietnamese, ISO in English."""
        if not iso:
            return "—"
        day = dt.date.fromisoformat(str(iso)[:10])
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()


# -- dates ---------------------------------------------------------------------
def page_date(default: dt.date, lang: str) -> tuple[dt.date, str | None]:
    """``?at=`` (never after today), else ``default`` and a note saying the value was ignored."""
    text = request.args.get("at", "").strip()
    if not text:
        return default, None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        return default, translate("progress.bad_date", lang, value=text, date=default.isoformat())
    return min(value, clock.today()), None


def date_args(at: dt.date, default: dt.date) -> dict[str, str]:
    """``at`` for links, only when the page shows another date than the default one."""
    return {} if at == default else {"at": at.isoformat()}


def map_url_maker(lang: str, at: dt.date, default: dt.date) -> Callable[[str, str], str]:
    """Links to the map focused on a feature, at the page's date."""
    return lambda layer, code: url_for("pages.map_page", focus=f"{layer}:{code}", lang=lang, **date_args(at, default))


def project_url_maker(lang: str, at: dt.date, default: dt.date) -> Callable[[str], str]:
    """Links to a project page, at the page's date."""
    return lambda code: url_for("pages.project_page", code=code, lang=lang, **date_args(at, default))


# -- dashboard -------------------------------------------------------------------
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


def zone_names(store: Store, lang: str) -> dict[str, str]:
    """Zone code to its name in ``lang`` (the Vietnamese name when there is no English one)."""
    frame = store.read_layer("zones")
    names: dict[str, str] = {}
    for code, name, name_en in zip(frame.get("code", []), frame.get("name", []), frame.get("name_en", [])):
        names[code] = name_en if lang == "en" and isinstance(name_en, str) and name_en else name
    return names


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


@pages_bp.get("/dashboard")
def dashboard():
    store = current_store()
    lang = current_lang()
    default = as_of(store)
    at, note = page_date(default, lang)
    rows = project_rows(store, at)
    zones = zone_names(store, lang)
    parcels, events = clearance_inputs(store)
    return render_template(
        "dashboard.html",
        page="dashboard",
        rows=rows,
        totals=zone_totals(rows),
        clearance=clearance_by_zone(parcels, events, at),
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
    )


# -- project page ----------------------------------------------------------------
def chart_data(detail: dict, lang: str) -> dict | None:
    """What project.js draws: both curves, the page's date, labels and the status colour."""
    curve = detail["s_curve"]
    if curve is None:
        return None
    return {
        "planned": curve["planned"],
        "actual": curve["actual"],
        "at": detail["at"],
        "lang": lang,
        "color": STATUS_COLORS.get(detail["schedule"]["status"], "#1f4e9c"),
        "labels": {key: translate(f"progress.{key}", lang) for key in ("planned", "actual", "at_line")},
    }


def default_form() -> dict[str, str]:
    return {name: "" for name in FORM_FIELDS} | {"date": clock.today().isoformat()}


def render_project(store: Store, code: str, at: dt.date, **page: object) -> str:
    """The project page; ``NotFound`` propagates for an unknown code."""
    lang = current_lang()
    detail = project_detail(store, code, at)
    default = as_of(store)
    return render_template(
        "project.html",
        page="project",
        p=detail["properties"],
        state=detail["schedule"],
        reports=list(reversed(detail["reports"])),
        blocking=detail["blocking_parcels"],
        chart=chart_data(detail, lang),
        chart_js=asset_url(CHART_JS_CDN),
        zones=zone_names(store, lang),
        at=at.isoformat(),
        today=clock.today().isoformat(),
        colors=STATUS_COLORS,
        fmt=Fmt(lang),
        map_url=map_url_maker(lang, at, default),
        **({"form": default_form(), "error": None, "reported": False, "date_note": None} | page),
    )


def project_missing(code: str) -> tuple[str, int]:
    return render_template("project.html", page="project", missing=code), 404


@pages_bp.get("/projects/<code>")
def project_page(code: str):
    store = current_store()
    at, note = page_date(as_of(store), current_lang())
    try:
        return render_project(store, code, at, date_note=note, reported=request.args.get("reported") == "1")
    except NotFound:
        return project_missing(code)


@pages_bp.post("/projects/<code>/reports")
def file_report(code: str):
    """Store a report, or show the page again (400) with the refusal and the values typed."""
    store = current_store()
    try:
        project_frame(store, code)
    except NotFound:
        return project_missing(code)
    form = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    try:
        add_report(
            store,
            code,
            percent=form["percent"],
            date=form["date"],
            note=form["note"],
            disbursed_vnd=form["disbursed"],
            reached_m=form["reached"],
            reported_by=form["reported_by"],
        )
    except ReportRefused as exc:
        return render_project(store, code, as_of(store), form=form, error=str(exc)), 400
    return redirect(url_for("pages.project_page", code=code, lang=current_lang(), reported=1), code=303)


# -- directives ------------------------------------------------------------------
def status_label(status: str, lang: str) -> str:
    """The translated status, or the stored word itself when it has no label."""
    key = f"directive.status.{status}"
    return translate(key, lang) if key in MESSAGES else status


def grouped_links(links: list[dict], lang: str, map_url: Callable[[str, str], str]) -> list[dict]:
    """A directive's linked features grouped by layer, each with its map link."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for link in links or []:
        groups[link["layer"]].append({"code": link["code"], "url": map_url(link["layer"], link["code"])})
    return [{"layer": translate(f"layer.{layer}", lang), "links": items} for layer, items in groups.items()]


def directive_view(item: dict, lang: str, map_url: Callable[[str, str], str]) -> dict:
    status = item["status"]
    return {
        "item": item["item"],
        "text": item["text_en"] if lang == "en" else item["text_vi"],
        "responsible": item["responsible"],
        "status": status if status in DIRECTIVE_STATUSES else "other",
        "status_label": status_label(status, lang),
        "groups": grouped_links(item["links"], lang, map_url),
    }


@pages_bp.get("/directives")
def directives_page():
    store = current_store()
    lang = current_lang()
    default = as_of(store)
    map_url = map_url_maker(lang, default, default)
    items = [directive_view(d, lang, map_url) for d in store.directives()]
    return render_template("directives.html", page="directives", items=items)
