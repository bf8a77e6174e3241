"""Reading a collection's features for a query: one page and the number matched.

Layers are paged in SQL (:meth:`Store.read_page`: ``COUNT`` and ``LIMIT/OFFSET`` on the
code index), so a page costs a page. Conflicts are few (one row per clash found by the
analysis) and carry no geometry-type column: they are read whole, filtered and sliced.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
from flask import request

from mapapp.api.ogc import cql2, crs
from mapapp.api.ogc.catalogue import CONFLICTS, Collection
from mapapp.api.ogc.params import ItemsQuery
from mapapp.queries import lot_pages
from mapapp.queries.layers import NEVER_SHOWN, view_of
from mapapp.geom import type_names
from mapapp.layers import LAYERS
from mapapp.privacy import STAFF_ONLY_COLUMNS, viewer_is_staff
from mapapp.store.backend import Store


def _with_kind(collection: Collection, where: tuple | None) -> tuple | None:
    """``where`` and the collection's geometry kind; the kind is left out when the layer allows no other type (the
    write path refuses any other: :func:`mapapp.sources.validate.check_geometry`), so a page walks the code index alone."""
    if collection.geometry_types is None or set(LAYERS[collection.layer].geometry_types) <= set(collection.geometry_types):
        return where
    kind = ("in", "geom_type", list(collection.geometry_types))
    return kind if where is None else ("and", [kind, where])


def unseen(staff: bool) -> tuple[str, ...]:
    """Stored columns no feature of a page shows this viewer (internal ones; for the public, the staff-only ones
    :func:`mapapp.privacy.redact` would drop): not read at all. Personal fields are read: figures derive from some
    (a parcel's status at a date from its payments)."""
    return NEVER_SHOWN if staff else (*NEVER_SHOWN, *STAFF_ONLY_COLUMNS)


def _conflicts(store: Store, collection: Collection, query: ItemsQuery) -> tuple[gpd.GeoDataFrame, int]:
    """Conflicts have no time of their own: every ``datetime`` matches them."""
    frame = store.read_conflicts(bbox=query.bbox)
    keep = np.ones(len(frame), dtype=bool)
    if collection.geometry_types is not None and len(frame):
        keep &= np.isin(type_names(frame.geometry.values), collection.geometry_types)
    if query.where is not None and len(frame):
        keep &= cql2.mask(frame, query.where)
    frame = frame[keep]
    return frame.iloc[query.offset : query.offset + query.limit], len(frame)


def page(store: Store, collection: Collection, query: ItemsQuery) -> tuple[gpd.GeoDataFrame, int]:
    """(the page's features as users see them, WGS84; how many match in all)."""
    if collection.layer == CONFLICTS:
        return _conflicts(store, collection, query)
    include_retired = request.args.get("include") == "retired"  # features retired by an import, as /api lists them
    staff = viewer_is_staff()
    frame, matched = store.read_page(
        collection.layer,
        bbox=query.bbox,
        where=_with_kind(collection, query.where),
        limit=query.limit,
        offset=query.offset,
        dates=query.dates,
        include_retired=include_retired,
        skip=unseen(staff),
    )
    return view_of(store, collection.layer, frame, staff=staff, include_retired=include_retired), matched


def lot_page(store: Store, collection: Collection, query: ItemsQuery) -> tuple[list[str], int] | None:
    """A plain page of lots (no bbox, condition nor dates, in CRS84) as Feature texts and how many match, written
    from plain rows (:mod:`mapapp.queries.lot_pages`: the bytes :func:`page` then the GeoJSON writer give);
    None for any other query."""
    if collection.layer != "lots" or collection.id_column != "code" or query.crs != crs.STORAGE:
        return None
    if query.bbox is not None or query.dates is not None or _with_kind(collection, query.where) is not None:
        return None
    include_retired = request.args.get("include") == "retired"
    return lot_pages.page(store, query.limit, query.offset, viewer_is_staff(), include_retired)


def one(store: Store, collection: Collection, feature_id: str) -> gpd.GeoDataFrame:
    """The feature ``feature_id`` of the collection (empty when there is none, or it is of another geometry kind)."""
    if collection.layer == CONFLICTS:
        frame = store.read_conflicts()
        frame = frame[frame["id"] == feature_id]
        if collection.geometry_types is not None and len(frame):
            frame = frame[np.isin(type_names(frame.geometry.values), collection.geometry_types)]
        return frame
    staff = viewer_is_staff()
    frame, _ = store.read_page(collection.layer, where=_with_kind(collection, ("=", "code", feature_id)), limit=1,
                               skip=unseen(staff))
    return view_of(store, collection.layer, frame, staff=staff)
