"""Response headers and cross-site request refusal for a portal that has no login yet.

A page on another site must not be able to make a planner's browser file
reports or edit features: a state-changing request that says it comes from
another origin (``Origin``, else ``Referer``) is refused. Clients that send
neither (scripts, the test client) are not browsers acting on someone's behalf.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, jsonify, request

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


def _foreign_origin() -> str | None:
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if not claimed:
        return None
    parts = urlsplit(claimed)
    origin = f"{parts.scheme}://{parts.netloc}"
    return None if origin == request.host_url.rstrip("/") else origin


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_cross_site():
        if request.method not in UNSAFE:
            return None
        origin = _foreign_origin()
        if origin is None:
            return None
        response = jsonify(error=f"refused: this request comes from {origin}, not from this site; open mapapp itself to make changes")
        response.status_code = 403
        return response

    @app.after_request
    def _headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
