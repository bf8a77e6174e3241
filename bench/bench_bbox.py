"""Zoom-14 bbox views of about 1,000 lots: the map's request beside the raw spatial-index query.

Not a test: prints a table. For each N it loads a synthetic province (``bench/synthetic.py``: N lots
and N parcels) into the database at ``--database`` (default: a fresh SQLite file; a PostGIS URL
works too: its mapapp tables are emptied first) and times, over the same windows of about
1,000 lots each (a 16:9 zoom-14 screen; the windows are sized by counting, centred on random lots):

- http: ``GET /api/layers/lots?bbox=…`` through the Flask test client (the whole request: the
  store's read, the clearance figures joined to each lot, privacy, GeoJSON);
- read_layer: :meth:`mapapp.store.backend.Store.read_layer` with that bbox (the store's share);
- floor: the raw index query on the DB-API connection, no SQLAlchemy, no pandas: SQLite
  ``SELECT … FROM lots WHERE id IN (SELECT id FROM rtree_lots WHERE …)``, PostGIS
  ``… WHERE geom_pg && ST_MakeEnvelope(…) AND ST_Intersects(…)``, every column the map needs.

Goal (issue 12, at 500k): http p95 < 30 ms and within 3× of the raw index query.
:func:`measure` gives ``make bench``'s row (bench/common.py's interface) on the database it is given.

    .venv/bin/python bench/bench_bbox.py --sizes 100000
    .venv/bin/python bench/bench_bbox.py --sizes 100000 --database postgresql+psycopg://…/db
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import Row  # noqa: E402
from synthetic import province  # noqa: E402

from mapapp import create_app  # noqa: E402
from mapapp.layers import LAYERS  # noqa: E402
from mapapp.sources.validate import validate  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402

TARGET = 1_000  # lots in view
ASPECT = 16 / 9
VIEWS = 20
ROUNDS = 3
GOAL = "< 30 ms and ≤ 3× floor"
# what Store.read_layer reads for the map (every stored column but the internal ones)
FLOOR_COLUMNS = ("id, code, zone_code, land_use, status, tenant, price_usd_m2, props, version, changed_at, changed_by, "
                 "retired_at, geom, geom_type, minx, miny, maxx, maxy, area_m2, length_m")
GEOM = FLOOR_COLUMNS.split(", ").index("geom")


def p95(samples: list[float]) -> float:
    return float(np.percentile(np.asarray(samples) * 1000.0, 95))


def load(n: int, url: str) -> tuple[Store, object]:
    """The synthetic province stored at ``url`` (emptied first); the store and the lots' frame."""
    data = province(n, seed=1)
    frames = {k: data[k][[c for c in data[k].columns if c in LAYERS[k].field_names or c == "geometry"]]
              for k in ("zones", "lots", "clearance", "projects")}
    zones = set(frames["zones"]["code"])
    store = Store(url)
    store.init_schema()
    store.write_layers({k: validate(LAYERS[k], f, zones) for k, f in frames.items()}, reset=True)
    return store, frames["lots"]


def windows(lots, count: int = VIEWS, seed: int = 14) -> list[tuple[float, float, float, float]]:
    """``count`` 16:9 windows of about :data:`TARGET` lots each, centred on random lots (sized by counting)."""
    geoms = lots.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    rng = np.random.default_rng(seed)
    out = []
    for i in rng.choice(len(geoms), count, replace=False):
        c = shapely.centroid(geoms[i])
        lo, hi = 0.001, 0.2  # half-height in degrees
        for _ in range(30):
            half = (lo + hi) / 2
            box = shapely.box(c.x - half * ASPECT, c.y - half, c.x + half * ASPECT, c.y + half)
            found = len(tree.query(box, predicate="intersects"))
            lo, hi = (half, hi) if found < TARGET else (lo, half)
        out.append((c.x - hi * ASPECT, c.y - hi, c.x + hi * ASPECT, c.y + hi))
    return out


