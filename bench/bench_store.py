"""The store and API at province scale: import, conflict recomputation, the requests the map makes.

Not a test: prints a table. For each N it builds a synthetic province
(``bench/synthetic.py``: N lots and N parcels) in a fresh SQLite file and times

- validate: the importer's checks over every lot and parcel (as ``mapapp import`` does),
- write: storing zones, lots, parcels and works, with the conflict recomputation, in one transaction,
- bbox: ``GET /api/layers/lots?bbox=…`` for a zoom-14 view (what the map asks once zoomed in),
- zones: ``GET /api/layers/zones`` (each zone's occupancy computed over all lots),
- conflicts: ``GET /api/conflicts`` (every conflict, as the map's conflicts layer loads it),
- search: ``GET /api/search?q=…`` (what each keystroke in the map's search box asks).

    .venv/bin/python bench/bench_store.py --sizes 10000 100000
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

from mapapp import create_app  # noqa: E402
from mapapp.layers import LAYERS  # noqa: E402
from mapapp.sources.validate import validate  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def view_bbox(lots) -> str:
    """A window of about 2.5 km x 1.6 km (a zoom-14 screen) around the first lot."""
    c = lots.geometry.iloc[0].centroid
    return f"{c.x - 0.012},{c.y - 0.007},{c.x + 0.012},{c.y + 0.007}"


def run(n: int, folder: Path) -> dict:
    data = province(n, seed=1)
    frames = {name: data[name][[c for c in data[name].columns if c in LAYERS[name].field_names or c == "geometry"]] for name in ("zones", "lots", "clearance", "projects")}
    url = f"sqlite:///{folder / f'bench-{n}.sqlite'}"
    store = Store(url)
    store.init_schema()
    zone_codes = set(frames["zones"]["code"])
    t_validate, checked = timed(lambda: {name: validate(LAYERS[name], frame, zone_codes) for name, frame in frames.items()})
    t_write, _ = timed(lambda: store.write_layers(checked))
    client = create_app({"database": url}).test_client()
    bbox = view_bbox(frames["lots"])
    t_bbox, response = timed(lambda: client.get(f"/api/layers/lots?bbox={bbox}"), repeat=5)
    in_view = response.get_data(as_text=True).count('"type":"Feature"')
    t_zones, _ = timed(lambda: client.get("/api/layers/zones"), repeat=3)
    t_conflicts, response = timed(lambda: client.get("/api/conflicts"), repeat=3)
    # worst case: a word found nowhere, so every layer's text is scanned
    t_search, _ = timed(lambda: client.get("/api/search?q=không có đâu"), repeat=3)
    return {
        "n": n, "validate": t_validate, "write": t_write, "conflicts": store.conflict_count(),
        "bbox": t_bbox, "in_view": in_view, "zones": t_zones, "all_conflicts": t_conflicts, "search": t_search,
        "mb": (folder / f"bench-{n}.sqlite").stat().st_size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print("store and API on synthetic provinces (SQLite, one process)")
    print(f"{'N':>9} {'validate s':>10} {'write+conflicts s':>17} {'conflicts':>9} {'db MB':>7} {'bbox view ms':>12} {'lots in view':>12} {'zones ms':>9} {'all conflicts ms':>16} {'search ms':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            r = run(n, Path(tmp))
            print(f"{r['n']:>9,} {r['validate']:>10.2f} {r['write']:>17.2f} {r['conflicts']:>9,} {r['mb']:>7.0f} "
                  f"{r['bbox'] * 1000:>12.0f} {r['in_view']:>12,} {r['zones'] * 1000:>9.0f} {r['all_conflicts'] * 1000:>16.0f} {r['search'] * 1000:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
