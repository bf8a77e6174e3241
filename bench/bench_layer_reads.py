"""Whole-layer reads at province scale, each beside its floor in the same run (``make bench`` rows).

For N lots and N parcels (``bench/synthetic.py``) in the database at ``url`` (loaded first when it holds no lots)
it times

- the warm after a bulk load: ``mapapp figures warm`` working out every zone's clearance figures (and every lot's readiness) with
  nothing kept; floor: the same warm again (every zone's figures read back from the database);
- zones, a new app process's first answer after the warm (it reads the kept zone rows); floor: the same
  request again;
- full layer: ``Store.read_layer("lots")`` as a GeoDataFrame; floor: the same rows fetched in raw SQL
  as tuples (no frame, no geometry decoding).

The warm zones answer and search with no match are bench_reads.py's rows (their raw-SQL floors are here).

    .venv/bin/python bench/bench_layer_reads.py --n 100000 [--url postgresql+psycopg://…]
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

from common import Row, warm_figures  # noqa: E402
from synthetic import province  # noqa: E402

from sqlalchemy import text  # noqa: E402

from mapapp import create_app  # noqa: E402
from mapapp.layers import LAYERS  # noqa: E402
from mapapp.sources.validate import validate  # noqa: E402
from mapapp.store import schema  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402

NO_MATCH = "không có đâu"
SEARCHED = ("zones", "projects", "lots", "clearance")


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


def _forget_figures(store: Store) -> None:
    """Empty the clearance figures kept in the database (zones' figures and rows, lots' readiness: a cache, the data
    is left as it was), as after a bulk load."""
    from mapapp.store import figure_rows

    with store.engine.begin() as conn:
        conn.execute(schema.zone_figure_parts.delete())
        conn.execute(schema.zone_figure_rows.delete())
        conn.execute(schema.lot_readiness.delete())
        conn.execute(schema.meta.delete().where(schema.meta.c.key == figure_rows.PACES_KEY))


def _raw(store: Store, sql: str, params: dict | None = None):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params or {}).fetchall()


def measure(n: int, url: str, repeat: int = 3) -> list[Row]:
    """``make bench``'s rows (bench/common.py's interface) for the database at ``url`` (loaded with ``n`` lots if empty).

    Neither has a goal in issue 12: they show what the zones and edit figures are made of."""
    store = Store(url)
    store.init_schema()
    load(n, store)
    # after a bulk load nothing is kept: every zone's figures worked out by `mapapp figures warm` (a process of its
    # own, as the board runs it); its floor, the same warm again, reads every zone's figures back from the database
    _forget_figures(store)
    warm = 1000.0 * warm_figures(url)
    rows = [Row("figures worked out for every zone after a bulk load (mapapp figures warm)", n, warm, "ms", "—", None,
                1000.0 * warm_figures(url), "the same warm again (every zone read back from the database)")]
    client = create_app({"database": url}).test_client()
    # a new app process after the warm: its first answer reads the kept zone rows
    cold = median_ms(lambda: client.get("/api/layers/zones"), 1)
    rows.append(Row("/api/layers/zones, a new app process's first answer after the warm", n, cold, "ms", "—", None,
                    median_ms(lambda: client.get("/api/layers/zones"), 1), "the same request warm"))
    columns = ", ".join(c.name for c in schema.layer_tables["lots"].c if c.name not in ("search_text", "search_personal"))
    read = median_ms(lambda: store.read_layer("lots"), repeat)
    read_floor = median_ms(lambda: _raw(store, f"SELECT {columns} FROM lots WHERE retired_at IS NULL ORDER BY code"), repeat)
    rows.append(Row("full layer read, Store.read_layer('lots'), median", n, read, "ms", "—", None, read_floor,
                    "the same rows as tuples in raw SQL, median"))
    store.engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file); loaded first when it holds no lots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / f'reads-{args.n}.sqlite'}"
        print(f"{'what':<76} {'N':>9} {'ms':>9} {'floor ms':>9}")
        for r in measure(args.n, url):
            print(f"{r.what:<76} {r.n:>9,} {r.figure:>9.1f} {r.floor:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
