"""Routes ``/ogc/collections``, ``/ogc/collections/{id}`` and ``/ogc/collections/{id}/queryables``."""
from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify, url_for

from mapapp.api.ogc import crs
from mapapp.api.ogc.catalogue import KIND_FORMATS, Collection, get, listed, queryables
from mapapp.api.ogc.common import GEOJSON, HTML, JSON, QUERYABLES, SCHEMA, alternates, link, route, wants_html
from mapapp.api.ogc.html import render
from mapapp.i18n import current_lang, register, translate
from mapapp.store import current_store

WORLD = [-180.0, -90.0, 180.0, 90.0]
GEOMETRY_TYPES = {"points": "MultiPoint", "lines": "MultiLineString", "polygons": "MultiPolygon"}

register(
    {
        "ogc.about.boundaries": ("Ranh giới tỉnh và các huyện, thị.", "Province and district boundaries."),
        "ogc.about.zones": (
            "Khu, cụm công nghiệp: diện tích, tỷ lệ lấp đầy, số xung đột quy hoạch.",
            "Industrial zones and clusters: area, occupancy, planning conflicts.",
        ),
        "ogc.about.lots": (
            "Lô đất trong các khu: mục đích sử dụng, tình trạng cho thuê, doanh nghiệp thuê.",
            "Lots in the zones: land use, lease status, tenant.",
        ),
        "ogc.about.clearance": (
            "Thửa đất giải phóng mặt bằng: tình trạng (chủ sử dụng và bồi thường chỉ cán bộ xem được).",
            "Land clearance parcels: status (landholder and compensation for staff only).",
        ),
        "ogc.about.projects": (
            "Công trình hạ tầng (đường, trạm XLNT): kế hoạch và tiến độ.",
            "Infrastructure works (roads, wastewater plant): schedule and progress.",
        ),
        "ogc.about.conflicts": (
            "Xung đột quy hoạch phát hiện bằng phân tích không gian giữa các lớp.",
            "Planning conflicts found by spatial analysis across the layers.",
        ),
    }
)


def _extent(c: Collection) -> list[list[float]]:
    """The data's WGS84 bounds from the stored boxes; the whole world when there is nothing to bound."""
    bounds = current_store().extent(c.layer)
    return [list(bounds)] if bounds is not None else [WORLD]


def describe(c: Collection, lang: str) -> dict[str, Any]:
    """The collection document: id, titles, extent, CRS (Part 2), geometry type and links."""
    title = c.title(lang)
    out: dict[str, Any] = {
        "id": c.id,
        "title": title,
        "description": translate(f"ogc.about.{c.layer}", lang),
        "extent": {"spatial": {"bbox": _extent(c), "crs": crs.CRS84}},
        "itemType": "feature",
        "crs": list(crs.SUPPORTED),
        "storageCrs": crs.STORAGE,
        "links": [
            link("ogc.collection", "self", JSON, title, {"collection_id": c.id}),
            link("ogc.collection", "alternate", HTML, title, {"collection_id": c.id, "f": "html"}),
            link("ogc.items", "items", GEOJSON, f"{title} (GeoJSON)", {"collection_id": c.id}),
            link("ogc.items", "items", HTML, f"{title} (HTML)", {"collection_id": c.id, "f": "html"}),
            link("ogc.queryables", QUERYABLES, SCHEMA,
                 translate("ogc.queryables", lang), {"collection_id": c.id}),
        ],
    }
    if c.kind is not None:
        out["geometryType"] = GEOMETRY_TYPES[c.kind]
    return out


@route("/collections")
def collections():
    lang = current_lang()
    found = [describe(c, lang) for c in listed(current_store())]
    if wants_html():
        return render("collections.html", collections=found, json_href=url_for("ogc.collections", f="json", lang=lang))
    return jsonify(links=alternates("ogc.collections", {}, JSON, translate("ogc.collections", lang)), collections=found)


@route("/collections/<collection_id>")
def collection(collection_id: str):
    lang = current_lang()
    doc = describe(get(collection_id), lang)
    if wants_html():
        return render("collection.html", collection=doc, geojson=None, bounds=doc["extent"]["spatial"]["bbox"][0],
                      json_href=url_for("ogc.collection", collection_id=collection_id, f="json", lang=lang))
    response = jsonify(doc)
    response.headers["Link"] = ", ".join(f'<{l["href"]}>; rel="{l["rel"]}"; type="{l["type"]}"' for l in doc["links"])
    return response


def queryables_schema(c: Collection, lang: str) -> dict[str, Any]:
    """The JSON Schema of what ``c`` can be filtered on (Part 3), with its geometry as ``x-ogc-role`` primary-geometry."""
    properties: dict[str, Any] = {
        "geometry": {"format": KIND_FORMATS[c.kind], "x-ogc-role": "primary-geometry"},
    }
    for q in queryables(c).values():
        label = translate(f"field.{q.name}", lang)
        schema: dict[str, Any] = {"title": q.name if label == f"field.{q.name}" else label, "type": q.type}
        if q.enum:
            schema["enum"] = list(q.enum)
        if q.format:
            schema["format"] = q.format
        properties[q.name] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url_for("ogc.queryables", collection_id=c.id, _external=True),
        "type": "object",
        "title": c.title(lang),
        "properties": properties,
        "additionalProperties": False,
    }


@route("/collections/<collection_id>/queryables", endpoint="queryables")
def queryables_route(collection_id: str):
    c, lang = get(collection_id), current_lang()
    schema = queryables_schema(c, lang)
    if wants_html():
        return render("queryables.html", title=c.title(lang), properties=list(schema["properties"].items()),
                      json_href=url_for("ogc.queryables", collection_id=collection_id, f="json"))
    return Response(json.dumps(schema, ensure_ascii=False), mimetype=SCHEMA)

