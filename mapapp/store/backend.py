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
import pandas as pd
import shapely
from sqlalchemy import (
    Connection,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.sql import bindparam

from mapapp.analysis.measure import METRIC_CRS
from mapapp.errors import NotFound
from mapapp.layers import LAYERS, get_layer
from mapapp.refusals import Reason
from mapapp.refusals.labels import layer_names
from mapapp.store import conflict_counts, conflict_recompute, conflict_sync, figure_versions, reads, schema, search_index, spatial, summaries, versions
from mapapp.store.db import make_engine, write_transaction
from mapapp.store.history import HistoryReads
from mapapp.store.loading import LayerLoading
from mapapp.store.paging import PagedReads
from mapapp.store.reads import INTERNAL_COLUMNS
from mapapp.store.records import frame_of as _frame
from mapapp.text import search_columns

BBox = tuple[float, float, float, float]


class Store(LayerLoading, HistoryReads, PagedReads):
    """Layers, progress history, directives and conflicts in an SQL database.

    Layer reads, meta and conflicts are here; loading whole datasets is in
    :class:`mapapp.store.loading.LayerLoading`, the reads of history and records in
    :class:`mapapp.store.history.HistoryReads`, the OGC API's paged reads in
    :class:`mapapp.store.paging.PagedReads`.
    """

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
        existing data is left alone, rows from before the search columns or the metric geometry get them."""
        from mapapp.store import migrate

        migrate.upgrade(self.engine)
        with write_transaction(self.engine) as conn:
            for name, table in schema.layer_tables.items():
                self._fill_search_text(conn, name, table)
                spatial.fill_missing_metric(conn, table)
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
    def _set_meta(conn: Connection, key: str, value: str, layers: Iterable[str] | None = None) -> None:
        """Set a meta value; setting ``data_changed_at`` (every write does) also gives the data a new
        ``data_version`` (a random id: caches of computed figures are keyed by it), and the same to
        ``layers`` (every layer when None: see :mod:`mapapp.store.versions`), and the zones the write
        declared new figure versions (:mod:`mapapp.store.figure_versions`); setting ``conflicts_computed_at`` (the
        stored conflicts were written) or a write naming no layers renews the conflict counts' version
        (:mod:`mapapp.store.conflict_counts`)."""
        if key == "conflicts_computed_at":  # first: what the conflicts' writer said is this write's, nothing later's
            conflict_counts.written(conn)
        conn.execute(delete(schema.meta).where(schema.meta.c.key == key))
        conn.execute(insert(schema.meta).values(key=key, value=value))
        if key == "data_changed_at":
            version = uuid.uuid4().hex
            Store._set_meta(conn, "data_version", version)
            versions.renew(conn, version, layers)
            figure_versions.changed(conn)
            if layers is None:  # a write that does not say what it changed (a load may empty the conflicts)
                conflict_counts.renew(conn)

    def layer_version(self, layer: str, also: Iterable[str] = ()) -> tuple[str, dict[str, str]]:
        """The layer's data version and the meta values in ``also``, in one query (see :mod:`mapapp.store.versions`)."""
        with self.engine.connect() as conn:
            return versions.layer_version(conn, layer, also)

    # -- reading layers ----------------------------------------------------------
    def read_layer(
        self,
        layer: str,
        bbox: BBox | None = None,
        filters: Mapping[str, str] | None = None,
        conn: Connection | None = None,
        fields_only: bool = False,
        include_retired: bool = False,
        metric: bool = False,
        skip: Iterable[str] = (),
    ) -> gpd.GeoDataFrame:
        """Features of a layer as a WGS84 GeoDataFrame in ``code`` order, optionally cut by bbox and equality filters.

        ``bbox`` (WGS84 degrees) keeps the features whose geometry intersects it, found through
        the spatial index (:mod:`mapapp.store.spatial`). ``fields_only`` reads just the spec's
        fields and the geometry (no extra attributes, no stored measures): what the analysis
        needs, and much cheaper. ``metric`` gives the stored EPSG:5897 geometry (``geom_m``)
        instead, with no reprojection. Retired features are left out unless ``include_retired``.
        Internal columns (``search_text``, ``search_personal``) are never read, nor the stored
        columns in ``skip`` (``id``, ``geom_type``, the bbox columns: what a caller never shows).
        ``KeyError`` for a filter on an unknown field.
        """
        spec = get_layer(layer)
        table = schema.layer_tables[layer]
        if fields_only:
            columns = [table.c[name] for name in (*spec.field_names, "geom")]
        else:
            columns = reads.stored_columns(table, INTERNAL_COLUMNS | (set(skip) - {"code", "geom", "retired_at"}))
        dialect = self.engine.dialect.name
        python_cut = bbox is not None and not spatial.exact_in_sql(dialect)
        if metric:
            columns = [c for c in columns if getattr(c, "name", None) != "geom"] + spatial.metric_columns(table, with_wgs84=python_cut)
        query = select(*columns).order_by(table.c.code)
        if not include_retired:
            query = query.where(table.c.retired_at.is_(None))
        if bbox is not None:
            query = query.where(spatial.bbox_filter(table, bbox, dialect))
        for name, value in (filters or {}).items():
            field = spec.field(name)
            if field is None:
                raise KeyError(name)
            query = query.where(table.c[name] == _coerce_filter(field.type, value))
        if metric:
            rows = self._table(query, conn)
            if python_cut:
                rows = spatial.cut(rows, bbox, spatial.WGS84)
            return _frame(spatial.metric_geometry(rows), crs=METRIC_CRS)
        frame = self._geo_table(query, conn)
        if python_cut and not frame.empty:  # the R*Tree gives candidates by box: cut by the geometry itself
            inside = shapely.intersects(frame.geometry.values, shapely.box(*bbox))
            if not inside.all():  # most often all are: no copy then
                frame = frame[inside]
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

    def zone_totals(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Each zone's lot totals and conflict counts as kept on write (:func:`mapapp.store.summaries.read`)."""
        with self.engine.connect() as conn:
            return summaries.read(conn)

    def get_feature(self, layer: str, code: str) -> gpd.GeoDataFrame:
        """One feature by code, retired or not; :class:`NotFound` if there is none."""
        table = schema.layer_tables[get_layer(layer).name]
        frame = self._geo_table(select(*reads.stored_columns(table, INTERNAL_COLUMNS)).where(table.c.code == code))
        if frame.empty:
            raise NotFound(Reason("notfound.feature", code=repr(code), layer=layer_names(layer)))
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
        return reads.table_of(conn.execute(query))

    def _geo_table(self, query, conn: Connection | None = None) -> gpd.GeoDataFrame:
        """A query's rows with a WKB ``geom`` column as a WGS84 GeoDataFrame (:func:`mapapp.store.reads.geo_frame_of`)."""
        if conn is None:
            with self.engine.connect() as own:
                return self._geo_table(query, own)
        return reads.geo_frame_of(conn.execute(query))

    # -- conflicts ---------------------------------------------------------------
    def recompute_conflicts(self, conn: Connection | None = None) -> int:
        """Find every conflict of the current layers again and store exactly those (writing only the rows
        that changed); the number of conflicts. In ``conn``'s write transaction if given, else reading and
        judging outside the write lock (see :mod:`mapapp.store.conflict_recompute`)."""
        return conflict_recompute.recompute(self, conn)

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
        """Stored conflicts, filtered in SQL; a bbox is cut by the geometry itself, as for layers
        (through the spatial index, :mod:`mapapp.store.spatial`)."""
        table = schema.conflicts
        query = select(*reads.stored_columns(table)).order_by(table.c.type, table.c.id)
        if type_:
            query = query.where(table.c.type == type_)
        if zone:
            query = query.where(table.c.zone_code == zone)
        if severity:
            query = query.where(table.c.severity == severity)
        dialect = self.engine.dialect.name
        if bbox is not None:
            query = query.where(spatial.bbox_filter(table, bbox, dialect))
        frame = self._geo_table(query)
        if bbox is not None and not spatial.exact_in_sql(dialect) and not frame.empty:
            frame = frame[shapely.intersects(frame.geometry.values, shapely.box(*bbox))]
        return frame


def _coerce_filter(type_: str, value: str) -> Any:
    if type_ == "float":
        return float(value)
    if type_ == "int":
        return int(value)
    return value
