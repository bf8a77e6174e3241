"""The tile provider interface and the choice of implementation by database."""
from __future__ import annotations

import datetime as dt
from typing import Protocol

from mapapp.store.backend import Store
from mapapp.tiles.grid import TileRequest

DEFAULT_FEATURE_ZOOM = 13


class TileProvider(Protocol):
    """Builds one Mapbox Vector Tile (bytes, possibly empty) of a tiled layer.

    The tile holds one MVT layer named after the mapapp layer, extent 4096, buffer 64, geometry in
    tile coordinates of EPSG:3857. From ``feature_zoom`` on, one MVT feature per stored feature
    whose geometry meets the buffered tile, with :data:`mapapp.tiles.properties.TILE_PROPERTIES`;
    below it, an overview: the features' colours (:data:`mapapp.tiles.properties.MERGE_BY`) painted on a
    grid of small cells (:mod:`mapapp.tiles.overview`), so a whole province stays under 100 KB a tile.
    """

    store: Store
    feature_zoom: int

    def tile(self, request: TileRequest, at: dt.date) -> bytes: ...


def provider_for(store: Store, feature_zoom: int = DEFAULT_FEATURE_ZOOM) -> TileProvider:
    """PostGIS's ``ST_AsMVT`` on a PostgreSQL database with PostGIS, else ``mapbox-vector-tile`` in Python."""
    if store.engine.dialect.name == "postgresql":
        from mapapp.tiles.postgis_mvt import PostgisTiles, has_postgis

        if has_postgis(store):
            return PostgisTiles(store, feature_zoom)
    from mapapp.tiles.python_mvt import PythonTiles

    return PythonTiles(store, feature_zoom)
