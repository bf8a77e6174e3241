"""Zone summaries kept current by writes: each zone's active lots and leasable hectares by lot status.

The table ``zone_summaries`` (migration ``0005_zone_summaries``) holds what
:func:`mapapp.analysis.zones.lot_totals` computes from every lot; each write refreshes, in its own
transaction, the rows of the zones it touched (a few hundred lots each, through the ``zone_code``
index), so reading the zone figures costs a few rows, not a pass over every lot. Conflict counts
are read from the conflicts table itself (they are rewritten with the conflicts).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
from sqlalchemy import Connection, case, delete, func, insert, select

from mapapp.analysis.zones import NOT_LEASABLE
from mapapp.store import schema

CHUNK = 500  # codes per IN list


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _totals(zones: list[str] | None):
    lots = schema.layer_tables["lots"]
    leasable_ha = case((lots.c.land_use.in_(NOT_LEASABLE), 0.0), else_=lots.c.area_m2 / 10_000.0)
    query = (
        select(lots.c.zone_code, lots.c.status, func.count(), func.coalesce(func.sum(leasable_ha), 0.0))
        .where(lots.c.retired_at.is_(None), lots.c.zone_code.is_not(None))
        .group_by(lots.c.zone_code, lots.c.status)
    )
    return query if zones is None else query.where(lots.c.zone_code.in_(zones))


def refresh(conn: Connection, zones: Iterable[str | None] | None = None) -> None:
    """Recompute the summary rows of ``zones`` (every zone when None) from the active lots, in ``conn``'s transaction."""
    table = schema.zone_summaries
    columns = ["zone_code", "status", "lots", "leasable_ha"]
    if zones is None:
        conn.execute(delete(table))
        conn.execute(insert(table).from_select(columns, _totals(None)))
        return
    for chunk in _chunks(sorted({z for z in zones if z is not None})):
        conn.execute(delete(table).where(table.c.zone_code.in_(chunk)))
        conn.execute(insert(table).from_select(columns, _totals(chunk)))


def after_change(conn: Connection, layer: str, before: Mapping[str, Mapping], after: Iterable[Mapping],
                 codes: Iterable[str]) -> None:
    """Refresh the zones of the ``layer`` features ``codes`` just written: the zones they were in
    (``before``: stored rows by code, as read before the write) and the ones they are in now (``after``:
    the rows written; a feature only retired is not among them and stays in its zone). Both are at
    hand: asking the table which zones 10⁵ imported lots are in cost 200 queries."""
    if layer != "lots":
        return
    zones = {before[code].get("zone_code") for code in codes if code in before}
    zones.update(row.get("zone_code") for row in after)
    refresh(conn, zones)


def after_load(conn: Connection, layers: Iterable[str]) -> None:
    """After a bulk load of ``layers`` (:meth:`mapapp.store.backend.Store.write_layers`): every zone, if lots were loaded."""
    if "lots" in layers:
        refresh(conn)


def read(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(lot totals: ``zone_code``, ``status``, ``lots``, ``leasable_ha``; conflict counts: ``zone_code``,
    ``type``, ``conflicts``), as :func:`mapapp.analysis.zones.zone_summary_of` takes them."""
    return read_totals(conn), read_counts(conn)


def read_totals(conn: Connection) -> pd.DataFrame:
    """The kept lot totals: ``zone_code``, ``status``, ``lots``, ``leasable_ha`` (what only writes of lots change)."""
    table = schema.zone_summaries
    totals = conn.execute(select(table.c.zone_code, table.c.status, table.c.lots, table.c.leasable_ha)).all()
    return pd.DataFrame([tuple(r) for r in totals], columns=["zone_code", "status", "lots", "leasable_ha"])


def read_counts(conn: Connection) -> pd.DataFrame:
    """Each zone's conflicts by type, counted from the conflicts table: ``zone_code``, ``type``, ``conflicts``."""
    return counts_frame(count_rows(conn))


#: :func:`count_rows`' statement: plain SQL (thousands of rows; no per-row result processing).
COUNT_SQL = ("SELECT zone_code, type, COUNT(*) FROM conflicts WHERE zone_code IS NOT NULL "
             "GROUP BY zone_code, type")


def count_rows(conn: Connection) -> list[tuple[str, str, int]]:
    """:func:`read_counts`' rows as tuples ``(zone_code, type, conflicts)``, in the order the database gives them
    (counted from the index ``ix_conflicts_zone_type`` alone)."""
    return [tuple(r) for r in conn.exec_driver_sql(COUNT_SQL).all()]


def counts_frame(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """:func:`count_rows`' rows as :func:`read_counts` gives them."""
    return pd.DataFrame(rows, columns=["zone_code", "type", "conflicts"])
