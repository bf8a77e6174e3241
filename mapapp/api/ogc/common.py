"""What every OGC module shares: the blueprint, media types, the 400 error, absolute links, format choice."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, request, url_for

ogc_bp = Blueprint("ogc", __name__, url_prefix="/ogc")

JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
FORMATS = {"json": JSON, "geojson": GEOJSON, "html": HTML}


class BadQuery(ValueError):
    """A query the client must fix; answered 400 with a one-line JSON error."""


def route(rule: str, **options: Any) -> Callable:
    """A GET route that also answers with a trailing slash (OWSLib asks for ``/ogc/``), without a redirect."""

    def register(view: Callable) -> Callable:
        ogc_bp.add_url_rule(rule, view_func=view, methods=["GET"], **options)
        ogc_bp.add_url_rule(rule + "/", view_func=view, methods=["GET"], **options)
        return view

    return register


def link(endpoint: str, rel: str, type_: str, title: str, values: Mapping[str, Any] | None = None) -> dict[str, str]:
    """An absolute link (QGIS 3.22 crashes on relative ones); ``?lang=`` is carried so a client keeps its language."""
    lang = {"lang": request.args["lang"]} if "lang" in request.args else {}
    href = url_for(endpoint, _external=True, **{**lang, **(values or {})})
    return {"href": href, "rel": rel, "type": type_, "title": title}


def wants_html() -> bool:
    """``f=html``, or no ``f`` and a browser's ``Accept`` preferring HTML to JSON; ``BadQuery`` for an unknown ``f``."""
    fmt = request.args.get("f")
    if fmt is not None:
        if fmt not in FORMATS:
            raise BadQuery(f"f must be one of {', '.join(sorted(FORMATS))}, not {fmt!r}")
        return fmt == "html"
    best = request.accept_mimetypes.best_match([JSON, GEOJSON, HTML, OPENAPI], default=JSON)
    return best == HTML and request.accept_mimetypes[HTML] > request.accept_mimetypes[JSON]


def alternates(endpoint: str, values: Mapping[str, Any], data_type: str, title: str) -> list[dict[str, str]]:
    """``self`` in the format served and ``alternate`` in the other (JSON or HTML), as OGC API – Features asks."""
    html = wants_html()
    query = {k: v for k, v in request.args.items() if k != "f"}
    own = link(endpoint, "self", HTML if html else data_type, title, {**query, **values, "f": "html" if html else "json"})
    other = link(endpoint, "alternate", data_type if html else HTML, title, {**query, **values, "f": "json" if html else "html"})
    return [own, other]
