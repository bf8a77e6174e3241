"""OGC API – Features, Part 1: Core, GeoJSON (read-only), so QGIS and other OGC clients open mapapp's layers.

Collections are the layers of :data:`mapapp.layers.LAYERS` plus ``conflicts``.
Features come from the same views and GeoJSON writer as ``/api/layers``, so the
two APIs always agree on what a feature looks like.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
from flask import Blueprint, Response, jsonify, request, url_for

from mapapp import clock
from mapapp.api.geojson import collection_json, feature_json
from mapapp.api.layers import parse_bbox
from mapapp.privacy import viewer_is_staff
from mapapp.queries.layers import layer_view
from mapapp.errors import NotFound
from mapapp.i18n import current_lang, register, translate
from mapapp.layers import LAYERS
from mapapp.store import current_store
from mapapp.store.backend import BBox

ogc_bp = Blueprint("ogc", __name__, url_prefix="/ogc")

TITLE = "mapapp — Hậu Giang industrial zones"
CONFLICTS = "conflicts"
CONFLICT_FIELDS = ("type", "zone_code", "severity")
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
WORLD = [-180.0, -90.0, 180.0, 90.0]
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
)
DEFAULT_LIMIT, MAX_LIMIT = 100, 10_000
RESERVED_PARAMS = {"bbox", "limit", "offset", "f", "lang"}
FORMATS = {"json", "geojson"}
JSON, GEOJSON = "application/json", "application/geo+json"

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
            "Thửa đất giải phóng mặt bằng: chủ sử dụng, tình trạng, bồi thường.",
            "Land clearance parcels: landholder, status, compensation.",
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


class BadQuery(ValueError):
    """A query the client must fix; answered 400 with a one-line JSON error."""


@ogc_bp.errorhandler(BadQuery)
def _bad_query(exc: BadQuery):
    return jsonify(error=str(exc)), 400


@ogc_bp.before_request
def _json_only() -> None:
    """Only JSON is offered; an explicit request for anything else is refused rather than ignored."""
    fmt = request.args.get("f")
    if fmt is not None and fmt not in FORMATS:
        raise BadQuery(f"f must be one of {', '.join(sorted(FORMATS))}, not {fmt!r}")


def _link(endpoint: str, rel: str, type_: str, title: str, values: Mapping[str, Any] | None = None) -> dict[str, str]:
    """An absolute link; ``?lang=`` is carried along so a client stays in the language it asked for."""
    lang = {"lang": request.args["lang"]} if "lang" in request.args else {}
    href = url_for(endpoint, _external=True, **{**lang, **(values or {})})
    return {"href": href, "rel": rel, "type": type_, "title": title}


def _collection_ids() -> list[str]:
    return [*LAYERS, CONFLICTS]


def _collection_or_404(collection_id: str) -> str:
    if collection_id not in _collection_ids():
        raise NotFound(f"unknown collection {collection_id!r}; collections are: {', '.join(_collection_ids())}")
    return collection_id


def _id_column(collection_id: str) -> str:
    return "id" if collection_id == CONFLICTS else "code"


def _fields(collection_id: str) -> tuple[str, ...]:
    return CONFLICT_FIELDS if collection_id == CONFLICTS else LAYERS[collection_id].field_names


def _extent(collection_id: str) -> list[list[float]]:
    """The data's WGS84 bounds from the stored boxes; the whole world when there is nothing to bound (OGC wants a bbox)."""
    bounds = current_store().extent(collection_id)
    return [list(bounds)] if bounds is not None else [WORLD]


def _collection(collection_id: str, lang: str) -> dict[str, Any]:
    title = translate(f"layer.{collection_id}", lang)
    return {
        "id": collection_id,
        "title": title,
        "description": translate(f"ogc.about.{collection_id}", lang),
        "extent": {"spatial": {"bbox": _extent(collection_id), "crs": CRS84}},
        "itemType": "feature",
        "links": [
            _link("ogc.collection", "self", JSON, title, {"collection_id": collection_id}),
            _link("ogc.items", "items", GEOJSON, f"{title} (GeoJSON)", {"collection_id": collection_id}),
        ],
    }


def _count_param(name: str, default: int, minimum: int) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < minimum:
        raise BadQuery(f"{name} must be a whole number of at least {minimum}, not {text!r}")
    return int(text)


def _limit() -> int:
    """Page size; above the maximum it is capped, not refused, as OGC API – Features asks."""
    return min(_count_param("limit", DEFAULT_LIMIT, 1), MAX_LIMIT)


