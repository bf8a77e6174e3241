"""The items query from the request: bbox, bbox-crs, crs, datetime, limit, offset, filter and attribute filters.

Every mistake is a :class:`~mapapp.api.ogc.common.BadQuery` (400) saying what was expected.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import request

from mapapp.api.ogc import cql2, crs
from mapapp.api.ogc.catalogue import Collection, queryables
from mapapp.api.ogc.common import BadQuery

DEFAULT_LIMIT, MAX_LIMIT = 100, 10_000
RESERVED = {"bbox", "bbox-crs", "crs", "datetime", "limit", "offset", "f", "lang", "filter", "filter-lang", "filter-crs", "include"}
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class ItemsQuery:
    """What a client asked of ``/items``.

    ``bbox`` is in CRS84 degrees (converted from ``bbox-crs``), ``dates`` an inclusive
    pair of ISO dates (None = open), ``where`` a condition on stored columns (see
    :mod:`mapapp.api.ogc.cql2`), ``crs`` the URI features are returned in.
    """

    bbox: BBox | None
    dates: tuple[str | None, str | None] | None
    where: tuple | None
    limit: int
    offset: int
    crs: str


def _whole(name: str, default: int, minimum: int) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < minimum:
        raise BadQuery(f"{name} must be a whole number of at least {minimum}, not {text!r}")
    return int(text)


def parse_bbox(text: str | None) -> BBox | None:
    """``minx,miny,maxx,maxy`` or ``minx,miny,minz,maxx,maxy,maxz`` (heights ignored); finite numbers, lower corner first."""
    if text is None:
        return None
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) not in (4, 6) or not all(math.isfinite(v) for v in values):
        raise BadQuery(f"bbox must be 4 or 6 finite numbers (minx,miny,maxx,maxy), not {text!r}")
    box = (values[0], values[1], values[2], values[3]) if len(values) == 4 else (values[0], values[1], values[3], values[4])
    if box[0] > box[2] or box[1] > box[3]:
        raise BadQuery(f"bbox must have minx <= maxx and miny <= maxy, not {text!r}")
    return box


def _instant(text: str, name: str = "datetime") -> str:
    """The date of an RFC 3339 date or date-time (its calendar date as written)."""
    try:
        if "T" in text.upper():
            return dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00")).date().isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadQuery(f"{name} must be a date or date-time (2018-03-01, 2018-03-01T00:00:00Z) or an interval a/b with .. for open ends, not {text!r}") from None


def parse_datetime(text: str | None) -> tuple[str | None, str | None] | None:
    """An instant (start = end) or an interval ``start/end`` with ``..`` or nothing for an open end; None when absent."""
    if text is None:
        return None
    if "/" not in text:
        day = _instant(text)
        return (day, day)
    parts = text.split("/")
    if len(parts) != 2:
        raise BadQuery(f"datetime must be an instant or one interval start/end, not {text!r}")
    start, end = (None if p in ("", "..") else _instant(p) for p in parts)
    if start and end and start > end:
        raise BadQuery(f"datetime interval must not end before it starts: {text!r}")
    return (start, end)


def _equality(collection: Collection, known: dict) -> list[tuple]:
    """Attribute filters ``?status=available``: each a queryable, values typed; unknown names refused."""
    conditions = []
    for name, text in request.args.items():
        if name in RESERVED:
            continue
        q = known.get(name)
        if q is None:
            raise BadQuery(f"unknown parameter {name!r} for collection {collection.id}; filter on: {', '.join(known)}")
        if q.type in ("number", "integer"):
            try:
                value = float(text) * q.scale if q.type == "number" else int(text)
            except ValueError:
                raise BadQuery(f"{name} is a number, not {text!r}") from None
        else:
            value = text
        conditions.append(("=", q.column, value))
    return conditions


def items_query(collection: Collection) -> ItemsQuery:
    """Read and check the query string of ``/collections/{id}/items``."""
    known = queryables(collection)
    conditions = _equality(collection, known)
    text = request.args.get("filter")
    if text is not None:
        lang = request.args.get("filter-lang", "cql2-text")
        if lang != "cql2-text":
            raise BadQuery(f"filter-lang must be cql2-text, not {lang!r}")
        try:
            conditions.append(cql2.bind(cql2.parse(text), known))
        except cql2.CQLError as exc:
            raise BadQuery(str(exc)) from None
    try:
        out_crs = crs.parse(request.args.get("crs"), "crs")
        bbox_crs = crs.parse(request.args.get("bbox-crs"), "bbox-crs")
    except ValueError as exc:
        raise BadQuery(str(exc)) from None
    bbox = parse_bbox(request.args.get("bbox"))
    if bbox is not None:
        bbox = crs.bbox_to_storage(bbox, bbox_crs)
    where = None if not conditions else conditions[0] if len(conditions) == 1 else ("and", conditions)
    return ItemsQuery(
        bbox=bbox,
        dates=parse_datetime(request.args.get("datetime")),
        where=where,
        limit=min(_whole("limit", DEFAULT_LIMIT, 1), MAX_LIMIT),
        offset=_whole("offset", 0, 0),
        crs=out_crs,
    )
