"""Paged reads for OGC API – Features: the cost is the page, not the layer (a part of
:class:`mapapp.store.backend.Store`), and the plain-data conditions (CQL2 filters) they take.

A condition is plain data, so callers never build SQL: ``("and", [c, …])``, ``("or", [c, …])``,
``("not", c)``, ``("isnull", column)``, or ``(op, column, value)`` with op one of ``=``, ``<>``, ``<``,
``<=``, ``>``, ``>=``, ``like``, ``in`` (value a list). Columns are a layer's stored columns (spec
fields, ``area_m2``, ``length_m``, ``geom_type``).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable

import geopandas as gpd
from sqlalchemy import and_, func, or_, select, true

from mapapp.layers import get_layer
from mapapp.store import code_walk, page_marks, reads, schema, spatial, versions

BBox = tuple[float, float, float, float]
Condition = tuple

# queries' counts by their key (PagedReads._query_key: the query and the layer's data version)
_COUNTS: dict[tuple, int] = {}
_COUNTS_LOCK = threading.Lock()


class PagedReads:
    """``read_page`` and ``count``; needs ``engine``, ``_table`` and ``_geo_table`` (see :class:`Store`)."""

    def _page_query(self, layer: str, bbox: BBox | None, where: Condition | None, dates: tuple[str | None, str | None] | None,
                    include_retired: bool = False, skip: Iterable[str] = ()):
        table = schema.layer_tables[get_layer(layer).name]
        query = select(*reads.stored_columns(table, reads.INTERNAL_COLUMNS | set(skip)))
        if not include_retired:
            query = query.where(table.c.retired_at.is_(None))
        if where is not None:
            query = query.where(_condition_sql(table, where))
        if bbox is not None:
            query = query.where(spatial.bbox_filter(table, bbox, self.engine.dialect.name))
        if dates is not None:
            query = query.where(self._dates_sql(layer, table, *dates))
        return table, query

    @staticmethod
    def _dates_sql(layer: str, table, start: str | None, end: str | None):
        """Features whose time span meets ``[start, end]`` (ISO dates, None = open).

        Projects span planned_start..planned_end (a missing end is open); clearance
        parcels span their first..last status event. Other layers have no time: all match.
        """
        if layer == "projects":
            lo, hi = table.c.planned_start, table.c.planned_end
        elif layer == "clearance":
            ev = schema.clearance_events
            spans = (
                select(ev.c.parcel_code, func.min(ev.c.date).label("lo"), func.max(ev.c.date).label("hi"))
                .group_by(ev.c.parcel_code)
                .subquery()
            )
            inner = select(spans.c.parcel_code)
            if end is not None:
                inner = inner.where(spans.c.lo <= end)
            if start is not None:
                inner = inner.where(spans.c.hi >= start)
            return table.c.code.in_(inner)
        else:
            return true()
        parts = []
        if end is not None:
            parts.append(or_(lo.is_(None), lo <= end))
        if start is not None:
            parts.append(or_(hi.is_(None), hi >= start))
        return and_(true(), *parts)

    def read_page(
        self,
        layer: str,
        bbox: BBox | None = None,
        where: Condition | None = None,
        limit: int = 100,
        offset: int = 0,
        dates: tuple[str | None, str | None] | None = None,
        include_retired: bool = False,
        skip: Iterable[str] = (),
    ) -> tuple[gpd.GeoDataFrame, int]:
        """One page of a layer's active features in ``code`` order, and how many match in all.

        Shapes: (WGS84 GeoDataFrame of at most ``limit`` rows with the stored columns but the
        internal search ones and ``skip``, matched count). ``where`` may name a skipped column.
        Retired features are left out unless ``include_retired``.
        Without a bbox, or with one on PostGIS (cut exactly in SQL), both are SQL statements
        (``COUNT``, kept per the query and the layer's data version unless ``dates`` are asked;
        ``ORDER BY code LIMIT OFFSET`` from the nearest remembered position, :mod:`mapapp.store.page_marks`).
        With a bbox on SQLite, the candidates' codes and geometry (from the R*Tree) are cut exactly by
        the geometry first, then only the page's rows are read. ``KeyError`` for an unknown column in ``where``.
        """
        table, query = self._page_query(layer, bbox, where, dates, include_retired, skip)
        with self.engine.connect() as conn:
            if bbox is None or spatial.exact_in_sql(self.engine.dialect.name):
                key = self._query_key(conn, layer, bbox, where, dates, include_retired)
                matched = self._matched(conn, key, query)
                return self._sql_page(conn, key, table, query, limit, offset), matched
            candidates = query.with_only_columns(table.c.code, table.c.geom).order_by(table.c.code)
            codes = spatial.cut(self._table(candidates, conn), bbox)["code"].to_numpy()
            chosen = list(codes[offset : offset + limit])
            if not chosen:
                return self._geo_table(query.where(table.c.code.is_(None)).limit(0), conn), len(codes)
            page = query.where(table.c.code.in_(chosen)).order_by(table.c.code)
            return self._geo_table(page, conn), len(codes)

    def plain_count(self, conn, layer: str, include_retired: bool = False) -> tuple[tuple, int]:
        """The key (:meth:`_query_key`) of the plain paged query of ``layer`` (no bbox, condition nor dates: what
        :meth:`read_page` pages through then) and how many features it matches (kept under that key); the codes at
        every :data:`mapapp.store.code_walk.STEP`-th position are remembered under the key too (page_marks)."""
        key = self._query_key(conn, layer, None, None, None, include_retired)
        # a count kept by read_page alone laid no marks: the marks say whether a walk laid them
        matched = page_marks.walked(key)
        if matched is not None:
            return key, matched
        # one walk of the code index counts and marks every code_walk.STEP-th position: no page of this
        # query then steps over more rows than that, whatever its offset
        matched, marks = code_walk.walk(conn, layer, include_retired)
        page_marks.remember(key, marks, walked=matched)
        _keep_count(key, matched)
        return key, matched

    def _query_key(self, conn, layer: str, bbox: BBox | None, where: Condition | None,
                   dates: tuple[str | None, str | None] | None, include_retired: bool) -> tuple | None:
        """What names a paged query's rows: the query and the layer's data version (in the database, new with every
        write to the layer: every app process agrees). None with ``dates``, which may read another table."""
        if dates is not None:
            return None
        return (self.url, layer, include_retired, repr(where), bbox, versions.layer_version(conn, layer)[0])

    def _matched(self, conn, key: tuple | None, query) -> int:
        """How many rows ``query`` matches, kept under its ``key`` (see :meth:`_query_key`): a page of 1,000 need
        not count 10⁵ rows again."""
        if key is None:
            return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())
        with _COUNTS_LOCK:
            if key in _COUNTS:
                return _COUNTS[key]
        matched = int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())
        _keep_count(key, matched)
        return matched

    def _sql_page(self, conn, key: tuple | None, table, query, limit: int, offset: int) -> gpd.GeoDataFrame:
        """The rows at ``offset`` … ``offset + limit - 1`` of ``query`` in code order, started from the nearest
        position remembered under ``key`` (:mod:`mapapp.store.page_marks`) rather than the first row."""
        ordered = query.order_by(table.c.code)
        start = page_marks.nearest(key, offset) if key is not None and offset else None
        step_over = offset
        if start is not None:
            ordered = ordered.where(table.c.code >= start[1])
            step_over = offset - start[0]
        if key is not None and step_over > limit:
            # far from any remembered position: find the code at the offset reading codes only (the code
            # index alone when there is no condition, not each skipped row's table row), then read from it
            code = conn.execute(ordered.with_only_columns(table.c.code).limit(1).offset(step_over)).scalar()
            if code is None:
                return self._geo_table(ordered.limit(0), conn)
            page_marks.remember(key, [(offset, code)])
            ordered, step_over = query.order_by(table.c.code).where(table.c.code >= code), 0
        frame = self._geo_table(ordered.limit(limit).offset(step_over), conn)
        if key is not None and len(frame):
            codes = frame["code"]
            page_marks.remember(key, [(offset, codes.iloc[0]), (offset + len(frame) - 1, codes.iloc[-1])])
        return frame

    def count(
        self,
        layer: str,
        bbox: BBox | None = None,
        where: Condition | None = None,
        dates: tuple[str | None, str | None] | None = None,
    ) -> int:
        """How many features :meth:`read_page` would page through (same arguments)."""
        return self.read_page(layer, bbox, where, limit=0, offset=0, dates=dates)[1]


def _keep_count(key: tuple, matched: int) -> None:
    """Keep a query's count under its key (:meth:`PagedReads._query_key`), the oldest of 64 dropped first."""
    with _COUNTS_LOCK:
        _COUNTS[key] = matched
        while len(_COUNTS) > 64:
            _COUNTS.pop(next(iter(_COUNTS)))


def _condition_sql(table, condition: Condition):
    """A condition (see the module's docstring) as an SQLAlchemy clause on ``table``; ``KeyError`` for an unknown column."""
    op = condition[0]
    if op in ("and", "or"):
        parts = [_condition_sql(table, c) for c in condition[1]]
        return and_(*parts) if op == "and" else or_(*parts)
    if op == "not":
        return ~_condition_sql(table, condition[1])
    if op == "isnull":
        return table.c[condition[1]].is_(None)
    column, value = table.c[condition[1]], condition[2]
    if op == "in":
        return column.in_(list(value))
    if op == "like":
        return column.like(value)
    return {
        "=": column.__eq__, "<>": column.__ne__, "<": column.__lt__,
        "<=": column.__le__, ">": column.__gt__, ">=": column.__ge__,
    }[op](value)
