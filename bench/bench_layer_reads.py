"""Reads at province scale, each beside its floor in the same run: zone summaries, search, a full layer.

Not a test: prints a table (and :func:`measure` returns its rows for ``bench/run.py``). For N lots and
N parcels (``bench/synthetic.py``) in the database at ``url`` (loaded first when it holds no lots) it times

- zones, first after a write: ``GET /api/layers/zones`` when the clearance figures (cached per data
  version) are computed; floor: the same request again, warm;
- zones: ``GET /api/layers/zones`` (every zone with its lot and occupancy figures), warm; floor: the zones
  table read in raw SQL;
- search, no match: ``GET /api/search?q=…`` for words found nowhere (what a typo costs); floor: one lookup
  by code in each searched layer, in raw SQL;
- full layer: ``Store.read_layer("lots")`` as a GeoDataFrame; floor: the same rows fetched in raw SQL
  as tuples (no frame, no geometry decoding).

    .venv/bin/python bench/bench_reads.py --n 100000 [--url postgresql+psycopg://…]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from synthetic import province  # noqa: E402

from sqlalchemy import text  # noqa: E402

from mapapp import create_app  # noqa: E402
from mapapp.layers import LAYERS  # noqa: E402
from mapapp.sources.validate import validate  # noqa: E402
from mapapp.store import schema  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402

NO_MATCH = "không có đâu"
SEARCHED = ("zones", "projects", "lots", "clearance")
GOALS = {"zones": "< 50 ms", "search, no match": "< 20 ms", "full layer read": "≤ 1.5× floor"}


def median_ms(fn, repeat: int) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def load(n: int, store: Store) -> None:
    """Store a synthetic province of ``n`` lots and ``n`` parcels, unless the database already holds lots."""
    if store.counts()["lots"]:
        return
    data = province(n, seed=1)
    names = ("zones", "lots", "clearance", "projects")
    frames = {k: data[k][[c for c in data[k].columns if c in LAYERS[k].field_names or c == "geometry"]] for k in names}
    zones = set(frames["zones"]["code"])
    store.write_layers({k: validate(LAYERS[k], f, zones) for k, f in frames.items()})


def _raw(store: Store, sql: str, params: dict | None = None):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params or {}).fetchall()


def measure(n: int, url: str, repeat: int = 5) -> list[tuple[str, int, float, float, str]]:
    """Rows ``(what, n, figure_ms, floor_ms, goal)`` for the database at ``url`` (loaded with ``n`` lots if empty)."""
    store = Store(url)
    store.init_schema()
    load(n, store)
    client = create_app({"database": url}).test_client()
    rows = []
    # the clearance figures are cached per data version: the first answer after a write computes them
    cold = median_ms(lambda: client.get("/api/layers/zones"), 1)
    rows.append(("zones, first after a write", n, cold, median_ms(lambda: client.get("/api/layers/zones"), 1), "floor: warm answer"))
    zones = median_ms(lambda: client.get("/api/layers/zones"), repeat)
    zones_floor = median_ms(lambda: _raw(store, "SELECT * FROM zones WHERE retired_at IS NULL ORDER BY code"), repeat)
    rows.append(("zones", n, zones, zones_floor, GOALS["zones"]))
    search = median_ms(lambda: client.get(f"/api/search?q={NO_MATCH}"), repeat)
    search_floor = median_ms(lambda: [_raw(store, f"SELECT code FROM {t} WHERE code = :c", {"c": NO_MATCH}) for t in SEARCHED], repeat)
    rows.append(("search, no match", n, search, search_floor, GOALS["search, no match"]))
    columns = ", ".join(c.name for c in schema.layer_tables["lots"].c if c.name not in ("search_text", "search_personal"))
    read = median_ms(lambda: store.read_layer("lots"), max(1, repeat // 2))
    read_floor = median_ms(lambda: _raw(store, f"SELECT {columns} FROM lots WHERE retired_at IS NULL ORDER BY code"), max(1, repeat // 2))
    rows.append(("full layer read (lots)", n, read, read_floor, GOALS["full layer read"]))
    store.engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file); loaded first when it holds no lots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / f'reads-{args.n}.sqlite'}"
        print(f"{'what':<24} {'N':>9} {'ms':>9} {'floor ms':>9}  goal")
        for what, n, figure, floor, goal in measure(args.n, url):
            print(f"{what:<24} {n:>9,} {figure:>9.1f} {floor:>9.1f}  {goal}", flush=True)


if __name__ == "__main__":
    main()
