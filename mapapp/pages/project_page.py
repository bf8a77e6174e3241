"""Routes: one project's page (baseline, reports, S-curve, blocking parcels) and its report form."""
from __future__ import annotations

import datetime as dt

from flask import redirect, render_template, request, url_for

from mapapp import clock
from mapapp.auth.web import current_actor_name, require, via
from mapapp.changes.model import Actor
from mapapp.errors import ConfirmationNeeded, NotFound, ReportRefused, VersionConflict
from mapapp.privacy import viewer_is_staff
from mapapp.queries.layers import as_of
from mapapp.queries.projects import project_detail, project_frame
from mapapp.i18n import current_lang, translate
from mapapp.pages import pages_bp
from mapapp.pages.presentation import (
    CHART_JS_CDN,
    STATUS_COLORS,
    Fmt,
    date_args,
    map_url_maker,
    page_date,
    zone_names,
)
from mapapp.pages.vendor import asset_url
from mapapp.reports import add_report
from mapapp.store import current_store
from mapapp.store.backend import Store

FORM_FIELDS = ("percent", "date", "note", "disbursed", "reached", "reported_by", "version")


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


def default_form(at: dt.date) -> dict[str, str]:
    """An empty report dated the page's date (the date the leader is looking at; never after today)."""
    return {name: "" for name in FORM_FIELDS} | {"date": min(at, clock.today()).isoformat()}


def render_project(store: Store, code: str, at: dt.date, **page: object) -> str:
    """The project page; ``NotFound`` propagates for an unknown code."""
    lang = current_lang()
    detail = project_detail(store, code, at, viewer_is_staff())
    default = as_of(store)
    return render_template(
        "project.html",
        page="project",
        p=detail["properties"],
        state=detail["schedule"],
        reports=list(reversed(detail["reports"])),
        blocking=detail["blocking_parcels"],
        blockers=detail["blockers"],
        chart=chart_data(detail, lang),
        chart_js=asset_url(CHART_JS_CDN),
        zones=zone_names(store, lang),
        at=at.isoformat(),
        today=clock.today().isoformat(),
        colors=STATUS_COLORS,
        fmt=Fmt(lang),
        map_url=map_url_maker(lang, at, default),
        version=int(detail["properties"].get("version") or 1),
        **({"form": default_form(at), "error": None, "reported": False, "date_note": None, "warnings": None, "stale": None} | page),
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
@require("report")
def file_report(code: str):
    """Store a report, or show the page again with the values typed and what stands in the way.

    A refusal answers 400; warnings (409) are listed and the leader confirms or changes the
    report; a project changed since the form was opened (409) says by whom and when.
    """
    store = current_store()
    try:
        project_frame(store, code)
    except NotFound:
        return project_missing(code)
    form = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    lang = current_lang()
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
            actor=Actor(current_actor_name(), via()),
            confirm=request.form.get("confirm") == "1",
            if_version=int(form["version"]) if form["version"].isdigit() else None,
        )
    except ReportRefused as exc:
        return render_project(store, code, as_of(store), form=form, error=exc.localized(lang)), 400
    except ConfirmationNeeded as exc:
        return render_project(store, code, as_of(store), form=form, warnings=exc.warnings), 409
    except VersionConflict as exc:
        stale = translate("edit.stale", lang, who=exc.changed_by or "?", when=clock.local_time(exc.changed_at, lang))
        return render_project(store, code, as_of(store), form={**form, "version": str(exc.version)}, stale=stale), 409
    # shown at the report's date when it is after the page's default one, so its badge and S-curve include it
    reported_on = dt.date.fromisoformat(form["date"][:10])
    default = as_of(store)
    return redirect(url_for("pages.project_page", code=code, lang=current_lang(), reported=1,
                            **date_args(max(reported_on, default), default)), code=303)
