"""The full conflict recompute: every conflict found again from the stored layers, and stored.

``mapapp conflicts --recompute`` and a large import run it (an edit updates only its own conflicts:
:mod:`mapapp.store.conflict_sync`). It reads the rules' inputs only (:mod:`mapapp.store.rule_inputs`:
a few columns and the stored EPSG:5897 geometry, as arrays), runs
:func:`mapapp.analysis.conflicts.find_conflicts` and writes only the conflicts that changed
(:func:`mapapp.store.conflict_rows.replace_conflicts`).

Run on its own (no caller's transaction), it reads the layers in one read transaction (one snapshot:
REPEATABLE READ on PostgreSQL, a WAL snapshot on SQLite) and finds the conflicts *without* the write
lock, which it then holds only to write what changed: edits and imports are not kept waiting for
seconds. If a write to the data committed in between (the store's ``data_version``, renewed by every
write, differs), the layers are read and judged again under the lock, so the result is never stale.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
from sqlalchemy import Connection, select

from mapapp import clock
from mapapp.analysis.conflicts import LayerColumns, find_conflicts
from mapapp.analysis.conflicts.incremental import CONFLICT_LAYERS
from mapapp.store import conflict_counts, schema
from mapapp.store.conflict_rows import replace_conflicts
from mapapp.store.rule_inputs import read_rule_inputs

if TYPE_CHECKING:
    from mapapp.store.backend import Store


@dataclass(frozen=True)
class Judged:
    """Every conflict found (``found``, the columns of ``find_conflicts``, WGS84) in the data of the
    store's data version ``version`` (None: a database never written through mapapp)."""

    version: str | None
    found: gpd.GeoDataFrame


def recompute(store: Store, conn: Connection | None = None) -> int:
    """Find every conflict of the stored layers and make the stored conflicts exactly those; the number
    of conflicts. In ``conn``'s write transaction if given, else as the module says (read and judged
    outside the write lock: :func:`judge` then :func:`store_judged`). Stamps ``conflicts_computed_at``."""
    if conn is not None:
        return _store_found(store, conn, find_all(store, conn))
    return store_judged(store, judge(store))


def judge(store: Store) -> Judged:
    """Every conflict of the layers as they are now, read in one snapshot (no write lock taken), judged
    after the snapshot is closed."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            version = _data_version(conn)
            layers = _inputs(conn)
    return Judged(version, _find(store, layers))


def store_judged(store: Store, judged: Judged) -> int:
    """Store ``judged`` in one write transaction, writing only the conflicts that changed; if the data
    changed since it was read (another write committed), judge the data as it is now instead, under
    the lock. The number of conflicts stored."""
    with store.writing() as conn:
        found = judged.found if _data_version(conn) == judged.version else find_all(store, conn)
        return _store_found(store, conn, found)


def find_all(store: Store, conn: Connection) -> gpd.GeoDataFrame:
    """Every conflict of the active features as ``conn`` sees them (the columns of ``find_conflicts``, WGS84)."""
    return _find(store, _inputs(conn))


def _inputs(conn: Connection) -> dict[str, LayerColumns | None]:
    return {layer: read_rule_inputs(conn, layer) for layer in CONFLICT_LAYERS}


def _find(store: Store, layers: dict[str, LayerColumns | None]) -> gpd.GeoDataFrame:
    return find_conflicts(**layers, tolerance_m2=store.tolerance_m2, tolerance_m=store.tolerance_m)


def _data_version(conn: Connection) -> str | None:
    return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "data_version")).scalar_one_or_none()


def _store_found(store: Store, conn: Connection, found: gpd.GeoDataFrame) -> int:
    if replace_conflicts(conn, found) == (0, 0):  # no row written: the zones' counts stay (mapapp.store.conflict_counts)
        conflict_counts.nothing_written(conn)
    store._set_meta(conn, "conflicts_computed_at", clock.stamp())
    return len(found)
