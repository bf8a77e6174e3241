"""OGC API – Features read time beside the floor: GDAL reading all lots through OAPIF vs from /api/layers/lots.

Not a test: prints a table. For each N it builds a synthetic province (``bench/synthetic.py``:
zones and N lots) in a fresh SQLite file, serves it with waitress, and times GDAL (pyogrio,
in a child process, as a planner's QGIS or ogr2ogr would read) reading

- oapif: ``OAPIF:…/ogc`` layer ``lots``, page after page (the page size GDAL picks from the API definition),
- floor: the same features in one GeoJSON document from ``/api/layers/lots``,

and prints both, their ratio (goal: within 5×) and the requests OAPIF made.

    .venv/bin/python bench/bench_ogc.py --sizes 20000 100000
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from synthetic import province  # noqa: E402

from mapapp.layers import LAYERS  # noqa: E402
from mapapp.sources.validate import validate  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402
from tests.api.ogc_live import serve  # noqa: E402

READ = "import pyogrio, sys; f = pyogrio.read_dataframe(sys.argv[1], layer=sys.argv[2] or None); print(len(f))"


def gdal_read(source: str, layer: str = "") -> tuple[float, int]:
    """Seconds GDAL takes to read every feature of ``source`` in a child process, and how many it read."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", READ, source, layer], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-1500:])
    return time.perf_counter() - started, int(done.stdout.strip())


def run(n: int, folder: Path) -> dict:
    data = province(n, seed=1)
    frames = {k: data[k][[c for c in data[k].columns if c in LAYERS[k].field_names or c == "geometry"]] for k in ("zones", "lots")}
    url = f"sqlite:///{folder / f'ogc-{n}.sqlite'}"
    store = Store(url)
    store.init_schema()
    zones = set(frames["zones"]["code"])
    store.write_layers({k: validate(LAYERS[k], f, zones) for k, f in frames.items()})
    live = serve(url)
    try:
        t_floor, floor_count = gdal_read(f"/vsicurl_streaming/{live.base}/api/layers/lots")
        live.requests.clear()
        t_oapif, count = gdal_read(f"OAPIF:{live.base}/ogc", "lots")
        requests = len(live.requests)
    finally:
        live.close()
    assert count == floor_count == n, (count, floor_count, n)
    return {"n": n, "oapif": t_oapif, "floor": t_floor, "requests": requests}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000])
    args = parser.parse_args()
    print("OGC API – Features: GDAL reading every lot (SQLite, waitress, GDAL in a child process)")
    print(f"{'N':>9} {'oapif s':>8} {'/api floor s':>12} {'ratio':>6} {'requests':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            r = run(n, Path(tmp))
            print(f"{r['n']:>9,} {r['oapif']:>8.2f} {r['floor']:>12.2f} {r['oapif'] / r['floor']:>6.1f} {r['requests']:>8}", flush=True)


if __name__ == "__main__":
    main()
