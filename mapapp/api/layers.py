"""Routes: /api/layers, /api/layers/<layer>, /api/layers/<layer>/<code>, /api/search."""
from __future__ import annotations

import datetime as dt

from flask import Response, jsonify, request

from mapapp.api import api_bp, bad_request
from mapapp.api.geojson import collection_json, feature_json
from mapapp.api.views import layer_view
from mapapp.edits import edit_feature
from mapapp.errors import EditRefused, NotFound
from mapapp.i18n import current_lang, translate
from mapapp.layers import LAYERS
from mapapp.store import current_store
from mapapp.text import fold

RESERVED_PARAMS = {"bbox", "lang", "at"}


def _geojson(text: str) -> Response:
    return Response(text, mimetype="application/geo+json")


def parse_bbox(text: str | None):
    """``minx,miny,maxx,maxy`` in degrees, or ValueError saying what is wrong."""
    if not text:
        return None
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise ValueError("bbox must be four numbers: minx,miny,maxx,maxy") from None
    if len(values) != 4:
        raise ValueError("bbox must be four numbers: minx,miny,maxx,maxy")
    minx, miny, maxx, maxy = values
    if minx > maxx or miny > maxy:
        raise ValueError("bbox must have minx <= maxx and miny <= maxy")
    return values


def parse_date(text: str | None) -> dt.date | None:
    """``YYYY-MM-DD``: the date whose state the answer shows (default: the dataset's date)."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"at must be a date YYYY-MM-DD, not {text!r}") from None


def _layer_or_404(name: str):
    if name not in LAYERS:
        raise NotFound(f"unknown layer {name!r}; layers are: {', '.join(LAYERS)}")
    return LAYERS[name]


@api_bp.get("/layers")
def list_layers():
    store = current_store()
    lang = current_lang()
    counts = store.counts()
    return jsonify(
        layers=[
            {
                "name": name,
                "title": translate(f"layer.{name}", lang),
                "count": counts[name],
                "fields": list(spec.field_names),
                "geometry_types": list(spec.geometry_types),
                "url": f"/api/layers/{name}",
            }
            for name, spec in LAYERS.items()
        ]
    )


@api_bp.get("/layers/<layer>")
def get_layer_features(layer: str):
    spec = _layer_or_404(layer)
    try:
        bbox = parse_bbox(request.args.get("bbox"))
    except ValueError as exc:
        return bad_request(str(exc))
    try:
        at = parse_date(request.args.get("at"))
    except ValueError as exc:
        return bad_request(str(exc))
    filters = {k: v for k, v in request.args.items() if k not in RESERVED_PARAMS}
    unknown = [k for k in filters if k not in spec.field_names]
    if unknown:
        return bad_request(f"unknown attribute {unknown[0]!r} for layer {layer}; filter on: {', '.join(spec.field_names)}")
    try:
        frame = layer_view(current_store(), layer, bbox=bbox, filters=filters, at=at)
    except ValueError as exc:
        return bad_request(f"bad filter value: {exc}")
    return _geojson(collection_json(frame, extra={"layer": layer}))


@api_bp.get("/layers/<layer>/<code>")
def get_feature(layer: str, code: str):
    _layer_or_404(layer)
    frame = layer_view(current_store(), layer, filters={"code": code})
    if frame.empty:
        raise NotFound(f"no feature {code!r} in layer {layer}")
    return _geojson(feature_json(frame))


@api_bp.patch("/layers/<layer>/<code>")
def patch_feature(layer: str, code: str):
    """Change attributes (JSON object, or ``{"properties": {...}}``); conflicts are recomputed."""
    _layer_or_404(layer)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return bad_request("send a JSON object of attributes, e.g. {\"status\": \"cleared\"}")
    changes = body.get("properties", body) if isinstance(body.get("properties"), dict) else body
    try:
        edit_feature(current_store(), layer, code, changes)
    except EditRefused as exc:
        return bad_request(str(exc))
    return get_feature(layer, code)


SEARCH_LAYERS = ("zones", "projects", "lots", "clearance")
MAX_RESULTS = 20


def _matches(store, layer: str, query: str, limit: int) -> list[dict]:
    """Hits in one layer from the stored folded text; the bounding box is enough to go there."""
    hits = store.search(layer, query, limit)
    label_cols = [c for c in ("name", "tenant", "owner") if c in hits.columns]
    labels = hits[label_cols].bfill(axis=1).iloc[:, 0] if label_cols and len(hits) else [""] * len(hits)
    return [
        {
            "layer": layer,
            "code": code,
            "label": label if isinstance(label, str) else "",
            "bbox": [x0, y0, x1, y1],
            "point": [(x0 + x1) / 2, (y0 + y1) / 2],
        }
        for code, label, x0, y0, x1, y1 in zip(hits["code"], labels, hits["minx"], hits["miny"], hits["maxx"], hits["maxy"])
    ]


@api_bp.get("/search")
def search():
    """Features whose code, name, tenant or owner contains the query, accents ignored."""
    query = fold(request.args.get("q", "").strip())
    if len(query) < 2:
        return jsonify(results=[])
    store = current_store()
    results: list[dict] = []
    for layer in SEARCH_LAYERS:
        results += _matches(store, layer, query, MAX_RESULTS - len(results))
        if len(results) >= MAX_RESULTS:
            break
    return jsonify(results=results)
