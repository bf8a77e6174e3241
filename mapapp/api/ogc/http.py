"""HTTP behaviour of ``/ogc`` and ``/api`` beyond :mod:`mapapp.http_errors` (JSON errors everywhere there):
a bad OGC query is 400 with ``error`` plus ``code``/``description`` as the OGC exception schema names them,
and any site may read (CORS for GET).
"""
from __future__ import annotations

from flask import Response, jsonify, request

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


@ogc_bp.after_app_request
def _cors(response: Response) -> Response:
    """Any site may read (GET) the APIs: they are public map data; writes stay same-site (see mapapp.security)."""
    if _json_area() and request.method in READS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "Content-Crs, Link"
    return response
