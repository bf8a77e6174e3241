"""The OpenAPI 3.0 document of ``/ogc``, generated from the layer specs.

Each listed collection gets its own paths (``/collections/lots/items`` …) with the
common parameters (bbox, bbox-crs, crs, datetime, limit, offset, filter, filter-lang)
and one query parameter per queryable, typed (and enumerated) from
:mod:`mapapp.layers`, so GDAL, QGIS and OWSLib see what each collection can be filtered on.
"""
from __future__ import annotations

from typing import Any

from mapapp.api.ogc import crs
from mapapp.api.ogc.catalogue import Collection, listed, queryables
from mapapp.api.ogc.params import DEFAULT_LIMIT, MAX_LIMIT

_ERROR = {"description": "a bad request or unknown resource", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}}
_JSON_OK = {"content": {"application/json": {"schema": {"type": "object"}}, "text/html": {"schema": {"type": "string"}}}}


def _param(name: str, description: str, schema: dict, style: str = "form", explode: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema, "style": style, "explode": explode}


def _common() -> dict[str, dict]:
    return {
        "f": _param("f", "Response format.", {"type": "string", "enum": ["json", "html"]}),
        "lang": _param("lang", "Language of titles (Vietnamese first).", {"type": "string", "enum": ["vi", "en"], "default": "vi"}),
        "bbox": _param(
            "bbox",
            "Features whose geometry intersects the box: minx,miny,maxx,maxy (or 6 numbers with heights), in bbox-crs.",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        ),
        "bbox-crs": _param("bbox-crs", "CRS of bbox.", {"type": "string", "format": "uri", "enum": list(crs.SUPPORTED), "default": crs.CRS84}),
        "crs": _param("crs", "CRS of the returned geometry.", {"type": "string", "format": "uri", "enum": list(crs.SUPPORTED), "default": crs.CRS84}),
        "datetime": _param(
            "datetime",
            "An instant or interval (start/end, .. for open). Projects are matched on planned_start..planned_end, "
            "clearance parcels on their status events; other collections have no time and always match.",
            {"type": "string"},
        ),
        "limit": _param("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
        "offset": _param("offset", "Features to skip (the next/prev links carry it).", {"type": "integer", "minimum": 0, "default": 0}),
        "filter": _param("filter", "CQL2 text: comparisons joined by AND / OR / NOT, e.g. status='available' AND area_ha>2.", {"type": "string"}),
        "filter-lang": _param("filter-lang", "Filter language.", {"type": "string", "enum": ["cql2-text"], "default": "cql2-text"}),
        "featureId": {"name": "featureId", "in": "path", "required": True, "description": "The feature's code (conflicts: its id).", "schema": {"type": "string"}},
    }


def _queryable_params(collection: Collection) -> list[dict]:
    out = []
    for q in queryables(collection).values():
        schema: dict[str, Any] = {"type": q.type}
        if q.enum:
            schema["enum"] = list(q.enum)
        if q.format:
            schema["format"] = q.format
        out.append(_param(q.name, f"Features whose {q.name} equals the value.", schema))
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _get(summary: str, operation: str, parameters: list, content: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"summary": summary, "operationId": operation, "parameters": parameters,
                    "responses": {"200": {"description": summary, **content}, "400": _ERROR, "404": _ERROR}}}


def _collection_paths(c: Collection) -> dict[str, Any]:
    base = f"/collections/{c.id}"
    item_params = [_ref(n) for n in ("f", "lang", "bbox", "bbox-crs", "crs", "datetime", "limit", "offset", "filter", "filter-lang")]
    geojson = {"content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/featureCollectionGeoJSON"}},
                           "text/html": {"schema": {"type": "string"}}}}
    feature = {"content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/featureGeoJSON"}},
                           "text/html": {"schema": {"type": "string"}}}}
    op = c.id.replace("-", "_")
    return {
        base: _get(f"The {c.id} collection", f"describe_{op}", [_ref("f"), _ref("lang")], _JSON_OK),
        f"{base}/items": _get(f"Features of {c.id}", f"get_{op}_features", item_params + _queryable_params(c), geojson),
        f"{base}/items/{{featureId}}": _get(f"One feature of {c.id}", f"get_{op}_feature", [_ref("featureId"), _ref("f"), _ref("crs"), _ref("lang")], feature),
        f"{base}/queryables": _get(f"What {c.id} can be filtered on", f"get_{op}_queryables", [_ref("f")],
                                   {"content": {"application/schema+json": {"schema": {"type": "object"}}}}),
    }


def document(server_url: str, title: str, description: str, collections: list[Collection] | None = None) -> dict[str, Any]:
    """The OpenAPI 3.0.3 document; ``server_url`` is the absolute address of ``/ogc``, ``collections`` those listed (default: all)."""
    paths: dict[str, Any] = {
        "/": _get("Landing page", "getLandingPage", [_ref("f"), _ref("lang")], _JSON_OK),
        "/conformance": _get("Conformance classes", "getConformance", [_ref("f")], _JSON_OK),
        "/api": _get("This API definition", "getAPI", [_ref("f")],
                     {"content": {"application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}}}}),
        "/collections": _get("The feature collections", "getCollections", [_ref("f"), _ref("lang")], _JSON_OK),
    }
    for c in listed() if collections is None else collections:
        paths.update(_collection_paths(c))
    geometry = {"type": "object", "nullable": True, "required": ["type"], "properties": {"type": {"type": "string"}}}
    feature = {"type": "object", "required": ["type", "geometry", "properties"],
               "properties": {"type": {"type": "string", "enum": ["Feature"]}, "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                              "geometry": geometry, "properties": {"type": "object", "nullable": True}}}
    collection = {"type": "object", "required": ["type", "features"],
                  "properties": {"type": {"type": "string", "enum": ["FeatureCollection"]},
                                 "features": {"type": "array", "items": {"$ref": "#/components/schemas/featureGeoJSON"}},
                                 "numberMatched": {"type": "integer", "minimum": 0}, "numberReturned": {"type": "integer", "minimum": 0},
                                 "timeStamp": {"type": "string", "format": "date-time"}, "links": {"type": "array", "items": {"type": "object"}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "description": description, "version": "1.0.0",
                 "license": {"name": "Sample data is illustrative; see data/geo/PROVENANCE.md"}},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "parameters": _common(),
            "schemas": {
                "exception": {"type": "object", "required": ["code"],
                              "properties": {"code": {"type": "string"}, "description": {"type": "string"}, "error": {"type": "string"}}},
                "featureGeoJSON": feature,
                "featureCollectionGeoJSON": collection,
            },
        },
    }
