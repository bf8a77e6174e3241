"""Routes ``/ogc/collections/{id}/items`` and ``/ogc/collections/{id}/items/{featureId}``.

GeoJSON from mapapp's one writer (RFC 7946 rings, attributes the viewer may see),
in CRS84 or, with ``crs``, EPSG:5897 metres (``Content-Crs`` says which). Pages carry
``numberMatched`` (a count query), ``numberReturned`` and ``next``/``prev`` links.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import geopandas as gpd
from flask import Response, request, url_for

from mapapp import clock
from mapapp.api.ogc import crs, selection
from mapapp.api.ogc.catalogue import Collection, get
from mapapp.api.ogc.common import GEOJSON, HTML, JSON, QUERYABLES, SCHEMA, BadQuery, link, route, wants_html
from mapapp.api.ogc.html import render
from mapapp.api.ogc.params import ItemsQuery, items_query
from mapapp.errors import NotFound
from mapapp.geojson import collection_json, collection_text, feature_json
from mapapp.i18n import current_lang
from mapapp.refusals import Reason
from mapapp.store import current_store
from mapapp.store.reads import no_gc_passes


def _in_crs(frame: gpd.GeoDataFrame, target: str) -> gpd.GeoDataFrame:
    if target == crs.STORAGE or frame.empty:
        return frame
    out = frame.copy()
    out[out.geometry.name] = crs.reproject(out.geometry.values, crs.STORAGE, target)
    return out


def _headers(target: str, links: list[dict[str, str]] = ()) -> dict[str, str]:
    """``Content-Crs`` (Part 2) and the page's links as an RFC 8288 ``Link`` header too (some clients read only that)."""
    headers = {"Content-Crs": f"<{target}>"}
    if links:
        headers["Link"] = ", ".join(f'<{l["href"]}>; rel="{l["rel"]}"; type="{l["type"]}"' for l in links)
    return headers


def _paging_links(c: Collection, query: ItemsQuery, matched: int, html: bool) -> list[dict[str, str]]:
    """self, alternate, and next / prev pages carrying the same query, so a client just follows them."""
    base = {k: v for k, v in request.args.items() if k != "f"}
    values = {**base, "collection_id": c.id}
    own, other = ("html", "json") if html else ("json", "html")
    kind = {"html": HTML, "json": GEOJSON}
    links = [
        link("ogc.items", "self", kind[own], "this page", {**values, "f": own}),
        link("ogc.items", "alternate", kind[other], "this page", {**values, "f": other}),
    ]
    if query.offset + query.limit < matched:
        links.append(link("ogc.items", "next", kind[own], "next page",
                          {**values, "limit": query.limit, "offset": query.offset + query.limit, "f": own}))
    if query.offset > 0:
        links.append(link("ogc.items", "prev", kind[own], "previous page",
                          {**values, "limit": query.limit, "offset": max(0, query.offset - query.limit), "f": own}))
    links.append(link("ogc.collection", "collection", JSON, "the collection", {"collection_id": c.id}))
    links.append(link("ogc.queryables", QUERYABLES, SCHEMA, "what can be filtered on", {"collection_id": c.id}))
    return links


def _stamp() -> str:
    """Now, RFC 3339 in UTC."""
    return clock.now().astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@route("/collections/<collection_id>/items")
def items(collection_id: str):
    c = get(collection_id)
    html = wants_html()
    query = items_query(c)
    # no cyclic collection while the page is built: its ~10⁵ temporary objects are freed as they go, and
    # none is promoted to the old generation, whose full passes cost ~100 ms with the figures kept in memory
    with no_gc_passes():
        return _items(c, html, query)


def _extra(c: Collection, query: ItemsQuery, matched: int, returned: int, html: bool) -> dict[str, Any]:
    """The members a page carries before its features: counts, time stamp, links."""
    return {"numberMatched": matched, "numberReturned": returned, "timeStamp": _stamp(),
            "links": _paging_links(c, query, matched, html)}


def _items(c: Collection, html: bool, query: ItemsQuery):
    plain = None if html else selection.lot_page(current_store(), c, query)
    if plain is not None:  # a plain page of lots, written from plain rows: the same bytes as below
        features, matched = plain
        extra = _extra(c, query, matched, len(features), html)
        return Response(collection_text(features, extra), mimetype=GEOJSON, headers=_headers(query.crs, extra["links"]))
    frame, matched = selection.page(current_store(), c, query)
    extra = _extra(c, query, matched, len(frame), html)
    if html:
        doc = json.loads(collection_json(frame, id_column=c.id_column, layer=c.layer))
        columns = list(dict.fromkeys(k for f in doc["features"] for k in f["properties"]))
        return render("items.html", title=c.title(current_lang()), collection_id=c.id, geojson=doc, bounds=None,
                      columns=columns, returned=len(frame), matched=matched,
                      page_links=[l for l in extra["links"] if l["rel"] in ("next", "prev")],
                      json_href=url_for("ogc.items", collection_id=c.id, **{**request.args.to_dict(), "f": "json"}))
    text = collection_json(_in_crs(frame, query.crs), id_column=c.id_column, extra=extra, layer=c.layer)
    return Response(text, mimetype=GEOJSON, headers=_headers(query.crs, extra["links"]))


def _with_members(text: str, members: dict[str, Any]) -> str:
    """Add top-level members to a JSON object held as text, so its geometry is not parsed again."""
    tail = "".join(f",{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}" for k, v in members.items())
    return f"{text[:-1]}{tail}}}"


@route("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str):
    c = get(collection_id)
    html = wants_html()
    try:
        target = crs.parse(request.args.get("crs"), "crs")
    except ValueError as exc:
        raise BadQuery(str(exc)) from None
    frame = selection.one(current_store(), c, feature_id)
    if frame.empty:
        raise NotFound(Reason("notfound.collection_feature", code=repr(feature_id), collection=collection_id))
    if html:
        feature = json.loads(feature_json(frame, id_column=c.id_column, layer=c.layer))
        return render("item.html", title=c.title(current_lang()), feature=feature, geojson=feature, bounds=None,
                      json_href=url_for("ogc.item", collection_id=c.id, feature_id=feature_id, f="json"))
    values = {"collection_id": c.id, "feature_id": feature_id}
    links = [
        link("ogc.item", "self", GEOJSON, "this feature", {**values, "f": "json"}),
        link("ogc.item", "alternate", HTML, "this feature", {**values, "f": "html"}),
        link("ogc.collection", "collection", JSON, "the collection", {"collection_id": c.id}),
    ]
    text = feature_json(_in_crs(frame, target), id_column=c.id_column, layer=c.layer)
    return Response(_with_members(text, {"links": links}), mimetype=GEOJSON, headers=_headers(target, links))
