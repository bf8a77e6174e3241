"""Routes: one project's page (baseline, reports, S-curve, blocking parcels) and its report form."""
from __future__ import annotations

import datetime as dt

from flask import redirect, render_template, request, url_for

from mapapp import clock
from mapapp.api.projects import project_detail, project_frame
from mapapp.api.views import as_of
from mapapp.errors import NotFound, ReportRefused
from mapapp.i18n import current_lang, translate
from mapapp.pages import pages_bp
from mapapp.pages.presentation import (
    CHART_JS_CDN,
    STATUS_COLORS,
    Fmt,
    map_url_maker,
    page_date,
    zone_names,
)
from mapapp.pages.vendor import asset_url
from mapapp.reports import add_report
from mapapp.store import current_store
from mapapp.store.backend import Store

FORM_FIELDS = ("percent", "date", "note", "disbursed", "reached", "reported_by")


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
