"""Routes ``/ogc``, ``/ogc/conformance`` and ``/ogc/api`` (the OpenAPI document, QGIS's ``service-desc``)."""
from __future__ import annotations

import json

from flask import Response, jsonify, url_for

from mapapp.api.ogc.catalogue import listed
from mapapp.api.ogc.common import HTML, JSON, OPENAPI, alternates, link, route, wants_html
from mapapp.api.ogc.html import render
from mapapp.api.ogc.openapi import document
from mapapp.i18n import current_lang, translate
from mapapp.store import current_store

TITLE = "mapapp — Hậu Giang industrial zones"
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
)


@route("")
def landing():
    """Links to everything: the API definition (``service-desc``, ``service-doc``), conformance, data."""
    lang = current_lang()
    links = [
        *alternates("ogc.landing", {}, JSON, translate("ogc.title", lang)),
        link("ogc.api", "service-desc", OPENAPI, translate("ogc.api", lang)),
        link("ogc.api", "service-doc", HTML, translate("ogc.api", lang), {"f": "html"}),
        link("ogc.conformance", "conformance", JSON, translate("ogc.conformance", lang)),
        link("ogc.collections", "data", JSON, translate("ogc.collections", lang)),
    ]
    body = {"title": TITLE, "description": translate("app.title", lang), "links": links}
    if wants_html():
        return render("landing.html", title=translate("ogc.title", lang), links=links,
                      service_url=url_for("ogc.landing", _external=True), json_href=url_for("ogc.landing", f="json"))
    return jsonify(body)


@route("/conformance")
def conformance():
    if wants_html():
        return render("conformance.html", classes=CONFORMANCE, json_href=url_for("ogc.conformance", f="json"))
    return jsonify(conformsTo=list(CONFORMANCE), links=alternates("ogc.conformance", {}, JSON, "conformance"))


@route("/api")
def api():
    """The OpenAPI 3.0 document (``application/vnd.oai.openapi+json;version=3.0``), or a readable list of its paths."""
    lang = current_lang()
    doc = document(url_for("ogc.landing", _external=True), TITLE, translate("app.title", lang), listed(current_store()))
    if wants_html():
        return render("api.html", paths=list(doc["paths"].items()), json_href=url_for("ogc.api", f="json"))
    return Response(json.dumps(doc, ensure_ascii=False), mimetype=OPENAPI)