def _bbox() -> BBox | None:
    try:
        return parse_bbox(request.args.get("bbox"))
    except ValueError as exc:
        raise BadQuery(str(exc)) from None


def _filters(collection_id: str) -> dict[str, str]:
    """Equality filters from the query string; an unknown name is refused, as in ``/api/layers``."""
    fields = _fields(collection_id)
    filters = {k: v for k, v in request.args.items() if k not in RESERVED_PARAMS}
    unknown = [k for k in filters if k not in fields]
    if unknown:
        raise BadQuery(f"unknown attribute {unknown[0]!r} for collection {collection_id}; filter on: {', '.join(fields)}")
    return filters


def _conflicts(bbox: BBox | None, filters: dict[str, str]) -> gpd.GeoDataFrame:
    """Conflicts cut by bbox and by the attributes conflicts can be filtered on."""
    return current_store().read_conflicts(
        type_=filters.get("type"), zone=filters.get("zone_code"), severity=filters.get("severity"), bbox=bbox
    )


def _select(collection_id: str, bbox: BBox | None, filters: dict[str, str]) -> gpd.GeoDataFrame:
    if collection_id == CONFLICTS:
        return _conflicts(bbox, filters)
    try:
        return layer_view(current_store(), collection_id, bbox=bbox, filters=filters, staff=viewer_is_staff())
    except ValueError as exc:
        raise BadQuery(f"bad filter value: {exc}") from None


def _paging_links(collection_id: str, matched: int, limit: int, offset: int) -> list[dict[str, str]]:
    """self, and next / prev pages carrying the same query, so a client just follows them."""
    query = {**request.args.to_dict(), "collection_id": collection_id}
    links = [_link("ogc.items", "self", GEOJSON, "this page", query)]
    if offset + limit < matched:
        links.append(_link("ogc.items", "next", GEOJSON, "next page", {**query, "limit": limit, "offset": offset + limit}))
    if offset > 0:
        previous = {**query, "limit": limit, "offset": max(0, offset - limit)}
        links.append(_link("ogc.items", "prev", GEOJSON, "previous page", previous))
    links.append(_link("ogc.collection", "collection", JSON, "the collection", {"collection_id": collection_id}))
    return links


def _with_members(text: str, members: dict[str, Any]) -> str:
    """Add top-level members to a JSON object held as text, so its geometry is not parsed again."""
    tail = "".join(f",{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}" for k, v in members.items())
    return f"{text[:-1]}{tail}}}"


def _now() -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


@ogc_bp.get("")
def landing():
    lang = current_lang()
    return jsonify(
        title=TITLE,
        description=translate("app.title", lang),
        links=[
            _link("ogc.landing", "self", JSON, "this document"),
            _link("ogc.conformance", "conformance", JSON, "conformance classes implemented"),
            _link("ogc.collections", "data", JSON, "the feature collections"),
        ],
    )


@ogc_bp.get("/conformance")
def conformance():
    return jsonify(conformsTo=list(CONFORMANCE))


@ogc_bp.get("/collections")
def collections():
    lang = current_lang()
    return jsonify(
        links=[_link("ogc.collections", "self", JSON, "the feature collections")],
        collections=[_collection(cid, lang) for cid in _collection_ids()],
    )


@ogc_bp.get("/collections/<collection_id>")
def collection(collection_id: str):
    return jsonify(_collection(_collection_or_404(collection_id), current_lang()))


@ogc_bp.get("/collections/<collection_id>/items")
def items(collection_id: str):
    _collection_or_404(collection_id)
    limit, offset = _limit(), _count_param("offset", 0, 0)
    frame = _select(collection_id, _bbox(), _filters(collection_id))
    page = frame.iloc[offset : offset + limit]
    extra = {
        "numberMatched": len(frame),
        "numberReturned": len(page),
        "timeStamp": _now(),
        "links": _paging_links(collection_id, len(frame), limit, offset),
    }
    return Response(collection_json(page, id_column=_id_column(collection_id), extra=extra), mimetype=GEOJSON)


@ogc_bp.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str):
    id_column = _id_column(_collection_or_404(collection_id))
    frame = _select(collection_id, None, {id_column: feature_id})
    if frame.empty:
        raise NotFound(f"no feature {feature_id!r} in collection {collection_id}")
    links = [
        _link("ogc.item", "self", GEOJSON, "this feature", {"collection_id": collection_id, "feature_id": feature_id}),
        _link("ogc.collection", "collection", JSON, "the collection", {"collection_id": collection_id}),
    ]
    return Response(_with_members(feature_json(frame, id_column=id_column), {"links": links}), mimetype=GEOJSON)
