"""A layer's count and the codes at every :data:`STEP`-th position of its code order, in one walk of its code index.

An OGC page deep in a layer (``ORDER BY code LIMIT 1000 OFFSET k``) steps over k codes first, and its
``numberMatched`` counts them all: at 5·10⁵ lots each walk of the code index cost tens of milliseconds
(PostgreSQL's index-only scan as much as SQLite's). Both come from one walk: a recursive query hops
from each mark to the code :data:`STEP` positions further (``code > mark ORDER BY code LIMIT 1 OFFSET
STEP - 1``, the code index alone: ``ix_<layer>_active_code``, or the unique code index with retired
features too), then counts the few codes after the last mark. The walk costs about what the count alone
did on SQLite, and what one deep offset did on PostgreSQL (its count ran in parallel workers, the walk
cannot); with its marks remembered (:mod:`mapapp.store.page_marks`), a page at any offset steps over
fewer than :data:`STEP` rows. One statement: the count and the marks are of one snapshot.
"""
from __future__ import annotations

from sqlalchemy import Connection, text

from mapapp.layers import get_layer

#: Positions between two marks: a page read from the nearest mark steps over fewer rows than this.
STEP = 1000


def walk(conn: Connection, layer: str, include_retired: bool = False, step: int | None = None) -> tuple[int, list[tuple[int, str]]]:
    """(how many features of ``layer`` there are, active ones unless ``include_retired``; ``(position, code)``
    at positions 0, ``step``, 2·``step``, … of their code order, positions counted from 0; ``step`` :data:`STEP`
    when None)."""
    step = int(step or STEP)
    table = get_layer(layer).name  # a known layer's own table name: nothing from the caller enters the SQL text
    active = "" if include_retired else "retired_at IS NULL AND "
    first = "" if include_retired else " WHERE retired_at IS NULL"
    # each row holds the mark before it: the row past the last mark (code NULL) counts the codes from that
    # mark on (at most ``step``), in the same statement, so that the count and the marks are of one snapshot
    rows = conn.execute(text(
        "WITH RECURSIVE marks(n, code, before) AS ("
        f" SELECT 0, (SELECT code FROM {table}{first} ORDER BY code LIMIT 1), NULL"
        f" UNION ALL SELECT n + 1, (SELECT code FROM {table} WHERE {active}code > marks.code"
        "  ORDER BY code LIMIT 1 OFFSET :skip), marks.code FROM marks WHERE marks.code IS NOT NULL)"
        # (LIMIT: the planner's estimate of that count stays small; PostgreSQL JIT-compiled the walk otherwise, ~0.8 s)
        " SELECT n, code, CASE WHEN code IS NULL THEN (SELECT COUNT(*) FROM"
        f"  (SELECT code FROM {table} WHERE {active}code >= marks.before LIMIT :step) tail)"
        " END FROM marks ORDER BY n"), {"skip": step - 1, "step": step}).all()
    *marks, (last, _, rest) = rows
    return (int(last) - 1) * step + int(rest) if marks else 0, [(int(n) * step, code) for n, code, _ in marks]
