"""Error pages in the page's language; the API and the OGC service keep answering JSON."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import NotFound as NoRoute

from mapapp.errors import NotFound
from mapapp.http_errors import error_json
from mapapp.i18n import current_lang, translate

MACHINE_PREFIXES = ("/api/", "/ogc", "/tiles/", "/vendor/", "/static/")
MACHINE_SUFFIXES = (".json", ".csv", ".geojson", "/issues")


def wants_json() -> bool:
    """Programs (API, OGC, data files) get JSON; a person's browser gets a page."""
    path = request.path
    return path.startswith(MACHINE_PREFIXES) or path.endswith(MACHINE_SUFFIXES) or request.accept_mimetypes.best == "application/json"


def not_found(exc: Exception):
    """404: JSON with an ``error`` for programs (and, for what mapapp looked for, its ``message`` in each UI
    language), a page in the reader's language for people, saying what was not found when mapapp knows."""
    if wants_json():
        if isinstance(exc, NoRoute):
            # no route: no mapapp reason, but the line in each UI language all the same
            return jsonify(error=exc.description, message={lang: translate("error.not_found", lang) for lang in ("vi", "en")}), 404
        return error_json(exc, 404)
    lang = current_lang()
    what = exc.localized(lang) if isinstance(exc, NotFound) else None
    return render_template("404.html", page="error", title=translate("error.404.title", lang), what=what), 404


def register(app: Flask) -> None:
    """Both kinds of 404: no such route (werkzeug) and no such feature (mapapp)."""
    app.register_error_handler(NotFound, not_found)
    app.register_error_handler(NoRoute, not_found)
