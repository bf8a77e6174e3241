"""Route: /api/projects/<code> — one project's baseline, reports, S-curve and blocking parcels."""
from __future__ import annotations

from flask import jsonify, request

from mapapp.api import api_bp, bad_request, confirmation_needed, json_with_confirm, refused
from mapapp.api.layers import parse_date
from mapapp.auth.web import current_actor_name, require, via
from mapapp.changes.model import Actor
from mapapp.errors import ConfirmationNeeded, ReportRefused
from mapapp.privacy import viewer_is_staff
from mapapp.reports import add_report
from mapapp.values import nfc
from mapapp.queries.layers import as_of
from mapapp.queries.projects import project_detail
from mapapp.store import current_store


@api_bp.get("/projects/<code>")
def get_project(code: str):
    """``?at=YYYY-MM-DD``: the schedule state at that date (default: the dataset's date)."""
    store = current_store()
    try:
        at = parse_date(request.args.get("at")) or as_of(store)
    except ValueError as exc:
        return bad_request(str(exc))
    return jsonify(project_detail(store, code, at, viewer_is_staff()))


@api_bp.post("/projects/<code>/reports")
@require("report")
def post_report(code: str):
    """File a progress report (JSON: percent, date, note, disbursed_vnd, reached_m, reported_by, confirm)."""
    body, confirm, refusal = json_with_confirm('{"percent": 55, "date": "2018-12-01"}')
    if refusal is not None:
        return refusal
    known = {"percent", "date", "note", "disbursed_vnd", "reached_m", "reported_by"}
    unknown = sorted(set(body) - known)
    if unknown:
        return bad_request(f"unknown field {unknown[0]!r}; fields: {', '.join(sorted(known))}")
    try:
        row = add_report(current_store(), nfc(code), actor=Actor(current_actor_name(), via()), confirm=confirm,
                         **{k: body.get(k) for k in known if k in body})
    except ConfirmationNeeded as exc:
        return confirmation_needed(exc.warnings, "report")
    except ReportRefused as exc:
        return refused(exc)
    response = jsonify(row)
    response.status_code = 201
    return response
