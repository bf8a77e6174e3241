"""The store: a small class behind a narrow interface (as a pygeoapi provider is).

Everything the app reads or writes goes through :class:`Store`. Each write runs
in one transaction that also recomputes the planning conflicts, so a refused
write leaves the database exactly as it was and the conflicts are never stale.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import (
    Connection,
    and_,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.sql import bindparam

from mapapp import clock
from mapapp.analysis import measure
from mapapp.errors import ImportRefused, NotFound
from mapapp.geom import type_names
from mapapp.layers import LAYERS, get_layer
from mapapp.store import schema
from mapapp.store.db import make_engine
from mapapp.text import SEARCH_FIELDS, search_text

BBox = tuple[float, float, float, float]
CONFLICT_COLUMNS = ("id", "type", "zone_code", "area_m2", "length_m", "severity", "description", "description_en")


def _geometry_rows(geoms: np.ndarray) -> dict[str, np.ndarray]:
    """WKB, bounds and metric measures for an array of WGS84 geometries (vectorised)."""
    bounds = shapely.bounds(geoms)
    metric = measure.to_metric(geoms)
    dims = shapely.get_dimensions(geoms)
    return {
        "geom": shapely.to_wkb(geoms),
        "geom_type": type_names(geoms),
        "minx": bounds[:, 0],
        "miny": bounds[:, 1],
        "maxx": bounds[:, 2],
        "maxy": bounds[:, 3],
        "area_m2": np.where(dims == 2, shapely.area(metric), np.nan),
        "length_m": np.where(dims == 1, shapely.length(metric), np.nan),
    }


def _python_values(values) -> list:
    """A column as plain Python values, with every kind of missing (NaN, NA, NaT) as None."""
    series = pd.Series(values)
    return series.astype(object).where(series.notna(), None).tolist()


def _records(frame: gpd.GeoDataFrame, field_names: tuple[str, ...], geo: dict[str, np.ndarray]) -> list[dict]:
    """Rows to insert, built column by column; attributes beyond the spec go to ``props``."""
    columns = {name: _python_values(frame[name]) for name in field_names}
    searchable = [columns[name] for name in SEARCH_FIELDS if name in columns]
    columns["search_text"] = [search_text(values) for values in zip(*searchable)]
    columns.update({key: _python_values(values) for key, values in geo.items()})
    extra = [c for c in frame.columns if c not in field_names and c != frame.geometry.name]
    if extra:
        values = zip(*(_python_values(frame[c]) for c in extra))
        columns["props"] = [{c: v for c, v in zip(extra, row) if v is not None} for row in values]
    else:
        columns["props"] = [{} for _ in range(len(frame))]
    keys = list(columns)
    return [dict(zip(keys, row)) for row in zip(*columns.values())]


def _frame(df: pd.DataFrame, crs: str = measure.STORAGE_CRS) -> gpd.GeoDataFrame:
    """A query result with a WKB ``geom`` column to a GeoDataFrame."""
    df = df.copy()
    geoms = shapely.from_wkb(df.pop("geom").to_numpy()) if "geom" in df.columns else []
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, index=df.index, crs=crs), crs=crs)


class Store:
    """Layers, progress history, directives and conflicts in an SQL database."""

    def __init__(self, url: str, tolerance_m2: float = 1.0, tolerance_m: float = 1.0) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.tolerance_m2 = tolerance_m2
        self.tolerance_m = tolerance_m

    # -- schema and metadata ---------------------------------------------------
    def init_schema(self) -> None:
        """Create missing tables and add columns a newer version declares; existing data is left alone."""
        schema.metadata.create_all(self.engine)
        existing = inspect(self.engine)
        with self.engine.begin() as conn:
            for table in schema.metadata.sorted_tables:
                have = {c["name"] for c in existing.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in have and column.nullable:
                        kind = column.type.compile(dialect=self.engine.dialect)
                        conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
            for name, table in schema.layer_tables.items():
                self._fill_search_text(conn, name, table)

    @staticmethod
    def _fill_search_text(conn: Connection, layer: str, table) -> None:
        """Rows stored before search_text existed get it (a database from an older version)."""
        fields = [c for c in SEARCH_FIELDS if c in LAYERS[layer].field_names]
        rows = conn.execute(select(table.c.id, *(table.c[c] for c in fields)).where(table.c.search_text.is_(None))).all()
        if rows:
            conn.execute(
                update(table).where(table.c.id == bindparam("b_id")).values(search_text=bindparam("b_text")),
                [{"b_id": row[0], "b_text": search_text(row[1:])} for row in rows],
            )

    def is_empty(self) -> bool:
        return sum(self.counts().values()) == 0

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in schema.layer_tables.items()
            }

    def conflict_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.conflicts)).scalar_one()

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == key)).scalar()
        return default if value is None else value

    @staticmethod
    def _set_meta(conn: Connection, key: str, value: str) -> None:
        conn.execute(delete(schema.meta).where(schema.meta.c.key == key))
        conn.execute(insert(schema.meta).values(key=key, value=value))

    # -- reading layers ----------------------------------------------------------
    def read_layer(
        self,
        layer: str,
        bbox: BBox | None = None,
        filters: Mapping[str, str] | None = None,
        conn: Connection | None = None,
        fields_only: bool = False,
    ) -> gpd.GeoDataFrame:
        """Features of a layer as a WGS84 GeoDataFrame, optionally cut by bbox and equality filters.

        ``fields_only`` reads just the spec's fields and the geometry (no extra
        attributes, no stored measures): what the analysis needs, and much cheaper.
        """
        spec = get_layer(layer)
        table = schema.layer_tables[layer]
        columns = [table.c[name] for name in (*spec.field_names, "geom")] if fields_only else [table]
        query = select(*columns).order_by(table.c.code)
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            query = query.where(
                and_(table.c.maxx >= minx, table.c.minx <= maxx, table.c.maxy >= miny, table.c.miny <= maxy)
            )
        for name, value in (filters or {}).items():
            field = spec.field(name)
            if field is None:
                raise KeyError(name)
            query = query.where(table.c[name] == _coerce_filter(field.type, value))
        frame = _frame(self._table(query, conn))
        if bbox is not None and not frame.empty:
            frame = frame[frame.intersects(shapely.box(*bbox))]
        return frame

    def extent(self, layer: str) -> BBox | None:
        """Bounds of a layer (or of ``conflicts``) from the stored boxes, without reading geometry."""
        table = schema.conflicts if layer == "conflicts" else schema.layer_tables[get_layer(layer).name]
        with self.engine.connect() as conn:
            row = conn.execute(
                select(func.min(table.c.minx), func.min(table.c.miny), func.max(table.c.maxx), func.max(table.c.maxy))
            ).one()
        return None if row[0] is None else tuple(float(v) for v in row)

    def attributes(self, layer: str, columns: list[str]) -> pd.DataFrame:
        """Some columns of a layer (or of ``conflicts``) without geometry: cheap for summaries."""
        table = schema.conflicts if layer == "conflicts" else schema.layer_tables[get_layer(layer).name]
        return self._table(select(*(table.c[c] for c in columns)))

    def search(self, layer: str, folded_query: str, limit: int) -> pd.DataFrame:
        """Features whose folded code/name/tenant/owner contains the folded query: code, label fields, bbox."""
        spec = get_layer(layer)
        table = schema.layer_tables[layer]
        pattern = "%" + folded_query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        label = [table.c[c] for c in ("name", "tenant", "owner") if c in spec.field_names]
        query = (
            select(table.c.code, *label, table.c.minx, table.c.miny, table.c.maxx, table.c.maxy)
            .where(table.c.search_text.like(pattern, escape="\\"))
            .order_by(table.c.code)
            .limit(limit)
        )
        return self._table(query)

    def get_feature(self, layer: str, code: str) -> gpd.GeoDataFrame:
        """One feature by code; :class:`NotFound` if there is none."""
        table = schema.layer_tables[get_layer(layer).name]
        frame = _frame(self._table(select(table).where(table.c.code == code)))
        if frame.empty:
            raise NotFound(f"no feature {code!r} in layer {layer}")
        return frame

    def codes(self, layer: str, conn: Connection | None = None) -> set[str]:
        table = schema.layer_tables[layer]
        return {r["code"] for r in self._rows(select(table.c.code), conn)}

    def _rows(self, query, conn: Connection | None = None) -> list[dict]:
        if conn is not None:
            return [dict(r) for r in conn.execute(query).mappings()]
        with self.engine.connect() as own:
            return [dict(r) for r in own.execute(query).mappings()]

    def _table(self, query, conn: Connection | None = None) -> pd.DataFrame:
        """A query's rows as a DataFrame, without a dict per row (layers can hold 10⁵ features)."""
        if conn is None:
            with self.engine.connect() as own:
                return self._table(query, own)
        result = conn.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    # -- writing layers ----------------------------------------------------------
    def write_layers(
        self,
        frames: Mapping[str, gpd.GeoDataFrame],
        replace: bool = False,
        reports: Iterable[Mapping] = (),
        events: Iterable[Mapping] = (),
        directive_items: Iterable[Mapping] = (),
        meta: Mapping[str, str] | None = None,
        reset: bool = False,
    ) -> dict[str, int]:
        """Write validated layers (and optional history) in one transaction, then recompute conflicts.

        Existing features are updated by code (their progress history is kept);
        with ``replace`` the features not in the new data are removed. Any error
        rolls the whole write back. ``reset`` empties every table first (loading a
        whole dataset such as the sample).
        """
        written: dict[str, int] = {}
        with self.engine.begin() as conn:
            if reset:
                for table in reversed(schema.metadata.sorted_tables):
                    conn.execute(delete(table))
            for layer in LAYERS:
                if layer in frames:
                    written[layer] = self._write_layer(conn, layer, frames[layer], replace)
            self._check_zone_references(conn)
            self._insert_many(conn, schema.progress_reports, [{**r, "created_at": r.get("created_at") or clock.stamp()} for r in reports])
            self._insert_many(conn, schema.clearance_events, list(events))
            for item in directive_items:
                conn.execute(delete(schema.directives).where(schema.directives.c.item == item["item"]))
                conn.execute(insert(schema.directives).values(**item))
            for key, value in (meta or {}).items():
                self._set_meta(conn, key, value)
            if any(LAYERS[name].affects_conflicts for name in frames):
                self.recompute_conflicts(conn)
            self._set_meta(conn, "data_changed_at", clock.stamp())
        return written

    @staticmethod
    def _insert_many(conn: Connection, table, rows: list[Mapping]) -> None:
        if rows:
            conn.execute(insert(table), rows)

    def _write_layer(self, conn: Connection, layer: str, frame: gpd.GeoDataFrame, replace: bool) -> int:
        spec = LAYERS[layer]
        table = schema.layer_tables[layer]
        geo = _geometry_rows(np.asarray(frame.geometry.values, dtype=object))
        records = _records(frame, spec.field_names, geo)
        existing = self.codes(layer, conn)
        if replace:
            keep = {r["code"] for r in records}
            gone = existing - keep
            if gone:
                conn.execute(delete(table).where(table.c.code.in_(gone)))
        updates = [r for r in records if r["code"] in existing]
        inserts = [r for r in records if r["code"] not in existing]
        if updates:
            cols = [c for c in updates[0] if c != "code"]
            stmt = (
                update(table)
                .where(table.c.code == bindparam("b_code"))
                .values({c: bindparam(f"b_{c}") for c in cols})
            )
            conn.execute(stmt, [{f"b_{k}": v for k, v in r.items()} for r in updates])
        self._insert_many(conn, table, inserts)
        return len(records)

    def _check_zone_references(self, conn: Connection) -> None:
        zones = self.codes("zones", conn)
        for layer, spec in LAYERS.items():
            if "zone_code" not in spec.field_names:
                continue
            table = schema.layer_tables[layer]
            bad = conn.execute(
                select(table.c.code, table.c.zone_code).where(
                    table.c.zone_code.is_not(None), table.c.zone_code.not_in(zones or {""})
                ).limit(1)
            ).first()
            if bad:
                raise ImportRefused(
                    f"zone {bad.zone_code!r} does not exist (import the zone first, or keep it)",
                    layer=layer,
                    code=bad.code,
                    field="zone_code",
                )

    # -- conflicts ---------------------------------------------------------------
    def recompute_conflicts(self, conn: Connection | None = None) -> int:
        """Run the spatial analysis over the current layers and replace the stored conflicts."""
        if conn is None:
            with self.engine.begin() as own:
                return self.recompute_conflicts(own)
        from mapapp.analysis.conflicts import find_conflicts

        found = find_conflicts(
            self.read_layer("zones", conn=conn, fields_only=True),
            self.read_layer("lots", conn=conn, fields_only=True),
            self.read_layer("clearance", conn=conn, fields_only=True),
            self.read_layer("projects", conn=conn, fields_only=True),
            tolerance_m2=self.tolerance_m2,
            tolerance_m=self.tolerance_m,
        )
        conn.execute(delete(schema.conflicts))
        if len(found):
            geoms = np.asarray(found.geometry.values, dtype=object)
            bounds = shapely.bounds(geoms)
            columns = {name: _python_values(found[name]) for name in CONFLICT_COLUMNS}
            columns["codes"] = [list(c) for c in found["codes"]]
            columns["layers"] = [list(c) for c in found["layers"]]
            columns["geom"] = list(shapely.to_wkb(geoms))
            columns.update({key: bounds[:, k].tolist() for k, key in enumerate(("minx", "miny", "maxx", "maxy"))})
            rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
            conn.execute(insert(schema.conflicts), rows)
        self._set_meta(conn, "conflicts_computed_at", clock.stamp())
        return len(found)

    def read_conflicts(
        self,
        type_: str | None = None,
        zone: str | None = None,
        bbox: BBox | None = None,
        severity: str | None = None,
    ) -> gpd.GeoDataFrame:
        """Stored conflicts, filtered in SQL; a bbox is cut by the geometry itself, as for layers."""
        table = schema.conflicts
        query = select(table).order_by(table.c.type, table.c.id)
        if type_:
            query = query.where(table.c.type == type_)
        if zone:
            query = query.where(table.c.zone_code == zone)
        if severity:
            query = query.where(table.c.severity == severity)
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            query = query.where(
                and_(table.c.maxx >= minx, table.c.minx <= maxx, table.c.maxy >= miny, table.c.miny <= maxy)
            )
        frame = _frame(self._table(query))
        if bbox is not None and not frame.empty:
            frame = frame[frame.intersects(shapely.box(*bbox))]
        return frame

    # -- progress history ----------------------------------------------------------
    def reports(self, project_code: str | None = None) -> list[dict]:
        """Progress reports, oldest first; every report ever stored is kept."""
        table = schema.progress_reports
        query = select(table).order_by(table.c.project_code, table.c.date, table.c.id)
        if project_code is not None:
            query = query.where(table.c.project_code == project_code)
        return self._rows(query)

    def add_report(self, project_code: str, report: Mapping[str, Any]) -> dict:
        """Append one progress report (never overwriting); :class:`NotFound` for an unknown project."""
        with self.engine.begin() as conn:
            if project_code not in self.codes("projects", conn):
                raise NotFound(f"no project with code {project_code!r}")
            row = {**report, "project_code": project_code, "created_at": clock.stamp()}
            conn.execute(insert(schema.progress_reports).values(**row))
            self._set_meta(conn, "data_changed_at", clock.stamp())
        return row

    def clearance_events(self) -> list[dict]:
        table = schema.clearance_events
        return self._rows(select(table).order_by(table.c.parcel_code, table.c.date, table.c.id))

    def directives(self) -> list[dict]:
        return self._rows(select(schema.directives).order_by(schema.directives.c.item))

    # -- paged reads (OGC API – Features): the cost is the page, not the layer ------------

    def _page_query(self, layer: str, bbox: BBox | None, where: Condition | None, dates: tuple[str | None, str | None] | None):
        table = schema.layer_tables[get_layer(layer).name]
        query = select(table)
        if where is not None:
            query = query.where(_condition_sql(table, where))
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            query = query.where(and_(table.c.maxx >= minx, table.c.minx <= maxx, table.c.maxy >= miny, table.c.miny <= maxy))
        if dates is not None:
            query = query.where(self._dates_sql(layer, table, *dates))
        return table, query

    @staticmethod
    def _dates_sql(layer: str, table, start: str | None, end: str | None):
        """Features whose time span meets ``[start, end]`` (ISO dates, None = open).

        Projects span planned_start..planned_end (a missing end is open); clearance
        parcels span their first..last status event. Other layers have no time: all match.
        """
        from sqlalchemy import or_, true

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
    ) -> tuple[gpd.GeoDataFrame, int]:
        """One page of a layer in ``code`` order, and how many features match in all.

        Shapes: (WGS84 GeoDataFrame of at most ``limit`` rows with every stored column, matched count).
        Without a bbox both are single SQL statements (``COUNT``; ``ORDER BY code LIMIT OFFSET``).
        With a bbox, the candidates' codes and geometry (from the box index) are cut exactly by the
        geometry first, then only the page's rows are read. ``KeyError`` for an unknown column in ``where``.
        """
        table, query = self._page_query(layer, bbox, where, dates)
        with self.engine.connect() as conn:
            if bbox is None:
                matched = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
                page = query.order_by(table.c.code).limit(limit).offset(offset)
                return _frame(self._table(page, conn)), int(matched)
            candidates = query.with_only_columns(table.c.code, table.c.geom).order_by(table.c.code)
            rows = self._table(candidates, conn)
            geoms = shapely.from_wkb(rows["geom"].to_numpy()) if len(rows) else np.array([], dtype=object)
            codes = rows["code"].to_numpy()[shapely.intersects(geoms, shapely.box(*bbox))] if len(rows) else []
            chosen = list(codes[offset : offset + limit])
            if not chosen:
                return _frame(self._table(query.where(table.c.code.is_(None)).limit(0), conn)), len(codes)
            page = select(table).where(table.c.code.in_(chosen)).order_by(table.c.code)
            return _frame(self._table(page, conn)), len(codes)

    def count(
        self,
        layer: str,
        bbox: BBox | None = None,
        where: Condition | None = None,
        dates: tuple[str | None, str | None] | None = None,
    ) -> int:
        """How many features :meth:`read_page` would page through (same arguments)."""
        return self.read_page(layer, bbox, where, limit=0, offset=0, dates=dates)[1]


def _coerce_filter(type_: str, value: str) -> Any:
    if type_ == "float":
        return float(value)
    if type_ == "int":
        return int(value)
    return value


# -- paged reads (OGC API – Features) ----------------------------------------------
# A condition is plain data, so callers never build SQL: ``("and", [c, …])``,
# ``("or", [c, …])``, ``("not", c)``, ``("isnull", column)``, or ``(op, column, value)`` with op one of
# ``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``, ``like``, ``in`` (value a list). Columns
# are a layer's stored columns (spec fields, ``area_m2``, ``length_m``, ``geom_type``).
Condition = tuple


def _condition_sql(table, condition: Condition):
    """A condition (see above) as an SQLAlchemy clause on ``table``; ``KeyError`` for an unknown column."""
    from sqlalchemy import or_

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
