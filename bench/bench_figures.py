"""The clearance figures a layer view joins, right after an edit (``make bench`` rows).

Each edit changes the data. The first ``GET /api/layers/lots?bbox=…`` (a zoom-14 window) and the
first ``GET /api/layers/zones`` after it are what a reader waits for while the figures catch up
with the edit; the same requests once more (figures at hand) are their floor, measured now.

Through the app in-process (Flask's test client: the app's own cost, no sockets), on a scratch
copy of the database (PostgreSQL: the edits are undone, so the data is left as found). The edits
alternate a parcel's status (negotiating / compensated; the parcel is one the window shows) and a
dated step recorded on another parcel.

    .venv/bin/python bench/bench_figures.py --n 20000
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import Row, build_database, percentile, scratch_copy  # noqa: E402

EDITS = 6


def _timed(client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    took = time.perf_counter() - start
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return took


def _parcels_in(store, path: str) -> list[str]:
    """Old-style (undated) parcels of the window's zones, not cleared: their status may be written."""
    x0, y0, x1, y1 = (float(v) for v in path.split("bbox=")[1].split(","))
    parcels = store.read_layer("clearance", bbox=(x0, y0, x1, y1), fields_only=True)
    steps = store.clearance_records(list(parcels["code"]))["steps"]
    dated = set(steps.loc[steps["date"] != "", "parcel_code"])
    return [c for c, s in zip(parcels["code"], parcels["status"]) if s in ("negotiating", "compensated") and c not in dated]


def measure(n: int, url: str, edits: int = EDITS) -> list[Row]:
    """``make bench``'s figure rows (see bench/common.py for the interface)."""
    from bench_load import view_paths
    from mapapp import create_app
    from mapapp.changes.features import apply_features
    from mapapp.changes.model import Actor, Edit
    from mapapp.store.backend import Store

    actor = Actor("bench", "cli")
    with tempfile.TemporaryDirectory() as tmp:
        work = scratch_copy(url, Path(tmp))
        client = create_app({"database": work}).test_client()
        store = Store(work)
        lots = view_paths(work, 1, seed=5)[0]
        zones = "/api/layers/zones"
        started = time.perf_counter()
        _timed(client, lots)
        cold = time.perf_counter() - started
        _timed(client, zones)
        parcels = _parcels_in(store, lots)
        first_lots, first_zones, again_lots, again_zones = [], [], [], []
        undo = []
        for k in range(edits):
            code = parcels[k % len(parcels)]
            stored = store.read_layer("clearance", filters={"code": code}, fields_only=True)["status"].iloc[0]
            status = "compensated" if stored == "negotiating" else "negotiating"
            apply_features(store, "clearance", [Edit(code, {"status": status})], actor, confirm=True,
                           when=dt.date(2026, 1, 1))
            undo.append((code, stored))
            first_lots.append(_timed(client, lots))
            first_zones.append(_timed(client, zones))
            again_lots.append(_timed(client, lots))
            again_zones.append(_timed(client, zones))
        if work == url:
            for code, stored in reversed(undo):
                apply_features(store, "clearance", [Edit(code, {"status": stored})], actor, confirm=True)
        store.engine.dispose()
    ms = {name: percentile(v, 50) * 1000 for name, v in
          (("lots", first_lots), ("zones", first_zones), ("lots_again", again_lots), ("zones_again", again_zones))}
    worst = max(first_lots) * 1000
    return [
        Row("zoom-14 view of lots, first after an edit, median", n, ms["lots"], "ms", "< 30 ms (p95 of views)",
            ms["lots"] < 30, ms["lots_again"], "the same view again, median",
            f"slowest {worst:,.0f} ms; first view after start {cold:.1f} s"),
        Row("/api/layers/zones, first after an edit, median", n, ms["zones"], "ms", "< 50 ms", ms["zones"] < 50,
            ms["zones_again"], "the same request again, median"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--url", help="a database holding province(n) already (default: build one)")
    parser.add_argument("--edits", type=int, default=EDITS, help=f"edits measured (default {EDITS})")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'figures.sqlite'}"
        if not args.url:
            build_database(args.n, url)
        for row in measure(args.n, url, args.edits):
            print(row)


if __name__ == "__main__":
    main()
