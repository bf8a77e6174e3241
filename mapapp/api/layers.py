"""Routes: /api/layers, /api/layers/<layer>, /api/layers/<layer>/<code>, /api/search."""
from __future__ import annotations

import datetime as dt

from flask import Response, jsonify, request

from mapapp.api import api_bp, bad_request, confirmation_needed, json_with_confirm, kept_answers, refused
from mapapp.auth.web import current_actor_name, require, via
from mapapp.changes.model import Actor
from mapapp.edits import edit_feature
from mapapp.errors import ChangeRefused, ConfirmationNeeded, NotFound, VersionConflict
from mapapp.geojson import collection_json, collection_text, feature_json
from mapapp.i18n import current_lang, translate
from mapapp.layers import LAYERS
from mapapp.privacy import viewer_is_staff
from mapapp.queries import lot_view, zone_view
from mapapp.queries.layers import layer_view
from mapapp.queries.search import find as find_hits
from mapapp.refusals import Reason
from mapapp.refusals.labels import layer_names
from mapapp.store import current_store
from mapapp.text import fold
from mapapp.values import nfc

RESERVED_PARAMS = {"bbox", "lang", "at", "include"}
SEARCH_MAX = 100  # characters of a search query


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
        raise NotFound(Reason("notfound.layer", name=repr(name), names=", ".join(LAYERS)))
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
    include = request.args.get("include", "")
    if include not in ("", "retired"):
        return bad_request("include takes one value: retired")
    staff = viewer_is_staff()
    filters = {k: nfc(v) for k, v in request.args.items() if k not in RESERVED_PARAMS}
    unknown = [k for k in filters if k not in spec.field_names or (not staff and k in spec.personal_fields)]
    if unknown:
        return bad_request(f"unknown attribute {unknown[0]!r} for layer {layer}; filter on: {', '.join(spec.field_names)}")
    store = current_store()
    if layer == "zones" and bbox is None and not filters:
        # the date resolved with the key, so the answer kept is the one its key names
        key, shown = kept_answers.key_of(store, layer, at, staff, include)
        # the zones kept in parts by what each was made from (mapapp.queries.zone_view): the same bytes as below
        return _geojson(kept_answers.answer(key, lambda: zone_view.answer(store, shown, staff, bool(include))))
    if layer == "lots" and bbox is not None and not filters:
        # the map's view: written from plain rows (mapapp.queries.lot_view), the same bytes as below
        features = lot_view.bbox_features(store, bbox, at, staff, bool(include))
        return _geojson(collection_text(features, {"layer": layer}))
    try:
        frame = layer_view(store, layer, bbox=bbox, filters=filters, at=at, staff=staff, include_retired=bool(include))
    except ValueError as exc:
        return bad_request(f"bad filter value: {exc}")
    return _geojson(collection_json(frame, extra={"layer": layer}))


def etag(version) -> str:
    """The strong ETag of a feature's stored version (RFC 9110 §8.8.3)."""
    return f'"v{int(version or 1)}"'


def _if_match() -> tuple[int | None, Response | None]:
    """The version an If-Match names: 428 without one, 412 for one that is not a version of ours."""
    header = request.headers.get("If-Match")
    if not header:
        return None, bad_request(Reason("request.if_match_required"), 428)
    if header.strip() == "*":
        return None, None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.startswith("v") or not value[1:].isdigit():
        return None, bad_request(Reason("request.if_match_unknown", header=header), 412)
    return int(value[1:]), None


def _feature_text(layer: str, code: str, at: dt.date | None) -> tuple[str, int] | None:
    """One feature (retired or not) as Feature text and its stored version; None when there is none."""
    if layer == "lots":
        # written from its plain row and kept readiness (mapapp.queries.lot_view), the generic path's bytes
        return lot_view.feature(current_store(), code, at, viewer_is_staff())
    frame = layer_view(current_store(), layer, filters={"code": code}, at=at, staff=viewer_is_staff(), include_retired=True)
    return None if frame.empty else (feature_json(frame), frame["version"].iloc[0])


def feature_response(layer: str, code: str, at: dt.date | None = None) -> Response:
    """One feature (retired or not) as GeoJSON with its ETag, its figures at ``at``; NotFound if there is none."""
    found = _feature_text(layer, nfc(code), at)
    if found is None:
        raise NotFound(Reason("notfound.feature", code=repr(code), layer=layer_names(layer)))
    response = _geojson(found[0])
    response.set_etag(etag(found[1]).strip('"'))
    return response


@api_bp.get("/layers/<layer>/<code>")
def get_feature(layer: str, code: str):
    """A feature with its ``ETag``; a retired one answers too, marked ``"retired": true``. ``?at=`` as for the layer."""
    _layer_or_404(layer)
    try:
        at = parse_date(request.args.get("at"))
    except ValueError as exc:
        return bad_request(str(exc))
    return feature_response(layer, code, at)


@api_bp.patch("/layers/<layer>/<code>")
@require("edit")
def patch_feature(layer: str, code: str):
    """Change attributes (a JSON object, or ``{"properties": {...}, "geometry": {...}}``) through the write path.

    ``If-Match`` (the ETag of a GET) is required: 428 without it, 412 when the
    feature changed since. Warnings answer 409 unless ``"confirm": true``.
    """
    _layer_or_404(layer)
    code = nfc(code)
    if_version, refusal = _if_match()
    if refusal is not None:
        return refusal
    body, confirm, refusal = json_with_confirm('{"status": "cleared"}')
    if refusal is not None:
        return refusal
    geometry = body.get("geometry")
    if isinstance(body.get("properties"), dict):
        changes = dict(body["properties"])
    else:
        changes = {k: v for k, v in body.items() if k not in ("geometry", "type")}
    actor = Actor(current_actor_name(), via())
    try:
        result = edit_feature(current_store(), layer, code, changes, actor, if_version=if_version, confirm=confirm, geometry=geometry)
    except VersionConflict as exc:
        response = jsonify(error=str(exc), message=exc.messages(), version=exc.version, changed_by=exc.changed_by,
                           changed_at=exc.changed_at)
        response.status_code = 412
        return response
    except ConfirmationNeeded as exc:
        return confirmation_needed(exc.warnings, "change")
    except ChangeRefused as exc:
        return refused(exc)
    response = feature_response(layer, code)
    if result.warnings:
        response.headers["X-Mapapp-Confirmed-Warnings"] = str(len(result.warnings))
    return response


@api_bp.get("/search")
def search():
    """Features whose code, name, tenant or owner contains the query, accents ignored."""
    raw = nfc(request.args.get("q", "").strip())
    if len(raw) > SEARCH_MAX:
        return bad_request(f"a search query has at most {SEARCH_MAX} characters")
    query = fold(raw)
    if len(query) < 2:
        return jsonify(results=[])
    return jsonify(results=find_hits(current_store(), query, viewer_is_staff()))


@api_bp.get("/layers/<layer>/<code>/history")
@require("edit")
def feature_history(layer: str, code: str):
    """The feature's audit entries, newest first (staff: they name who changed what, before and after)."""
    _layer_or_404(layer)
    return jsonify(history=current_store().audit(layer=layer, code=nfc(code)))


@api_bp.post("/audit/<int:entry_id>/revert")
@require("revert")
def revert_change(entry_id: int):
    """Revert one audit entry as a new change (itself logged)."""
    from mapapp.changes.revert import revert

    try:
        result = revert(current_store(), entry_id, Actor(current_actor_name(), via()))
    except ChangeRefused as exc:
        return refused(exc)
    return jsonify(reverted=entry_id, change=result.change_id, **result.counts())
