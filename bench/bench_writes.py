"""Large writes beside their floors (``make bench`` rows): an import of 100k lots, a full conflict recompute.

- import: ``mapapp import lots FILE`` (the command line, a child process: read, check, store,
  recompute the conflicts, audit) of the first min(n, 100k) lots of ``province(n)`` as a GeoPackage,
  into a database holding the zones only, timed end to end as an operator waits for it (Python and
  mapapp starting included); floor: GDAL (pyogrio) reading the same file and writing it into a new
  SQLite database, the plain SQLite load, timed inside its process (its start left out: the floor
  stays the least the work costs). Goal: within 2×. The note gives what starting alone costs
  (``mapapp --help`` in a child process, the same run), the part of the figure no import work can remove.
- recompute: ``Store.recompute_conflicts()`` (``mapapp conflicts --recompute``: read the layers, find,
  store) on a copy of the database, in a child process (seconds, peak memory VmHWM); floor:
  ``find_conflicts`` alone on the same data in memory (``bench_conflicts.py``'s child).

    .venv/bin/python bench/bench_writes.py --n 20000
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import ROOT, SEED, Row, build_database, plain_frames, scratch_copy  # noqa: E402

IMPORT_N = 100_000

RECOMPUTE = """
import json, sys, time
from pathlib import Path
from mapapp.store.backend import Store
store = Store(sys.argv[1])
start = time.perf_counter()
found = store.recompute_conflicts()
seconds = time.perf_counter() - start
peak = next(int(l.split()[1]) / 1024 for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "peak_mb": peak, "conflicts": found}))
"""

PLAIN_LOAD = """
import sys, time, pyogrio
start = time.perf_counter()
frame = pyogrio.read_dataframe(sys.argv[1])
pyogrio.write_dataframe(frame, sys.argv[2], driver="SQLite")
print(time.perf_counter() - start)
"""


def _child(code: str, *args: str, env: dict | None = None) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if done.returncode:
        raise RuntimeError(done.stderr[-1500:])
    return done.stdout.strip().splitlines()[-1]


def import_rows(n: int, folder: Path) -> list[Row]:
    from synthetic import province

    from mapapp.sources.writers import write_layer

    count = min(n, IMPORT_N)
    data = province(n, seed=SEED)
    lots = plain_frames(data)["lots"].sort_values("code").head(count)
    path = folder / "lots.gpkg"
    write_layer(lots, path, "lots")
    url = f"sqlite:///{folder / 'zones-only.sqlite'}"
    build_database(n, url, data, layers=("zones",))
    minx, miny, maxx, maxy = lots.total_bounds
    env = {**os.environ, "MAPAPP_DATABASE": url, "MAPAPP_EXTENT": f"{minx - 0.1},{miny - 0.1},{maxx + 0.1},{maxy + 0.1}"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mapapp.cli", "--help"], check=True, cwd=ROOT, env=env, capture_output=True)
    starting = time.perf_counter() - start
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mapapp.cli", "import", "lots", str(path), "--no-progress", "--as", "bench"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(done.stderr[-1500:])
    floor = float(_child(PLAIN_LOAD, str(path), str(folder / "plain.sqlite")))
    return [Row(f"import of {count:,} lots (mapapp import, GeoPackage)", count, seconds, "s", "≤ 2× floor",
                seconds <= 2 * floor, floor, "GDAL read + plain SQLite load",
                f"end to end; starting Python and mapapp alone: {starting:.2f} s")]


def recompute_rows(n: int, url: str, folder: Path) -> list[Row]:
    from bench_conflicts import run_size

    copy = scratch_copy(url, folder)
    ours = json.loads(_child(RECOMPUTE, copy))
    floor = run_size(n, SEED, False)
    ok = ours["seconds"] < 5 and ours["peak_mb"] < 3000
    return [Row("full conflict recompute (store: read, find, write)", n, ours["seconds"], "s", "< 5 s and < 3 GB", ok,
                floor["seconds"], "find_conflicts in memory",
                f"peak {ours['peak_mb']:,.0f} MB (floor's {floor['peak_mb']:,.0f} MB); {ours['conflicts']:,} conflicts")]


def measure(n: int, url: str) -> list[Row]:
    """``make bench``'s write rows (see bench/common.py for the interface); SQLite only."""
    with tempfile.TemporaryDirectory() as tmp:
        return import_rows(n, Path(tmp)) + recompute_rows(n, url, Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'writes.sqlite'}"
        build_database(args.n, url)
        for row in measure(args.n, url):
            print(row)


if __name__ == "__main__":
    main()
