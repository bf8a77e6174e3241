"""Stored conflict rows: inserting found conflicts, and replacing all of them by writing only what changed.

A full recompute (``mapapp conflicts --recompute``, a large import) finds every conflict again; most
are those already stored (edits keep them current: :mod:`mapapp.store.conflict_sync`). So
:func:`replace_conflicts` compares what is found with what is stored, by conflict id, and deletes
and inserts only the rows that differ: a recompute that changes nothing writes no row, and one that
changes a few writes a few (the R*Tree's triggers fire for those only). Past
:data:`REWRITE_ABOVE` changed rows it empties the table and inserts every row instead
(:func:`mapapp.store.bulk_index.emptied`), which is cheaper than as many single deletes.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, delete, select

from mapapp.store import bulk_index, many_rows, reads, schema

CONFLICT_COLUMNS = ("id", "type", "zone_code", "area_m2", "length_m", "severity", "description", "description_en")
# What a stored conflict is compared by: every column but the box, which follows from the geometry.
COMPARED = ("type", "codes", "layers", "zone_code", "area_m2", "length_m", "severity", "description", "description_en", "geom")
# Past this many rows to delete and insert, emptying the table and inserting all is cheaper.
REWRITE_ABOVE = 5000
_IN_CHUNK = 500  # ids per IN (...) list


def conflict_columns(found: gpd.GeoDataFrame) -> dict[str, list]:
    """The columns of the conflicts table (plain Python values, NaN as None), one list each, for
    ``found``, the columns of :func:`mapapp.analysis.conflicts.find_conflicts` in WGS84."""
    geoms = np.asarray(found.geometry.values, dtype=object)
    bounds = shapely.bounds(geoms).reshape(-1, 4)
    columns = {name: _plain(found[name]) for name in CONFLICT_COLUMNS}
    columns["codes"] = [list(c) for c in found["codes"]]
    columns["layers"] = [list(c) for c in found["layers"]]
    columns["geom"] = list(shapely.to_wkb(geoms)) if len(geoms) else []
    columns.update({key: bounds[:, k].tolist() for k, key in enumerate(("minx", "miny", "maxx", "maxy"))})
    return columns


def _rows(columns: dict[str, list], which: list[int] | None = None) -> dict[str, list]:
    """``columns``, all rows or those at the positions ``which`` (for :func:`mapapp.store.many_rows.insert_columns`)."""
    if which is None:
        return columns
    return {name: [values[i] for i in which] for name, values in columns.items()}


def _plain(column: pd.Series) -> list:
    """A column as plain Python values, None for a missing value (None, NaN): one vectorised test, no
    Python code per value (a full recompute writes 10⁵ rows)."""
    values = column.to_numpy(dtype=object)
    missing = pd.isna(values)
    if missing.any():
        values = values.copy()  # to_numpy may give the frame's own array
        values[missing] = None
    return values.tolist()


def insert_conflicts(conn: Connection, found: gpd.GeoDataFrame) -> None:
    """Insert conflict rows (the columns of :func:`mapapp.analysis.conflicts.find_conflicts`, WGS84)."""
    if len(found):
        many_rows.insert_columns(conn, schema.conflicts, _rows(conflict_columns(found)))


def replace_conflicts(conn: Connection, found: gpd.GeoDataFrame) -> tuple[int, int]:
    """Make the stored conflicts exactly ``found`` (all of them, as a full recompute finds them), in
    ``conn``'s write transaction, writing only the rows that differ (see the module).

    Returns (rows deleted, rows inserted); a changed conflict counts in both. Cyclic garbage
    collection pauses while both sides become rows (:func:`mapapp.gc_pause.no_gc_passes`).
    """
    with reads.no_gc_passes():
        columns = conflict_columns(found)
        stored = stored_conflicts(conn)
        compared = zip(*(columns[c] for c in COMPARED))
        fresh = [i for i, (cid, values) in enumerate(zip(columns["id"], compared)) if stored.get(cid) != values]
        kept = set(columns["id"]).difference(columns["id"][i] for i in fresh)
        stale = [cid for cid in stored if cid not in kept]
    if len(fresh) + len(stale) > REWRITE_ABOVE:
        with bulk_index.emptied(conn, schema.conflicts, key="rowid"):
            many_rows.insert_columns(conn, schema.conflicts, _rows(columns))
        return len(stored), len(columns["id"])
    for i in range(0, len(stale), _IN_CHUNK):
        conn.execute(delete(schema.conflicts).where(schema.conflicts.c.id.in_(stale[i:i + _IN_CHUNK])))
    many_rows.insert_columns(conn, schema.conflicts, _rows(columns, fresh))
    return len(stale), len(fresh)


def stored_conflicts(conn: Connection) -> dict[str, tuple]:
    """Every stored conflict's :data:`COMPARED` values (a tuple, in that order) by id."""
    table = schema.conflicts
    query = select(*reads.stored_columns(table, set(table.c.keys()) - {"id", *COMPARED}))
    with reads.no_gc_passes():
        columns = reads.columns_of(conn.execute(query))
        columns["geom"] = [bytes(g) for g in columns["geom"]]  # a driver may give memoryviews
        return dict(zip(columns["id"], zip(*(columns[c] for c in COMPARED))))
