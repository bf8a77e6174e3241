"""Where pages start, remembered: ``OFFSET k`` without stepping over k rows again.

``ORDER BY code LIMIT n OFFSET k`` makes the database step over k rows, and SQLite looks up the table
row of each one it steps over: a page deep in a layer of 5·10⁵ lots cost tens of milliseconds before
its own rows were read. Codes are unique in a layer, so the code at a position of a query's code order
names that position. Each page read remembers the codes at its first and last positions, under the
query and the layer's data version (read from the database, new with every write to the layer: a key
never outlives the data it was read from, and every app process agrees); a later page of the same query
starts from the nearest remembered position at or before its offset (``code >= that code``, stepping
over only the rows in between). A client following ``next`` links steps over one row per page. The count of
a plain query (:meth:`mapapp.store.paging.PagedReads.plain_count`) remembers a code every
:data:`mapapp.store.code_walk.STEP` positions, from one walk of the code index: no page steps over more.
"""
from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable

#: Queries whose marks are kept (oldest dropped first), and marks kept per query (each a position and a code).
MAX_QUERIES = 64
MAX_MARKS = 10_000


class _Marks:
    """One query's marks in position order, and its count when a walk of its code index laid them."""

    __slots__ = ("positions", "codes", "walked")

    def __init__(self) -> None:
        self.positions: list[int] = []
        self.codes: list[str] = []
        self.walked: int | None = None


_MARKS: OrderedDict[Hashable, _Marks] = OrderedDict()
_LOCK = threading.Lock()


def nearest(key: Hashable, offset: int) -> tuple[int, str] | None:
    """(position, code) of the remembered position of ``key``'s query nearest at or before ``offset``; None when
    none is."""
    with _LOCK:
        kept = _MARKS.get(key)
        if kept is None:
            return None
        i = bisect.bisect_right(kept.positions, offset) - 1
        return (kept.positions[i], kept.codes[i]) if i >= 0 else None


def remember(key: Hashable, marks: Iterable[tuple[int, str]], walked: int | None = None) -> None:
    """Keep (position, code) pairs of ``key``'s query (positions count from 0 in code order); ``walked``: the
    query's count, when ``marks`` are a whole walk of its code index (:mod:`mapapp.store.code_walk`)."""
    with _LOCK:
        kept = _MARKS.setdefault(key, _Marks())
        _MARKS.move_to_end(key)
        positions, codes = kept.positions, kept.codes
        for position, code in marks:
            i = bisect.bisect_left(positions, position)
            if (i < len(positions) and positions[i] == position) or len(positions) >= MAX_MARKS:
                continue
            positions.insert(i, position)
            codes.insert(i, code)
        if walked is not None:
            kept.walked = walked
        while len(_MARKS) > MAX_QUERIES:
            _MARKS.popitem(last=False)


def walked(key: Hashable) -> int | None:
    """The count of ``key``'s query when a walk laid its marks (and they are still kept); else None."""
    with _LOCK:
        kept = _MARKS.get(key)
        return None if kept is None else kept.walked
