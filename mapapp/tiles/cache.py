"""Built tiles kept in memory under a key that names the data they were built from.

The key holds the layer's data version, read from the database on every request
(:func:`mapapp.store.versions.layer_version`): a write anywhere (in any process) gives the layer
a new version, so a cached tile can never be served stale and no process needs telling. The
cache only saves work; what it holds is bounded in bytes (oldest dropped first).
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict


class TileCache:
    """A thread-safe LRU of tile bytes bounded by ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def put(self, key: tuple, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._size += len(data) - (len(old) if old is not None else 0)
            self._items[key] = data
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


def etag_of(key: tuple) -> str:
    """A strong ETag for the tile a key names (the same data version gives the same tile)."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:24]
