"""Routes: the leaders' late list, a blocker, a parcel's procedure (recording a step), the household ×
step matrix with its Excel export, and a household's own file by its lookup code.

Staff pages (``@require("edit")``: planners, leaders, admins) show households' names, amounts and
documents (personal data, Decree 13/2023/NĐ-CP); the household lookup shows one household's
file to whoever holds its code. Dates: ``?at=`` (never after today), else the data's date.
"""
from __future__ import annotations

import datetime as dt
import io
import os

from flask import abort, redirect, render_template, request, send_file, url_for

from mapapp.auth.web import current_actor_name, limiter, require, via
from mapapp.changes.blockers import set_blocker_state
from mapapp.changes.clearance import record_step
from mapapp.changes.model import Actor
from mapapp.clearance.blockers import STATES, TRANSITIONS
from mapapp.clearance.matrix import write_xlsx
from mapapp.clearance.procedure import ENFORCEMENT_CONDITIONS, LABELS, STEPS, Step
from mapapp.errors import NotFound
from mapapp.i18n import current_lang, translate
from mapapp.pages import clearance_messages, pages_bp  # noqa: F401  (clearance_messages registers the labels)
from mapapp.pages.presentation import date_args, page_date
from mapapp.queries import clearance as q
from mapapp.queries.layers import as_of
from mapapp.refusals import Reason
from mapapp.store import current_store


#: A step by its Vietnamese label (the late list names steps by label).
STEP_OF_LABEL = {vi: step.value for step, (vi, _) in LABELS.items()}


def _dates() -> tuple[dt.date, dt.date, str | None]:
    default = as_of(current_store())
    at, note = page_date(default, current_lang())
    return at, default, note


def _fmt(d, lang: str) -> str:
    if d is None or d != d:
        return ""
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def _map_show(layer: str, codes: list[str], at: dt.date, default: dt.date) -> str:
    return url_for("pages.map_page", show=f"{layer}:" + ",".join(codes), lang=current_lang(), **date_args(at, default))


@pages_bp.get("/clearance/late")
@require("edit")
def clearance_late():
    """What is late on the date in view: overdue steps and blocker tasks, most late first; the register below."""
    store = current_store()
    lang = current_lang()
    at, default, note = _dates()
    late = q.late_at(store, at)
    args = date_args(at, default)
    rows = [{
        "kind": r.kind, "code": r.code, "zone": r.zone_code or "",
        "what": translate(f"clearance.step.{STEP_OF_LABEL[r.what]}", lang) if r.kind == "step" else r.what, "due": _fmt(r.due, lang),
        "days_late": int(r.days_late), "responsible": r.responsible, "leader": r.leader, "new": bool(r.new_this_week),
        "url": url_for("pages.clearance_parcel", code=r.code, lang=lang, **args) if r.kind == "step"
        else url_for("pages.clearance_blocker", code=r.code, lang=lang, **args),
    } for r in late.itertuples(index=False)]
    from mapapp.clearance.blockers import blockers_frame

    register = blockers_frame(q.blockers_at(store, at), at).to_dict("records")
    for b in register:
        b["deadline_text"] = _fmt(b["deadline"], lang)
        b["url"] = url_for("pages.clearance_blocker", code=b["code"], lang=lang, **args)
    zones = store.attributes("zones", ["code", "name"]).sort_values("code").to_dict("records")
    return render_template("clearance_late.html", page="clearance", rows=rows, register=register, at=at,
                           at_text=_fmt(at, lang), date_note=note, zones=zones, args=args)


@pages_bp.get("/clearance/blockers/<code>")
@require("edit")
def clearance_blocker(code: str):
    """One blocker: what it blocks and holds up, its task, deadline, unit, leader, state, history, and its parcels."""
    store = current_store()
    lang = current_lang()
    at, default, note = _dates()
    view = q.blocker_view(store, code, at)
    args = date_args(at, default)
    parcels = [{**p, "next_due_text": _fmt(p["next_due"], lang),
                "url": url_for("pages.clearance_parcel", code=p["code"], lang=lang, **args)}
               for p in view.parcel_figures.to_dict("records")]
    b = view.blocker
    return render_template(
        "clearance_blocker.html", page="clearance", view=view, b=b, parcels=parcels, at_text=_fmt(at, lang),
        deadline_text=_fmt(view.deadline, lang), history=[{**h.__dict__, "on_text": _fmt(h.on, lang)} for h in b.history],
        on_map=_map_show("clearance", view.parcels, at, default) if view.parcels else None,
        next_states=sorted(TRANSITIONS.get(b.state, ())), states=STATES, date_note=note, args=args)


@pages_bp.post("/clearance/blockers/<code>/state")
@require("edit")
def clearance_blocker_state(code: str):
    """Move a blocker to another state (the form carries the version it was opened on)."""
    version = request.form.get("version", "")
    set_blocker_state(current_store(), code, request.form.get("state", ""), Actor(current_actor_name(), via()),
                      note=request.form.get("note"), if_version=int(version) if version.isdigit() else None)
    return redirect(url_for("pages.clearance_blocker", code=code, lang=current_lang()), code=303)


