"""The map's search box: features whose code, name, tenant or owner contains the words, accents ignored.

Layers are searched in :data:`SEARCH_LAYERS` order through their search index
(:func:`mapapp.store.search_index.hits`, one connection for all), until :data:`MAX_RESULTS` hits.
"""
from __future__ import annotations

from mapapp.store import search_index
from mapapp.store.backend import Store

#: The layers searched, in the order their hits are listed.
SEARCH_LAYERS = ("zones", "projects", "lots", "clearance")
#: At most this many hits in all.
MAX_RESULTS = 20


def find(store: Store, folded: str, staff: bool) -> list[dict]:
    """Hits of ``folded`` (a query already folded by :func:`mapapp.text.fold`): ``{"layer", "code", "label"}`` (the
    name, tenant or owner; owners for ``staff`` only; ``""`` when none), ``"bbox"`` ``[minx, miny, maxx, maxy]`` and
    ``"point"`` (its centre), WGS84 degrees: enough to go there."""
    results: list[dict] = []
    with store.engine.connect() as conn:
        for layer in SEARCH_LAYERS:
            for code, label, x0, y0, x1, y1 in search_index.hits(conn, layer, folded, MAX_RESULTS - len(results), staff):
                results.append({"layer": layer, "code": code, "label": label if isinstance(label, str) else "",
                                "bbox": [x0, y0, x1, y1], "point": [(x0 + x1) / 2, (y0 + y1) / 2]})
            if len(results) >= MAX_RESULTS:
                break
    return results
