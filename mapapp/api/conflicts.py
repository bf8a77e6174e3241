"""Route: /api/conflicts — the planning conflicts as an RFC 7946 FeatureCollection."""
from __future__ import annotations

from flask import Response, request

from mapapp.analysis.conflicts.catalogue import HIGH, LOW, MEDIUM, RULES
from mapapp.api import api_bp, bad_request
from mapapp.geojson import collection_json
from mapapp.api.layers import parse_bbox
from mapapp.store import current_store


@api_bp.get("/conflicts")
def list_conflicts():
    """Filters: ``type``, ``zone`` (zone code), ``severity``, ``bbox``."""
    try:
        bbox = parse_bbox(request.args.get("bbox"))
    except ValueError as exc:
        return bad_request(str(exc))
    # a misspelt type or severity would match nothing and look like "no conflicts": say what is accepted
    for name, known in (("type", list(RULES)), ("severity", [HIGH, MEDIUM, LOW])):
        value = request.args.get(name)
        if value and value not in known:
            return bad_request(f"{name} {value!r} is not one of {', '.join(known)}")
    store = current_store()
    frame = store.read_conflicts(
        type_=request.args.get("type"), zone=request.args.get("zone"), bbox=bbox, severity=request.args.get("severity")
    )
    extra = {"computed_at": store.get_meta("conflicts_computed_at")}
    return Response(collection_json(frame, id_column="id", extra=extra), mimetype="application/geo+json")
