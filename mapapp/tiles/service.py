"""One tile for a request: from the cache when its layer's data has not changed, else built."""
from __future__ import annotations

import datetime as dt

from mapapp import clock
from mapapp.store.reads import no_gc_passes
from mapapp.tiles.cache import TileCache, etag_of
from mapapp.tiles.grid import TileRequest
from mapapp.tiles.provider import TileProvider

# Part of every key: a change to what tiles hold (attributes, merging) must not meet old cached tiles.
TILE_SCHEMA = 1


class Tiles:
    """A provider and its cache: :meth:`key` (cheap: one query, no tile built; its ETag answers a 304) and :meth:`get`."""

    def __init__(self, provider: TileProvider, cache: TileCache) -> None:
        self.provider = provider
        self.cache = cache

    def key(self, request: TileRequest, at: dt.date | None) -> tuple[tuple, dt.date]:
        """(the cache key of the tile, the date it shows: ``at``, else the dataset's date, else today).

        One query reads the layer's data version and the dataset's date: a cached tile costs that query."""
        version, meta = self.provider.store.layer_version(request.layer, also=("as_of",))
        if at is None:
            at = dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else clock.today()
        dated = at.isoformat() if request.layer == "clearance" else None  # lots do not change with the date
        return (TILE_SCHEMA, self.provider.feature_zoom, request.layer, version, dated, request.z, request.x, request.y), at

    def get(self, key: tuple, request: TileRequest, at: dt.date) -> tuple[bytes, str]:
        """(tile bytes, strong ETag) for ``key`` (from :meth:`key`)."""
        data = self.cache.get(key)
        if data is None:
            # no cyclic collection while a tile is built: its features' temporary dicts and lists are freed as
            # they go instead of being promoted to the old generation, whose full passes cost ~100 ms
            with no_gc_passes():
                data = self.provider.tile(request, at)
            self.cache.put(key, data)
        return data, etag_of(key)