@pages_bp.get("/clearance/parcels/<code>")
@require("edit")
def clearance_parcel(code: str):
    """A parcel's procedure: its figures, the steps done with their documents, households, payments, and the form
    to record the next step."""
    store = current_store()
    lang = current_lang()
    at, default, note = _dates()
    figs = q.figures_at(store, at).parcels
    row = figs[figs["code"] == code]
    if row.empty:
        raise NotFound(Reason("notfound.parcel", code=repr(code)))
    parcel = row.iloc[0].to_dict()
    feature = store.get_feature("clearance", code).iloc[0]
    rec = store.clearance_records([code])
    steps = rec["steps"].to_dict("records")
    for s in steps:
        s["label"] = translate(f"clearance.step.{s['step']}", lang)
        day = dt.date.fromisoformat(s["date"]) if s["date"] else None
        s["date_text"] = _fmt(day, lang) or "—"
        s["authority"] = q.step_authority(store, parcel["zone_code"], Step(s["step"]), day or at)
    links = rec["household_parcels"]
    households = rec["households"][rec["households"]["code"].isin(links.loc[links["parcel_code"] == code, "household_code"])]
    args = date_args(at, default)
    return render_template(
        "clearance_parcel.html", page="clearance", code=code, parcel=parcel, version=int(feature["version"] or 1),
        next_due_text=_fmt(parcel["next_due"], lang), expected_text=_fmt(parcel["expected_handover"], lang),
        steps=steps, households=households.to_dict("records"), payments=rec["payments"].to_dict("records"),
        step_choices=[s.value for s in STEPS], conditions=sorted(ENFORCEMENT_CONDITIONS),
        saved=request.args.get("saved"), date_note=note, at_text=_fmt(at, lang),
        on_map=_map_show("clearance", [code], at, default), args=args,
        matrix_url=url_for("pages.clearance_matrix", subject=parcel["zone_code"], lang=lang, **args))


@pages_bp.post("/clearance/parcels/<code>/steps")
@require("edit")
def clearance_record_step(code: str):
    """Record a step with its document through the write path; refused steps answer 400 naming the rule."""
    f = request.form
    version = f.get("version", "")
    step = f.get("step", "")
    record_step(current_store(), code, step, f.get("date"), Actor(current_actor_name(), via()),
                doc_type=f.get("doc_type"), doc_number=f.get("doc_number"), doc_date=f.get("doc_date"),
                signer=f.get("signer"), scan=f.get("scan"), conditions=f.getlist("conditions"), note=f.get("note"),
                if_version=int(version) if version.isdigit() else None)
    return redirect(url_for("pages.clearance_parcel", code=code, saved=step, lang=current_lang()), code=303)


def _matrix_subject() -> str:
    subject = request.args.get("subject", "").strip()
    if not subject:
        zones = current_store().attributes("zones", ["code"])["code"].sort_values()
        if zones.empty:
            abort(404)
        subject = zones.iloc[0]
    return subject


@pages_bp.get("/clearance/matrix")
@require("edit")
def clearance_matrix():
    """The household × step matrix of a zone or project: filter by a cell's state, sort by any column."""
    store = current_store()
    lang = current_lang()
    at, default, note = _dates()
    subject = _matrix_subject()
    m = q.matrix_for(store, subject, at)
    only = request.args.get("state", "")
    rows = []
    for code, name, parcels in m.rows.itertuples(index=False):
        states = m.state.loc[code]
        if only and only not in set(states):
            continue
        rows.append({"code": code, "name": name, "parcels": parcels,
                     "cells": [(states[c], _fmt(m.date.loc[code, c], lang)) for c in m.state.columns]})
    args = date_args(at, default)
    subjects = store.attributes("zones", ["code", "name"]).sort_values("code").to_dict("records") + \
        store.attributes("projects", ["code", "name"]).sort_values("code").to_dict("records")
    return render_template("clearance_matrix.html", page="clearance", subject=subject, title=q.subject_title(store, subject),
                           columns=list(m.state.columns), rows=rows, only=only, subjects=subjects, at_text=_fmt(at, lang),
                           date_note=note, args=args,
                           xlsx=url_for("pages.clearance_matrix_xlsx", subject=subject, lang=lang, **args))


@pages_bp.get("/clearance/matrix.xlsx")
@require("edit")
def clearance_matrix_xlsx():
    """The same matrix as an Excel workbook (as the board's staff are used to)."""
    store = current_store()
    at, _, _ = _dates()
    subject = _matrix_subject()
    m = q.matrix_for(store, subject, at)
    buffer = io.BytesIO()
    write_xlsx(m, buffer, q.subject_title(store, subject), at)
    buffer.seek(0)
    return send_file(buffer, as_attachment=True, download_name=f"ma-tran-gpmb-{subject}-{at.isoformat()}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# Wrong lookup codes per address before a pause: a code is the key to a household's personal data,
# so guessing codes one after another must not be possible (Decree 13/2023/NĐ-CP).
LOOKUP_LIMIT = os.environ.get("MAPAPP_LOOKUP_LIMIT", "10 per 15 minutes")


@pages_bp.route("/household", methods=["GET", "POST"])
@limiter.limit(LOOKUP_LIMIT, methods=["POST"], deduct_when=lambda response: response.status_code == 404,
               error_message=lambda: translate("household.locked", current_lang(), minutes=15))
def household_lookup():
    """A household looks its own file up with the code the board gave it (sent by POST: never in a URL).

    A code that matches nothing answers 404 and counts towards :data:`LOOKUP_LIMIT` (then 429)."""
    lang = current_lang()
    found, asked = None, False
    if request.method == "POST":
        asked = True
        found = q.household_lookup(current_store(), request.form.get("lookup_code", ""))
        if found:
            for s in found["steps"]:
                s["label"] = translate(f"clearance.step.{s['step']}", lang)
    status = 404 if asked and not found else 200
    return render_template("household.html", page="household", found=found, asked=asked), status
