"""HTTP behaviour of ``/ogc`` and ``/api``: JSON errors with the right status (unknown routes too) and CORS for reads.

Errors carry ``error`` (mapapp's one-line message), and ``code`` / ``description`` as the
OGC exception schema names them. Pages keep Flask's HTML errors.
"""
from __future__ import annotations

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

from mapapp.api.ogc.common import BadQuery, ogc_bp

JSON_PREFIXES = ("/ogc", "/api")
READS = ("GET", "HEAD", "OPTIONS")


def _json_area() -> bool:
    path = request.path
    return any(path == p or path.startswith(p + "/") for p in JSON_PREFIXES)


def _error(status: int, code: str, message: str) -> Response:
    response = jsonify(error=message, code=code, description=message)
    response.status_code = status
    return response


@ogc_bp.errorhandler(BadQuery)
def _bad_query(exc: BadQuery) -> Response:
    return _error(400, "InvalidParameterValue", str(exc))


@ogc_bp.app_errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    """Unknown routes, wrong methods … under /ogc and /api answer JSON; elsewhere Flask's own page."""
    if not _json_area():
        return exc
    response = _error(exc.code or 500, exc.name.replace(" ", ""), exc.description or exc.name)
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


@ogc_bp.app_errorhandler(InternalServerError)
def _server_error(exc: InternalServerError):
    if not _json_area():
        return exc
    return _error(500, "ServerError", "the server failed to answer; the error is in its log")


@ogc_bp.after_app_request
def _cors(response: Response) -> Response:
    """Any site may read (GET) the APIs: they are public map data; writes stay same-site (see mapapp.security)."""
    if _json_area() and request.method in READS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "Content-Crs, Link"
    return response
