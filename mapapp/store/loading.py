"""Loading whole datasets (the sample, fixtures, bulk loads) in one transaction (a part of
:class:`mapapp.store.backend.Store`); the board's changes go through :mod:`mapapp.changes` instead."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.sql import bindparam

from mapapp import clock
from mapapp.errors import ImportRefused
from mapapp.layers import LAYERS
from mapapp.refusals import Reason
from mapapp.store import clearance_records as clearance_store
from mapapp.store import bulk_index, many_rows, reads, schema, summaries
from mapapp.store.records import geometry_rows as _geometry_rows
from mapapp.store.records import layer_records as _records

# A dataset load (the sample) replaces the board's data, not its accounts nor the record of changes.
KEPT_ON_RESET = frozenset({"users", "audit_log"})


class LayerLoading:
    """``write_layers``; needs ``writing``, ``codes``, ``_set_meta`` and ``recompute_conflicts`` (see :class:`Store`)."""

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
            summaries.after_load(conn, frames)
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
        existing = reads.codes_among(conn, table, [r["code"] for r in records])
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
        # a bulk load's new rows as an import's: column by column, the index triggers set aside past BULK_ROWS
        with bulk_index.inserting(conn, table, len(inserts)):
            many_rows.insert_rows(conn, table, inserts)
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
                    Reason("import.zone_missing_keep", zone=bad.zone_code),
                    layer=layer,
                    code=bad.code,
                    field="zone_code",
                )
