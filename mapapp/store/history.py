"""The store's reads of history and records: progress reports, clearance events and records,
blockers, administrative units, directives, the audit log (a part of :class:`mapapp.store.backend.Store`)."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Connection, select

from mapapp.store import clearance_records as clearance_store
from mapapp.store import schema


class HistoryReads:
    """Reads of the tables beside the layers; needs ``engine`` and ``_rows`` (see :class:`Store`)."""

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
