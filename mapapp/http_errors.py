"""Errors as HTTP answers: JSON under /api and /ogc, a page in the page's language elsewhere.

Every refusal is one line saying what to do next; nothing a user meets is a bare 500
for a reason mapapp knows (a busy database is 503 with Retry-After, not 500).
"""
from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from mapapp.errors import (
    ChangeRefused,
    ConfirmationNeeded,
    EditRefused,
    Forbidden,
    ImportRefused,
    MapappError,
    NotFound,
    ReportRefused,
    StoreBusy,
    VersionConflict,
)
from mapapp.i18n import current_lang, translate

# Bodies of JSON and forms: at most this (uploads have their own, larger limit).
MAX_BODY = 1024 * 1024
RETRY_AFTER_S = 5

STATUS = {
    NotFound: 404,
    VersionConflict: 412,
    ConfirmationNeeded: 409,
    StoreBusy: 503,
    Forbidden: 403,
    ChangeRefused: 400,
    EditRefused: 400,
    ReportRefused: 400,
    ImportRefused: 400,
}


def _is_api() -> bool:
    return request.path.startswith(("/api/", "/ogc")) or request.path in ("/api", "/ogc")


def error_json(exc: MapappError, status: int, **extra) -> Response:
    """The JSON answer to a mapapp error: its English ``error`` (stable for scripts) and ``message``, its line in
    each UI language (``{"vi": …, "en": …}``), with ``extra`` members."""
    response = jsonify(error=str(exc), message=exc.messages(), **extra)
    response.status_code = status
    return response


def _answer(status: int, text: str, **extra):
    if _is_api():
        response = jsonify(error=text, **extra)
        response.status_code = status
    else:
        response = make_response(render_template("refused.html", message=text, status=status, page="error"), status)
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def init_app(app: Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY

    @app.errorhandler(MapappError)
    def _mapapp_error(exc: MapappError):
        # JSON keeps the English ``error`` (stable for scripts) and adds the line in each UI language;
        # a page shows the line in its own language
        status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
        if isinstance(exc, StoreBusy):
            return _answer(status, translate("error.busy", current_lang()))
        extra = {"warnings": exc.warnings} if isinstance(exc, ConfirmationNeeded) else {}
        if _is_api():
            return error_json(exc, status, **extra)
        return _answer(status, exc.localized(current_lang()), **extra)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge):
        limit = request.max_content_length or MAX_BODY
        return _answer(413, translate("error.too_large", current_lang(), limit=f"{limit / 1024 / 1024:g} MB"))

    @app.errorhandler(SecurityError)
    def _untrusted_host(exc: SecurityError):
        # no page can be built for a host we do not serve (its links would point there)
        text = f"{exc.description} This server answers only the hosts in MAPAPP_TRUSTED_HOSTS."
        return Response(text, status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if not _is_api() and exc.code == 404:
            return _answer(404, translate("error.not_found", current_lang()))
        return _answer(exc.code or 500, exc.description or exc.name)
