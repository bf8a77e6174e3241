"""Vector tiles (Mapbox Vector Tile 2.1) of the large layers: lots and clearance parcels.

``/tiles/<layer>/<z>/<x>/<y>.pbf`` (see :mod:`mapapp.api.tiles`) asks a :class:`TileProvider`
(:mod:`mapapp.tiles.provider`: a small class behind a narrow interface, as pygeoapi's
providers are) for one tile: on SQLite it is built in Python with the ``mapbox-vector-tile``
library (:mod:`mapapp.tiles.python_mvt`), on PostGIS by ``ST_AsMVT`` from the stored WKB
(:mod:`mapapp.tiles.postgis_mvt`). Tiles carry public attributes only (:mod:`mapapp.tiles.properties`)
and are cached under the layer's data version read from the database (:mod:`mapapp.tiles.cache`),
so several app processes never disagree and a write invalidates exactly its layer's tiles.
"""
from mapapp.tiles.grid import TILE_LAYERS, TileRequest
from mapapp.tiles.provider import TileProvider, provider_for

__all__ = ["TILE_LAYERS", "TileProvider", "TileRequest", "provider_for"]
