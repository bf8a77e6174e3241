"""The importer at province scale: N lots from GeoPackage and from zipped Shapefile, against GDAL's floor.

Not a test: prints a table. For each N and format it writes the synthetic province's
lots (``bench/synthetic.py``) to a file with mapapp's own exporter, then, each in a
fresh child process pinned to one CPU:

- floor: ``pyogrio.read_dataframe`` of the same file (what reading costs at least),
- import: ``mapapp.sources.importer.prepare`` (read, map names, decode the DBF,
  reproject, check the province extent, check every value and geometry), against
  a store holding the zones,

printing seconds and peak memory (VmHWM after generating the input, so the input's
own memory is in it), and import / floor as a ratio.

    .venv/bin/python bench/bench_import.py --sizes 10000 100000
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

FORMATS = {"GeoPackage": "lots.gpkg", "zipped Shapefile": "lots.shp.zip"}


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def make_files(n: int, folder: Path) -> tuple[str, str]:
    """Zones in a SQLite store and the lots in every format; returns the database URL and the data's extent.

    The synthetic province outgrows the real one at 100k lots, so the children check
    positions against its own bounds grown by 0.1° (``MAPAPP_EXTENT``).
    """
    from synthetic import province

    from mapapp.layers import LAYERS
    from mapapp.sources.validate import validate
    from mapapp.sources.writers import write_layer
    from mapapp.store.backend import Store

    data = province(n, seed=1)
    spec = LAYERS["lots"]
    lots = data["lots"][[c for c in data["lots"].columns if c in spec.field_names or c == "geometry"]]
    for name in FORMATS.values():
        write_layer(lots, folder / name, "lots")
    url = f"sqlite:///{folder / 'zones.sqlite'}"
    store = Store(url)
    store.init_schema()
    zones = data["zones"][[c for c in data["zones"].columns if c in LAYERS["zones"].field_names or c == "geometry"]]
    store.write_layers({"zones": validate(LAYERS["zones"], zones)})
    minx, miny, maxx, maxy = lots.total_bounds
    return url, f"{minx - 0.1},{miny - 0.1},{maxx + 0.1},{maxy + 0.1}"


def child(kind: str, path: str, url: str) -> dict:
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[0]})
    import pyogrio

    from mapapp.sources.importer import prepare
    from mapapp.store.backend import Store

    store = Store(url)
    gc.collect()
    _reset_peak()
    start = time.perf_counter()
    if kind == "floor":
        target = f"/vsizip/{path}/lots.shp" if path.endswith(".zip") else path
        frame = pyogrio.read_dataframe(target)
    else:
        frame = prepare(store, "lots", path)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _status_mb("VmHWM"), "features": len(frame)}


def measure(kind: str, path: Path, url: str, extent: str) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, str(path), url]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**os.environ, "MAPAPP_EXTENT": extent})
    if done.returncode != 0:
        raise SystemExit(f"child {kind} {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    print(f"{'N lots':>8}  {'format':<17} {'floor s':>8} {'floor MB':>9} {'import s':>9} {'import MB':>10} {'ratio':>6}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            url, extent = make_files(n, folder)
            for label, name in FORMATS.items():
                floor = measure("floor", folder / name, url, extent)
                ours = measure("import", folder / name, url, extent)
                assert floor["features"] == ours["features"] == n, (floor, ours)
                print(f"{n:>8,}  {label:<17} {floor['seconds']:>8.2f} {floor['peak_mb']:>9.0f} {ours['seconds']:>9.2f} "
                      f"{ours['peak_mb']:>10.0f} {ours['seconds'] / floor['seconds']:>6.1f}", flush=True)


if __name__ == "__main__":
    main()
