"""Vector tiles at province scale: z14 tiles of lots and parcels, cold and cached, beside the raw index query.

Not a test: prints a table. Builds bench/synthetic.py's province (N lots and N parcels) in a fresh
SQLite file (and, with ``--postgres URL``, in a PostGIS database), then for the z14 tiles under
``--tiles`` random lots times

- floor: the raw bbox query of the tile's features (codes and WKB through the store's bbox columns),
- cold: ``GET /tiles/<layer>/14/x/y.pbf`` with an empty tile cache (built from the database),
- cached: the same request again (the layer's data version read, the cached bytes sent),

and prints p50/p95 of each and the largest tile. :func:`measure` gives ``make bench``'s rows (bench/common.py's
interface): per layer, cold p95 beside the raw query's p95, cached p95, and the largest tile.

    .venv/bin/python bench/bench_tiles.py --n 100000
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import Row  # noqa: E402
from sqlalchemy import and_, select  # noqa: E402
from synthetic import province  # noqa: E402

from mapapp import create_app  # noqa: E402
from mapapp.layers import LAYERS  # noqa: E402
from mapapp.sources.validate import validate  # noqa: E402
from mapapp.store import schema, spatial  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402
from mapapp.tiles.grid import BUFFER, TileRequest  # noqa: E402


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def load(store: Store, n: int) -> list[tuple[int, int]]:
    data = province(n, seed=1)
    frames = {k: data[k][[c for c in data[k].columns if c in LAYERS[k].field_names or c == "geometry"]] for k in ("zones", "lots", "clearance", "projects")}
    zones = set(frames["zones"]["code"])
    store.write_layers({k: validate(LAYERS[k], f, zones) for k, f in frames.items()})
    c = shapely.centroid(np.asarray(frames["lots"].geometry.values, dtype=object))  # degrees: only to pick tiles
    return [tile_of(x, y, 14) for x, y in zip(shapely.get_x(c), shapely.get_y(c))]


def floor_query(store: Store, layer: str, x: int, y: int) -> int:
    """The raw bbox index query of the tile (SQLite's R*Tree, PostGIS's GiST): what any tile must at least read.
    Not the stored box columns compared one by one: no index serves those, and the floor would be a full scan."""
    table = schema.layer_tables[layer]
    bbox = TileRequest(layer, 14, x, y).bounds_4326(BUFFER)
    query = select(table.c.code, table.c.geom).where(and_(
        table.c.retired_at.is_(None), spatial.bbox_filter(table, bbox, store.engine.dialect.name)))
    with store.engine.connect() as conn:
        return len(conn.execute(query).all())


def ms(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000


def timed(url: str, chosen: list[tuple[int, int]]) -> dict[str, dict[str, list[float]]]:
    """Per layer: seconds of the floor, the cold and the cached request of each tile in ``chosen``, and each tile's bytes."""
    store = Store(url)
    app = create_app({"database": url})
    client = app.test_client()
    out = {}
    for layer in ("lots", "clearance"):
        t_ = {"floor": [], "cold": [], "cached": [], "sizes": []}
        client.get(f"/tiles/{layer}/14/{chosen[0][0]}/{chosen[0][1]}.pbf")  # first request: the app's tile service starts
        for x, y in chosen:
            t = time.perf_counter()
            floor_query(store, layer, x, y)
            t_["floor"].append(time.perf_counter() - t)
            app.extensions["mapapp.tiles"].cache.clear()
            path = f"/tiles/{layer}/14/{x}/{y}.pbf"
            t = time.perf_counter()
            response = client.get(path)
            t_["cold"].append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
            t_["sizes"].append(len(response.data))
            t = time.perf_counter()
            client.get(path)
            t_["cached"].append(time.perf_counter() - t)
        out[layer] = t_
    store.engine.dispose()
    return out


def pick(xy: list[tuple[int, int]], tiles: int) -> list[tuple[int, int]]:
    rng = np.random.default_rng(0)
    return sorted({xy[i] for i in rng.choice(len(xy), size=min(tiles * 3, len(xy)), replace=False)})[:tiles]


def run(url: str, n: int, tiles: int, label: str) -> None:
    store = Store(url)
    store.init_schema()
    start = time.perf_counter()
    xy = load(store, n)
    loaded = time.perf_counter() - start
    store.engine.dispose()
    for layer, t in timed(url, pick(xy, tiles)).items():
        print(f"{label:>8} {n:>9,} {layer:>9} {len(t['cold']):>5} {ms(t['floor'], 50):>8.1f} {ms(t['floor'], 95):>8.1f} "
              f"{ms(t['cold'], 50):>8.1f} {ms(t['cold'], 95):>8.1f} {ms(t['cached'], 50):>8.1f} {ms(t['cached'], 95):>8.1f} "
              f"{max(t['sizes']) / 1000:>8.1f}", flush=True)
    print(f"{'':>8} (loading {n:,} lots and parcels took {loaded:.1f} s)")


def measure(n: int, url: str, tiles: int = 40) -> list[Row]:
    """``make bench``'s tile rows for the database at ``url`` (it holds ``province(n)``): z14 tiles under random lots."""
    store = Store(url)
    boxes = store.attributes("lots", ["minx", "miny", "maxx", "maxy"])
    store.engine.dispose()
    cx, cy = (boxes["minx"] + boxes["maxx"]) / 2, (boxes["miny"] + boxes["maxy"]) / 2
    rows = []
    for layer, t in timed(url, pick([tile_of(x, y, 14) for x, y in zip(cx, cy)], tiles)).items():
        name = {"lots": "lots", "clearance": "parcels"}[layer]
        cold, cached, floor, kb = ms(t["cold"], 95), ms(t["cached"], 95), ms(t["floor"], 95), max(t["sizes"]) / 1000
        rows += [Row(f"vector tile z14 of {name}, cold (built), p95", n, cold, "ms", "< 100 ms", cold < 100, floor,
                     "raw bbox query of the tile, p95", f"{len(t['cold'])} tiles"),
                 Row(f"vector tile z14 of {name}, cached, p95", n, cached, "ms", "< 10 ms", cached < 10),
                 Row(f"vector tile z14 of {name}, largest", n, kb, "KB", "< 100 KB", kb < 100)]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="lots and parcels each")
    parser.add_argument("--tiles", type=int, default=40, help="z14 tiles timed per layer")
    parser.add_argument("--postgres", help="also on this PostGIS database (its mapapp tables are dropped first)")
    args = parser.parse_args()
    print("vector tiles at z14: floor = raw bbox query of the tile; times in ms; goals: cached p95 < 10, cold p95 < 100, size < 100 KB")
    print(f"{'backend':>8} {'N':>9} {'layer':>9} {'tiles':>5} {'floor50':>8} {'floor95':>8} {'cold50':>8} {'cold95':>8} {'cached50':>8} {'cached95':>8} {'max KB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'tiles.sqlite'}", args.n, args.tiles, "sqlite")
    if args.postgres:
        empty(args.postgres)
        run(args.postgres, args.n, args.tiles, "postgis")
        empty(args.postgres)


def empty(url: str) -> None:
    """Drop mapapp's tables (and the migrations' record of them) from a scratch PostgreSQL database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    schema.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


if __name__ == "__main__":
    main()
