"""The OGC API's plain pages of lots (no bbox, condition nor dates) as GeoJSON feature texts, without a frame.

The same page as :meth:`mapapp.store.backend.Store.read_page` reads (``ORDER BY code LIMIT OFFSET``, started
from the nearest position remembered under the same key, :mod:`mapapp.store.page_marks`; the same count kept
under that key) and the same features as :func:`mapapp.queries.layers.view_of` and
:func:`mapapp.geojson.collection_json` write for it, byte for byte (:mod:`mapapp.queries.lot_view`).
"""
from __future__ import annotations

from sqlalchemy import Connection

from mapapp.queries import lot_view
from mapapp.store import figure_versions, lot_sql, page_marks
from mapapp.store.backend import Store


def page(store: Store, limit: int, offset: int, staff: bool, include_retired: bool) -> tuple[list[str], int]:
    """(the Feature texts of the lots at ``offset`` … ``offset + limit - 1`` in code order, as ``staff`` or the
    public sees them, retired ones too with ``include_retired``; how many lots the pages go through in all)."""
    columns = lot_view.read_columns(staff)
    with store.engine.connect() as conn:
        # versions first: kept rows read after them are at least as new, so none is taken under an older key
        versions = figure_versions.read(conn)
        key, matched = store.plain_count(conn, "lots", include_retired)
        rows = _rows(conn, key, columns, include_retired, limit, offset)
        return lot_view.features(store, conn, versions, columns, rows, None, staff, include_retired), matched


def _rows(conn: Connection, key: tuple, columns: list[str], include_retired: bool, limit: int, offset: int) -> list[tuple]:
    """The page's rows (:func:`mapapp.store.lot_sql.page`), from the nearest position remembered under ``key``;
    far from any, the code at the offset is found reading codes only, as :meth:`Store.read_page` does."""
    start = page_marks.nearest(key, offset) if offset else None
    code, step_over = (None, offset) if start is None else (start[1], offset - start[0])
    if step_over > limit:
        code = lot_sql.code_at(conn, code, step_over, include_retired)
        if code is None:
            return []
        page_marks.remember(key, [(offset, code)])
        step_over = 0
    rows = lot_sql.page(conn, code, step_over, limit, columns, include_retired)
    if rows:
        at = columns.index("code")
        page_marks.remember(key, [(offset, rows[0][at]), (offset + len(rows) - 1, rows[-1][at])])
    return rows
