"""The store: a small class behind a narrow interface (as a pygeoapi provider is).

Everything the app reads or writes goes through :class:`Store`. Each write runs
in one transaction that also recomputes the planning conflicts, so a refused
write leaves the database exactly as it was and the conflicts are never stale.
"""
from __future__ import annotations

import uuid
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
    select,
    update,
)
from sqlalchemy.sql import bindparam

from mapapp import clock
from mapapp.errors import ImportRefused, NotFound
from mapapp.layers import LAYERS, get_layer
from mapapp.store import clearance_records as clearance_store
from mapapp.store import conflict_sync, figure_versions, schema
from mapapp.store.db import make_engine, write_transaction
from mapapp.store.records import frame_of as _frame
from mapapp.store.records import geometry_rows as _geometry_rows
from mapapp.store.records import layer_records as _records
from mapapp.text import search_columns

BBox = tuple[float, float, float, float]
# Columns that serve the store itself and never leave it.
INTERNAL_COLUMNS = frozenset({"search_text", "search_personal"})
# A dataset load (the sample) replaces the board's data, not its accounts nor the record of changes.
KEPT_ON_RESET = frozenset({"users", "audit_log"})


class Store:
    """Layers, progress history, directives and conflicts in an SQL database."""

    def __init__(self, url: str, tolerance_m2: float = 1.0, tolerance_m: float = 1.0,
                 full_recompute_above: int = conflict_sync.FULL_RECOMPUTE_ABOVE) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.tolerance_m2 = tolerance_m2
        self.tolerance_m = tolerance_m
        self.full_recompute_above = full_recompute_above

    # -- schema and metadata ---------------------------------------------------
    def init_schema(self) -> None:
        """Bring the database to the newest schema (Alembic migrations, :mod:`mapapp.store.migrate`);
        existing data is left alone, rows from before the search columns get them."""
        from mapapp.store import migrate

        migrate.upgrade(self.engine)
        with write_transaction(self.engine) as conn:
            for name, table in schema.layer_tables.items():
                self._fill_search_text(conn, name, table)
                conn.execute(update(table).where(table.c.version.is_(None)).values(version=1))

    @staticmethod
    def _fill_search_text(conn: Connection, layer: str, table) -> None:
        """Rows stored before the search columns existed get them (a database from an older version)."""
        spec = LAYERS[layer]
        fields = [f for f in spec.field_names if f in ("code", "name", "name_en", "tenant", "owner")]
        missing = (table.c.search_text.is_(None)) | (table.c.search_personal.is_(None))
        rows = conn.execute(select(table.c.id, *(table.c[c] for c in fields)).where(missing)).all()
        if rows:
            columns = {name: [row[i + 1] for row in rows] for i, name in enumerate(fields)}
            folded = search_columns(spec, columns)
            conn.execute(
                update(table).where(table.c.id == bindparam("b_id")).values(
                    search_text=bindparam("b_text"), search_personal=bindparam("b_personal")),
                [{"b_id": row[0], "b_text": t, "b_personal": p} for row, t, p in zip(rows, folded["search_text"], folded["search_personal"])],
            )

    def writing(self):
        """A write transaction holding the write lock (see :func:`mapapp.store.db.write_transaction`)."""
        return write_transaction(self.engine)

    def is_empty(self) -> bool:
        """No feature at all, retired ones included."""
        return sum(self.counts(include_retired=True).values()) == 0

    def counts(self, include_retired: bool = False) -> dict[str, int]:
        """Features per layer (retired ones only with ``include_retired``)."""
        with self.engine.connect() as conn:
            return {
                name: conn.execute(
                    select(func.count()).select_from(table).where(
                        True if include_retired else table.c.retired_at.is_(None))
                ).scalar_one()
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
        """Set a meta value; setting ``data_changed_at`` (every write does) also gives the data a new
        ``data_version`` (a random id: caches of computed figures are keyed by it) and the zones the
        write declared new figure versions (:mod:`mapapp.store.figure_versions`)."""
        conn.execute(delete(schema.meta).where(schema.meta.c.key == key))
        conn.execute(insert(schema.meta).values(key=key, value=value))
        if key == "data_changed_at":
            Store._set_meta(conn, "data_version", uuid.uuid4().hex)
            figure_versions.changed(conn)

    # -- reading layers ----------------------------------------------------------
    def read_layer(
        self,
        layer: str,
        bbox: BBox | None = None,
        filters: Mapping[str, str] | None = None,
        conn: Connection | None = None,
        fields_only: bool = False,
        include_retired: bool = False,
    ) -> gpd.GeoDataFrame:
        """Features of a layer as a WGS84 GeoDataFrame, optionally cut by bbox and equality filters.

        ``fields_only`` reads just the spec's fields and the geometry (no extra
        attributes, no stored measures): what the analysis needs, and much cheaper.
        Retired features are left out unless ``include_retired``. Internal columns
        (``search_text``, ``search_personal``) are never read.
        """
        spec = get_layer(layer)
        table = schema.layer_tables[layer]
        if fields_only:
            columns = [table.c[name] for name in (*spec.field_names, "geom")]
        else:
            columns = [c for c in table.c if c.name not in INTERNAL_COLUMNS]
        query = select(*columns).order_by(table.c.code)
        if not include_retired:
            query = query.where(table.c.retired_at.is_(None))
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
        if layer == "conflicts":
            return self._table(select(*(schema.conflicts.c[c] for c in columns)))
        table = schema.layer_tables[get_layer(layer).name]
        return self._table(select(*(table.c[c] for c in columns)).where(table.c.retired_at.is_(None)))

    def search(self, layer: str, folded_query: str, limit: int, staff: bool = False) -> pd.DataFrame:
        """Active features whose folded code/name/tenant contains the folded query: code, label fields, bbox.

        Personal fields (a parcel's owner) are matched and returned for ``staff`` only.
        """
        spec = get_layer(layer)
        table = schema.layer_tables[layer]
        pattern = "%" + folded_query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        label = [table.c[c] for c in ("name", "tenant", "owner") if c in spec.field_names and (staff or c not in spec.personal_fields)]
        match = table.c.search_text.like(pattern, escape="\\")
        if staff:
            match = match | table.c.search_personal.like(pattern, escape="\\")
        query = (
            select(table.c.code, *label, table.c.minx, table.c.miny, table.c.maxx, table.c.maxy)
            .where(match, table.c.retired_at.is_(None))
            .order_by(table.c.code)
            .limit(limit)
        )
        return self._table(query)

    def get_feature(self, layer: str, code: str) -> gpd.GeoDataFrame:
        """One feature by code, retired or not; :class:`NotFound` if there is none."""
        table = schema.layer_tables[get_layer(layer).name]
        columns = [c for c in table.c if c.name not in INTERNAL_COLUMNS]
        frame = _frame(self._table(select(*columns).where(table.c.code == code)))
        if frame.empty:
            raise NotFound(f"no feature {code!r} in layer {layer}")
        return frame

    def codes(self, layer: str, conn: Connection | None = None, include_retired: bool = False) -> set[str]:
        """The codes of a layer's active features (all, with ``include_retired``)."""
        table = schema.layer_tables[layer]
        query = select(table.c.code)
        if not include_retired:
            query = query.where(table.c.retired_at.is_(None))
        return {r["code"] for r in self._rows(query, conn)}

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
        audit: Iterable[Mapping] = (),
        clearance_records: Mapping[str, pd.DataFrame] | None = None,
        blockers: Iterable = (),
        units: tuple[Mapping, Mapping] | None = None,
    ) -> dict[str, int]:
        """Load validated layers (and optional history) in one transaction, then recompute conflicts.

        The bulk loader of a whole dataset (the sample, test fixtures); changes to the
        board's data go through :mod:`mapapp.changes`, which audits them. Existing
        features are updated by code (their history is kept); with ``replace`` the
        features not in the new data are retired, never deleted. Any error rolls the
        whole write back. ``reset`` empties every table of the board's data first
        (users and the audit log are kept); ``audit`` entries are written with it.
        ``clearance_records`` (households, household_parcels, clearance_parcels, steps,
        payments, complaints as :mod:`mapapp.store.clearance_records` reads them),
        ``blockers`` (:class:`mapapp.clearance.blockers.Blocker`) and ``units`` ((units,
        placements) as :func:`mapapp.clearance.units.load_units` returns) are added with it.
        """
        written: dict[str, int] = {}
        # WKB, boxes, measures and search text are built before taking the write lock: readers never wait on them.
        records = {layer: self._layer_rows(layer, frames[layer]) for layer in LAYERS if layer in frames}
        with self.writing() as conn:
            if reset:
                for table in reversed(schema.metadata.sorted_tables):
                    if table.name not in KEPT_ON_RESET:
                        conn.execute(delete(table))
            for layer, rows in records.items():
                written[layer] = self._write_layer(conn, layer, rows, replace)
            self._check_zone_references(conn)
            self._insert_many(conn, schema.progress_reports, [{**r, "created_at": r.get("created_at") or clock.stamp()} for r in reports])
            self._insert_many(conn, schema.clearance_events, list(events))
            clearance_store.write_records(conn, clearance_records or {})
            clearance_store.write_blockers(conn, blockers)
            if units is not None:
                clearance_store.write_units(conn, *units)
            for item in directive_items:
                conn.execute(delete(schema.directives).where(schema.directives.c.item == item["item"]))
                conn.execute(insert(schema.directives).values(**item))
            for key, value in (meta or {}).items():
                self._set_meta(conn, key, value)
            if any(LAYERS[name].affects_conflicts for name in frames):
                self.recompute_conflicts(conn)
            self._insert_many(conn, schema.audit_log, list(audit))
            self._set_meta(conn, "data_changed_at", clock.stamp())
        return written

    @staticmethod
    def _insert_many(conn: Connection, table, rows: list[Mapping]) -> None:
        if rows:
            conn.execute(insert(table), rows)

    @staticmethod
    def _layer_rows(layer: str, frame: gpd.GeoDataFrame) -> list[dict]:
        """A validated frame as the rows :meth:`_write_layer` stores (no database needed)."""
        geo = _geometry_rows(np.asarray(frame.geometry.values, dtype=object))
        return _records(frame, LAYERS[layer].field_names, geo, layer)

    def _write_layer(self, conn: Connection, layer: str, records: list[dict], replace: bool) -> int:
        table = schema.layer_tables[layer]
        stamp = clock.stamp()
        existing = self.codes(layer, conn, include_retired=True)
        if replace:
            gone = self.codes(layer, conn) - {r["code"] for r in records}
            if gone:
                conn.execute(update(table).where(table.c.code.in_(gone)).values(
                    retired_at=stamp, version=table.c.version + 1))
        updates = [{**r, "retired_at": None, "changed_at": stamp} for r in records if r["code"] in existing]
        inserts = [{**r, "version": 1, "changed_at": stamp} for r in records if r["code"] not in existing]
        if updates:
            cols = [c for c in updates[0] if c != "code"]
            stmt = (
                update(table)
                .where(table.c.code == bindparam("b_code"))
                .values({**{c: bindparam(f"b_{c}") for c in cols}, "version": table.c.version + 1})
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
            with self.writing() as own:
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
        conflict_sync.insert_conflicts(conn, found)
        self._set_meta(conn, "conflicts_computed_at", clock.stamp())
        return len(found)

    def update_conflicts(self, conn: Connection, changed: Mapping[str, Iterable[str]],
                         old_geometry: Mapping[tuple[str, str], bytes | None] | None = None) -> int:
        """Recompute only the conflicts of the features ``changed`` ({layer: codes}), after their change is
        written in ``conn``; the full recompute past ``full_recompute_above`` of them. ``old_geometry``: WKB of a
        moved feature's geometry before the change (``None``: a new feature). Returns the number of stored
        conflicts. See :mod:`mapapp.store.conflict_sync`."""
        return conflict_sync.update_conflicts(self, conn, changed, old_geometry)

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
    def reports(self, project_code: str | None = None, conn: Connection | None = None, include_withdrawn: bool = False) -> list[dict]:
        """Progress reports, oldest first; every report ever stored is kept (withdrawn ones on request)."""
        table = schema.progress_reports
        query = select(table).order_by(table.c.project_code, table.c.date, table.c.id)
        if project_code is not None:
            query = query.where(table.c.project_code == project_code)
        if not include_withdrawn:
            query = query.where(table.c.withdrawn_at.is_(None))
        return self._rows(query, conn)

    def clearance_events(self) -> list[dict]:
        table = schema.clearance_events
        return self._rows(select(table).order_by(table.c.parcel_code, table.c.date, table.c.id))

    # -- clearance records (issue 13) ---------------------------------------------------
    def clearance_records(self, parcel_codes: Iterable[str] | None = None, conn: Connection | None = None) -> dict[str, pd.DataFrame]:
        """Every clearance record table (:data:`mapapp.store.clearance_records.RECORD_COLUMNS`), or only the
        rows of ``parcel_codes``. Holds personal data: hand it to staff only (:mod:`mapapp.queries.clearance`)."""
        if conn is None:
            with self.engine.connect() as own:
                return self.clearance_records(parcel_codes, own)
        return {name: clearance_store.read_records(conn, name, parcel_codes) for name in schema.CLEARANCE_RECORD_TABLES}

    def blockers(self, code: str | None = None, conn: Connection | None = None) -> list:
        """The blockers register (or one blocker) as ``(Blocker, version)`` pairs, by code."""
        if conn is None:
            with self.engine.connect() as own:
                return clearance_store.read_blockers(own, code)
        return clearance_store.read_blockers(conn, code)

    def admin_units(self) -> tuple[dict, dict]:
        """(administrative units by code, placements: feature code → commune codes)."""
        with self.engine.connect() as conn:
            return clearance_store.read_units(conn)

    def directives(self) -> list[dict]:
        return self._rows(select(schema.directives).order_by(schema.directives.c.item))

    # -- audit -----------------------------------------------------------------------
    def audit(self, *, layer: str | None = None, code: str | None = None, actor: str | None = None,
              change_id: str | None = None, entry: int | None = None, limit: int = 500) -> list[dict]:
        """Audit entries, newest first, filtered by feature, actor, change or entry id."""
        table = schema.audit_log
        query = select(table).order_by(table.c.id.desc()).limit(limit)
        for column, value in (("layer", layer), ("code", code), ("actor", actor), ("change_id", change_id), ("id", entry)):
            if value is not None:
                query = query.where(table.c[column] == value)
        return self._rows(query)

    # -- paged reads (OGC API – Features): the cost is the page, not the layer ------------

    def _page_query(self, layer: str, bbox: BBox | None, where: Condition | None, dates: tuple[str | None, str | None] | None,
                    include_retired: bool = False):
        table = schema.layer_tables[get_layer(layer).name]
        query = select(*(c for c in table.c if c.name not in INTERNAL_COLUMNS))
        if not include_retired:
            query = query.where(table.c.retired_at.is_(None))
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
        include_retired: bool = False,
    ) -> tuple[gpd.GeoDataFrame, int]:
        """One page of a layer's active features in ``code`` order, and how many match in all.

        Shapes: (WGS84 GeoDataFrame of at most ``limit`` rows with the stored columns but the
        internal search ones, matched count). Retired features are left out unless ``include_retired``.
        Without a bbox both are single SQL statements (``COUNT``; ``ORDER BY code LIMIT OFFSET``).
        With a bbox, the candidates' codes and geometry (from the box index) are cut exactly by the
        geometry first, then only the page's rows are read. ``KeyError`` for an unknown column in ``where``.
        """
        table, query = self._page_query(layer, bbox, where, dates, include_retired)
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
            page = query.where(table.c.code.in_(chosen)).order_by(table.c.code)
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