def floor_query(store: Store):
    """A function running the raw index query for one bbox on a DB-API cursor; returns the rows."""
    raw = store.engine.raw_connection()
    cursor = raw.cursor()
    if store.engine.dialect.name == "sqlite":
        sql = (f"SELECT {FLOOR_COLUMNS} FROM lots WHERE retired_at IS NULL AND id IN "
               "(SELECT id FROM rtree_lots WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?) ORDER BY code")

        def run(b):
            cursor.execute(sql, (b[0], b[2], b[1], b[3]))
            rows = cursor.fetchall()
            geoms = shapely.from_wkb([r[GEOM] for r in rows])
            return [r for r, hit in zip(rows, shapely.intersects(geoms, shapely.box(*b))) if hit]
    else:
        env = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
        sql = (f"SELECT {FLOOR_COLUMNS} FROM lots WHERE retired_at IS NULL AND geom_pg && {env} "
               f"AND ST_Intersects(geom_pg, {env}) ORDER BY code")

        def run(b):
            cursor.execute(sql, (*b, *b))
            return cursor.fetchall()
    return run, raw


def timed(store: Store, url: str, views: list) -> dict[str, list[float]]:
    """Seconds of the HTTP view, of ``read_layer`` and of the floor for each window, :data:`ROUNDS` times; lots per view."""
    client = create_app({"database": url}).test_client()
    floor, raw = floor_query(store)
    out: dict[str, list[float]] = {"http": [], "read": [], "floor": [], "counts": []}
    try:
        client.get(f"/api/layers/lots?bbox={','.join(map(str, views[0]))}")  # warms the per-version figures cache
        for _ in range(ROUNDS):
            for b in views:
                query = ",".join(repr(v) for v in b)
                start = time.perf_counter()
                response = client.get(f"/api/layers/lots?bbox={query}")
                out["http"].append(time.perf_counter() - start)
                assert response.status_code == 200, response.status_code
                start = time.perf_counter()
                frame = store.read_layer("lots", bbox=b)
                out["read"].append(time.perf_counter() - start)
                start = time.perf_counter()
                rows = floor(b)
                out["floor"].append(time.perf_counter() - start)
                assert len(rows) == len(frame), (len(rows), len(frame))
                out["counts"].append(len(rows))
    finally:
        raw.close()
    return out


def measure(n: int, url: str) -> list[Row]:
    """``make bench``'s zoom-14 row: p95 of ``GET /api/layers/lots?bbox`` beside the raw index query's, over
    :data:`VIEWS` windows of about :data:`TARGET` lots × :data:`ROUNDS`; ``Store.read_layer``'s p95 in the note."""
    store = Store(url)
    t = timed(store, url, windows(store.read_layer("lots", fields_only=True)))
    store.engine.dispose()
    http, floor = p95(t["http"]), p95(t["floor"])
    return [Row("zoom-14 view of lots, GET /api/layers/lots?bbox=…, p95", n, http, "ms", GOAL,
                http < 30 and http <= 3 * floor, floor, "raw index query, p95",
                f"{int(np.median(t['counts']))} lots a view; Store.read_layer p95 {p95(t['read']):.1f} ms")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--database", help="an SQLAlchemy URL (default: a fresh SQLite file per size)")
    args = parser.parse_args()
    print(f"{'what':<60} {'N':>9} {'ms':>8} {'floor ms':>9} {'ratio':>6}  goal; note")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            url = args.database or f"sqlite:///{Path(tmp) / f'bbox-{n}.sqlite'}"
            load(n, url)[0].engine.dispose()
            for r in measure(n, url):
                print(f"{r.what:<60} {r.n:>9,} {r.figure:>8.1f} {r.floor:>9.1f} {r.figure / r.floor:>6.1f}  {r.goal}; {r.note}", flush=True)


if __name__ == "__main__":
    main()
