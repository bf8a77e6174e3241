"""Error pages in the page's language; the API and the OGC service keep answering JSON."""
from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import NotFound

from mapapp.i18n import current_lang, translate

MACHINE_PREFIXES = ("/api/", "/ogc", "/vendor/", "/static/")


def not_found(exc: NotFound):
    """404: JSON with an ``error`` for machines, a page saying so for people."""
    path = request.path
    if path.startswith(MACHINE_PREFIXES) or path.endswith((".json", ".csv", ".geojson")) or request.accept_mimetypes.best == "application/json":
        return jsonify(error=str(exc)), 404
    lang = current_lang()
    return render_template("404.html", page="error", title=translate("error.404.title", lang)), 404
