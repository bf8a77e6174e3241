"""The map's and GIS tools' reads beside the raw query each stands on (``make bench`` rows).

For a database holding ``province(n)`` (see bench/common.py), through the app in-process
(Flask's test client: the app's own cost, no sockets), each beside its floor measured now:

- zoom-14 view of lots ``GET /api/layers/lots?bbox=…`` p95 over random views, against the raw index
  query for the same boxes (SQLite: an R*Tree built here from the stored boxes, reading the rows'
  geometry; PostgreSQL: the stored boxes' ``&&``-free range query on the same rows);
- the GeoJSON writer on one view's lots against writing their geometry alone (shapely);
- ``GET /api/layers/zones``; ``GET /api/search`` of a word found nowhere;
- an OGC API page of 1,000 lots p95 against ``SELECT … ORDER BY code LIMIT 1000 OFFSET k``.

    .venv/bin/python bench/bench_reads.py --n 20000
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import Row, build_database, percentile, timings  # noqa: E402

VIEWS = 40
PAGES = 10


def _raw_views(url: str, boxes: list[tuple[float, float, float, float]]) -> list[float]:
    """Seconds of the raw index query for each box: the rows' code and geometry, nothing else."""
    from sqlalchemy import text

    from mapapp.store.backend import Store

    store = Store(url)
    out = []
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TABLE IF EXISTS temp.bench_rtree")
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.bench_rtree USING rtree(id, minx, maxx, miny, maxy)")
            conn.exec_driver_sql("INSERT INTO temp.bench_rtree SELECT rowid, minx, maxx, miny, maxy FROM lots WHERE retired_at IS NULL")
            query = text("SELECT l.code, l.geom FROM temp.bench_rtree r JOIN lots l ON l.rowid = r.id "
                         "WHERE r.maxx >= :x0 AND r.minx <= :x1 AND r.maxy >= :y0 AND r.miny <= :y1")
        else:
            query = text("SELECT code, geom FROM lots WHERE retired_at IS NULL AND maxx >= :x0 AND minx <= :x1 "
                         "AND maxy >= :y0 AND miny <= :y1")
        for x0, y0, x1, y1 in boxes:
            start = time.perf_counter()
            conn.execute(query, {"x0": x0, "y0": y0, "x1": x1, "y1": y1}).fetchall()
            out.append(time.perf_counter() - start)
        conn.rollback()
    store.engine.dispose()
    return out


def _raw_pages(url: str, offsets: list[int]) -> list[float]:
    from sqlalchemy import text

    from mapapp.store.backend import Store

    store = Store(url)
    out = []
    with store.engine.connect() as conn:
        for k in offsets:
            start = time.perf_counter()
            conn.execute(text("SELECT * FROM lots WHERE retired_at IS NULL ORDER BY code LIMIT 1000 OFFSET :k"), {"k": k}).fetchall()
            out.append(time.perf_counter() - start)
    store.engine.dispose()
    return out


def _writer_row(n: int, url: str, box: tuple[float, float, float, float]) -> Row:
    """The GeoJSON writer on one view's lots (properties and geometry) beside writing their geometry alone."""
    import shapely

    from mapapp.geojson import collection_json, oriented
    from mapapp.queries.layers import layer_view
    from mapapp.store.backend import Store

    store = Store(url)
    frame = layer_view(store, "lots", bbox=box)
    store.engine.dispose()
    writer = percentile(timings(lambda: collection_json(frame, extra={"layer": "lots"}), 10), 50) * 1000
    floor = percentile(timings(lambda: shapely.to_geojson(oriented(frame.geometry.values)), 10), 50) * 1000
    return Row("GeoJSON of a view's lots, median", n, writer, "ms", "≤ 5× floor", writer <= 5 * floor, floor,
               "shapely.to_geojson of their geometry", f"{len(frame)} lots, {len(frame.columns)} columns")


def measure(n: int, url: str) -> list[Row]:
    """``make bench``'s read rows (see bench/common.py for the interface)."""
    import numpy as np

    from bench_load import view_paths
    from mapapp import create_app

    client = create_app({"database": url}).test_client()
    paths = view_paths(url, VIEWS + 1, seed=11)
    started = time.perf_counter()
    client.get(paths[-1])  # the first view computes the clearance figures of this data version
    cold = time.perf_counter() - started
    views = []
    for path in paths[:VIEWS]:
        start = time.perf_counter()
        response = client.get(path)
        views.append(time.perf_counter() - start)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    boxes = [tuple(float(v) for v in p.split("bbox=")[1].split(",")) for p in paths[:VIEWS]]
    raw = _raw_views(url, boxes)
    in_view = np.mean([client.get(p).get_data(as_text=True).count('"type":"Feature"') for p in paths[:5]])
    view_p95, raw_p95 = percentile(views, 95) * 1000, percentile(raw, 95) * 1000
    rows = [Row("zoom-14 view of lots (?bbox=), p95", n, view_p95, "ms", "< 30 ms and ≤ 3× floor",
                view_p95 < 30 and view_p95 <= 3 * raw_p95, raw_p95, "raw index query, p95",
                f"~{in_view:.0f} lots a view; first view after a write {cold:.1f} s (clearance figures)")]
    rows.append(_writer_row(n, url, boxes[0]))
    zones = timings(lambda: client.get("/api/layers/zones"), 5)
    z = percentile(zones, 50) * 1000
    rows.append(Row("/api/layers/zones, median", n, z, "ms", "< 50 ms", z < 50))
    search = timings(lambda: client.get("/api/search?q=không có đâu"), 5)
    s = percentile(search, 50) * 1000
    rows.append(Row("search with no match, median", n, s, "ms", "< 20 ms", s < 20))
    offsets = [int(k) for k in np.linspace(0, max(n - 1000, 0), PAGES)]
    pages = []
    for k in offsets:
        start = time.perf_counter()
        response = client.get(f"/ogc/collections/lots/items?limit=1000&offset={k}&f=json")
        pages.append(time.perf_counter() - start)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    page_p95, raw_page = percentile(pages, 95) * 1000, percentile(_raw_pages(url, offsets), 95) * 1000
    rows.append(Row("OGC API page of 1,000 lots, p95", n, page_p95, "ms", "< 100 ms", page_p95 < 100, raw_page,
                    "SQL LIMIT 1000 OFFSET k, p95"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'reads.sqlite'}"
        build_database(args.n, url)
        for row in measure(args.n, url):
            print(row)


if __name__ == "__main__":
    main()
