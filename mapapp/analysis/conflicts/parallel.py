"""Vectorised GEOS work of the rules split into chunks over a small thread pool.

Shapely's vectorised functions (overlays, buffers, predicates, STRtree queries) release the GIL, so
while one thread waits on GEOS for one chunk of candidate pairs another can work on the next. At
5·10⁵ lots about half of ``find_conflicts``' CPU time is spent in such chunks (tree queries, overlays,
``covers``); the rest (reading columns, building trees, texts) holds the GIL. Each function works
element by element, so a result is the same whatever the chunks and the number of threads.

The number of threads is the setting ``MAPAPP_CONFLICT_THREADS`` (a whole number ≥ 1), by default
the number of cores this process may run on (``os.sched_getaffinity``); 1 runs everything in the
calling thread. A pool lives only while :func:`threads` is open (one ``find_conflicts`` call).

What chunks may share: GEOS geometries are read-only to every function used here, but a *prepared*
geometry builds its indexes lazily on first use, which is not thread-safe (libgeos/geos#825): work
on prepared geometries goes through :func:`group_chunks`, which gives each one to a single chunk;
likewise a collection's envelope, worked out on first use, is worked out before (``inputs._prepare``),
and a tree is queried once before its chunks (``_Layer.tree``).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from mapapp.errors import SettingError

SETTING = "MAPAPP_CONFLICT_THREADS"
# Below this many elements per chunk, handing work to a thread costs more than it saves.
MIN_CHUNK = 2048
_CHUNKS_PER_THREAD = 4  # chunks of pairs differ in cost: smaller ones keep both threads busy to the end

# The open pool, its number of threads and the least chunk (None: run in the calling thread).
_pool: ContextVar[tuple[ThreadPoolExecutor, int, int] | None] = ContextVar("conflict_pool", default=None)


def default_threads() -> int:
    """``MAPAPP_CONFLICT_THREADS`` if set, else the number of cores this process may use (≥ 1)."""
    raw = os.environ.get(SETTING, "").strip()
    if not raw:
        return max(1, len(os.sched_getaffinity(0)))
    if not raw.isdigit() or int(raw) < 1:
        raise SettingError(f"{SETTING} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


@contextmanager
def threads(count: int | None = None, min_chunk: int = MIN_CHUNK) -> Iterator[int]:
    """Run the chunked work inside the block on ``count`` threads (None: :func:`default_threads`), in
    chunks of at least ``min_chunk`` elements (small ones let a test split a small province); yields the
    count. Nested blocks keep the outer pool."""
    outer = _pool.get()
    if outer is not None:
        yield outer[1]
        return
    count = default_threads() if count is None else count
    if count < 1:
        raise ValueError("threads must be at least 1")
    if count == 1:
        yield 1
        return
    with ThreadPoolExecutor(count, thread_name_prefix="conflicts") as pool:
        token = _pool.set((pool, count, min_chunk))
        try:
            yield count
        finally:
            _pool.reset(token)


def bounds_of(n: int, most: int | None = None) -> list[tuple[int, int]]:
    """(start, stop) of the chunks ``n`` elements are split into: one if no pool is open or ``n`` is
    small, else up to 4 per thread of at least the pool's least chunk, and none longer than ``most``."""
    pool = _pool.get()
    parts = 1 if pool is None else min(pool[1] * _CHUNKS_PER_THREAD, n // pool[2])
    if most:
        parts = max(parts, -(-n // most))
    cuts = np.linspace(0, n, max(parts, 1) + 1).astype(np.intp)
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist()))


def run(work: Callable[[int, int], Any], spans: Sequence[tuple[int, int]]) -> list[Any]:
    """``work(start, stop)`` for each span, on the pool if one is open, results in span order."""
    pool = _pool.get()
    if pool is None or len(spans) < 2:
        return [work(a, b) for a, b in spans]
    return list(pool[0].map(lambda span: work(*span), spans))


def chunked(op: Callable[..., Any], *arrays: np.ndarray) -> Any:
    """``op(*arrays)`` (arrays of equal length, ``op`` element by element, returning one array or a
    tuple of them) computed chunk by chunk on the pool and joined: the same values as one call."""
    parts = run(lambda a, b: op(*(x[a:b] for x in arrays)), bounds_of(len(arrays[0])))
    if len(parts) == 1:
        return parts[0]
    if isinstance(parts[0], tuple):
        return tuple(np.concatenate(p) for p in zip(*parts))
    return np.concatenate(parts)


def group_chunks(groups: np.ndarray) -> list[np.ndarray]:
    """Positions of ``groups`` (integer labels) split into chunks that never split a group: for work on
    prepared geometries, each labelled by the geometry it uses. One chunk if no pool is open."""
    pool = _pool.get()
    if pool is None or len(groups) < 2 * pool[2]:
        return [np.arange(len(groups))]
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    spans = bounds_of(len(groups))
    cuts = np.unique(np.searchsorted(ordered, ordered[[a for a, _ in spans[1:]]], side="left"))
    return [c for c in np.split(order, cuts) if len(c)]
