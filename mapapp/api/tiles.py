"""Route: /tiles/<layer>/<z>/<x>/<y>.pbf — Mapbox Vector Tiles of the large layers (see :mod:`mapapp.tiles`)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from mapapp.api import bad_request
from mapapp.api.layers import parse_date
from mapapp.errors import NotFound
from mapapp.store import current_store
from mapapp.tiles.cache import TileCache, etag_of
from mapapp.tiles.grid import TileOutOfRange, TileRequest
from mapapp.tiles.provider import provider_for
from mapapp.tiles.service import Tiles

tiles_bp = Blueprint("tiles", __name__)
MVT_TYPE = "application/vnd.mapbox-vector-tile"


def _tiles() -> Tiles:
    """The app's tile service (one per app: its cache is keyed by data versions read from the database)."""
    tiles = current_app.extensions.get("mapapp.tiles")
    if tiles is None:
        settings = current_app.config["MAPAPP"]
        tiles = Tiles(provider_for(current_store(), settings.tile_feature_zoom), TileCache(settings.tile_cache_mb * 1024 * 1024))
        current_app.extensions["mapapp.tiles"] = tiles
    return tiles


@tiles_bp.get("/tiles/<layer>/<z>/<x>/<y>.pbf")
def tile(layer: str, z: str, x: str, y: str):
    """One tile; ``?at=YYYY-MM-DD`` shows parcels as they were that day (default: the dataset's date).

    404 for a layer without tiles or a tile outside the grid; 400 for z, x, y that are not whole
    numbers or a bad date. ``ETag`` + ``Cache-Control: no-cache``: clients revalidate, 304 when unchanged.
    """
    try:
        zxy = tuple(int(v) for v in (z, x, y))
    except ValueError:
        return bad_request(f"z, x and y must be whole numbers, as in /tiles/{layer}/14/13009/7680.pbf; not {z}/{x}/{y}")
    try:
        at = parse_date(request.args.get("at"))
    except ValueError as exc:
        return bad_request(str(exc))
    try:
        wanted = TileRequest(layer, *zxy)
    except TileOutOfRange as exc:
        raise NotFound(exc.args[0]) from None  # its Reason: the line in each language
    tiles = _tiles()
    key, at = tiles.key(wanted, at)
    tag = etag_of(key)
    if tag in request.if_none_match:
        response = Response(status=304)
    else:
        data, tag = tiles.get(key, wanted, at)
        response = Response(data, mimetype=MVT_TYPE)
    response.set_etag(tag)
    response.headers["Cache-Control"] = "public, no-cache"
    return response
