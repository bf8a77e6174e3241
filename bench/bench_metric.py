"""The conflict analysis's input reads: stored metric geometry (``geom_m``) beside reprojecting WGS84.

Not a test: prints a table. For each N it loads a synthetic province (as ``bench/bench_bbox.py``
does) and times, in the same run, reading the four layers the analysis takes and running it
(:func:`mapapp.analysis.conflicts.find_conflicts`):

- metric: ``Store.read_layer(..., fields_only=True, metric=True)``, what ``recompute_conflicts`` reads
  (EPSG:5897 WKB, nothing to reproject);
- floor: ``read_layer(..., fields_only=True)`` in WGS84, reprojected by the analysis (what it did before).

Both must find the same conflicts. :func:`measure` gives ``make bench``'s row (bench/common.py's interface).

    .venv/bin/python bench/bench_metric.py --sizes 100000
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

from bench_bbox import load  # noqa: E402
from common import Row  # noqa: E402

from mapapp.analysis.conflicts import find_conflicts  # noqa: E402

LAYERS = ("zones", "lots", "clearance", "projects")
REPEAT = 3


def measure(n: int, url: str) -> list[Row]:
    """Read the four layers and find the conflicts, metric reads beside WGS84 reads reprojected (medians)."""
    from mapapp.store.backend import Store

    store = Store(url)

    def analyse(metric: bool):
        with store.engine.connect() as conn:
            return find_conflicts(*(store.read_layer(name, conn=conn, fields_only=True, metric=metric) for name in LAYERS))

    times: dict[bool, list[float]] = {True: [], False: []}
    found = {}
    for _ in range(REPEAT):
        for metric in (True, False):
            start = time.perf_counter()
            found[metric] = analyse(metric)
            times[metric].append(time.perf_counter() - start)
    assert list(found[True]["id"]) == list(found[False]["id"])
    store.engine.dispose()
    ours, floor = statistics.median(times[True]) * 1000, statistics.median(times[False]) * 1000
    return [Row("read 4 layers + find conflicts (stored metric geometry), median", n, ours, "ms", "≤ floor", ours <= floor,
                floor, "WGS84 reads reprojected, median")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--database", help="an SQLAlchemy URL (default: a fresh SQLite file per size)")
    args = parser.parse_args()
    print(f"{'what':<96} {'N':>9} {'ms':>8} {'floor ms':>9} {'ratio':>6}  goal")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            url = args.database or f"sqlite:///{Path(tmp) / f'metric-{n}.sqlite'}"
            load(n, url)[0].engine.dispose()
            for r in measure(n, url):
                print(f"{r.what:<96} {r.n:>9,} {r.figure:>8.0f} {r.floor:>9.0f} {r.figure / r.floor:>6.2f}  {r.goal}", flush=True)


if __name__ == "__main__":
    main()
