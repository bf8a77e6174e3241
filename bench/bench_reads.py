"""The map's and GIS tools' reads beside the raw query each stands on (``make bench`` rows).

For a database holding ``province(n)`` (see bench/common.py), through the app in-process
(Flask's test client: the app's own cost, no sockets), each beside its floor measured now:

- the GeoJSON writer on one view's lots against writing their geometry alone (shapely);
- ``GET /api/layers/zones`` (warm) against the zones table read in raw SQL;
- ``GET /api/search`` of words found nowhere against one lookup by code in each searched layer;
- an OGC API page of 1,000 lots p95 against ``SELECT … ORDER BY code LIMIT 1000 OFFSET k`` (after the process's
  first page, timed apart in the note).

The zoom-14 view is bench_bbox.py's row; the first zones answer after a write and a full layer read
are bench_layer_reads.py's.

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

PAGES = 10
REPEAT = 10


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
    from bench_layer_reads import NO_MATCH, SEARCHED, _raw
    from bench_load import view_paths

    from mapapp import create_app
    from mapapp.store.backend import Store

    store = Store(url)
    client = create_app({"database": url}).test_client()
    client.get("/api/layers/zones")  # the first answer after a write computes the clearance figures (bench_layer_reads)
    zones = percentile(timings(lambda: client.get("/api/layers/zones"), REPEAT), 95) * 1000
    zones_floor = percentile(timings(lambda: _raw(store, "SELECT * FROM zones WHERE retired_at IS NULL ORDER BY code"), REPEAT), 95) * 1000
    rows = [Row("/api/layers/zones, p95", n, zones, "ms", "< 50 ms", zones < 50, zones_floor, "zones table in raw SQL, p95")]
    client.get(f"/api/search?q={NO_MATCH}")  # warm, as the zones row: a process's first search compiles its statements
    search = percentile(timings(lambda: client.get(f"/api/search?q={NO_MATCH}"), REPEAT), 95) * 1000
    search_floor = percentile(timings(lambda: [_raw(store, f"SELECT code FROM {t} WHERE code = :c", {"c": NO_MATCH})
                                               for t in SEARCHED], REPEAT), 95) * 1000
    rows.append(Row("search with no match, p95", n, search, "ms", "< 20 ms", search < 20, search_floor,
                    "a code lookup in each searched layer, p95"))
    store.engine.dispose()
    rows.append(_writer_row(n, url, tuple(float(v) for v in view_paths(url, 1, seed=11)[0].split("bbox=")[1].split(","))))
    offsets = [int(k) for k in np.linspace(0, max(n - 1000, 0), PAGES)]
    # a process's first page also compiles its statements, digests the figure code and reads the all-zones paces:
    # timed apart (the note), on 10 lots no measured page holds, as the zones and search rows are warmed above
    start = time.perf_counter()
    first = client.get(f"/ogc/collections/lots/items?limit=10&offset={min(1000, max(n - 10, 0))}&f=json")
    first_ms = (time.perf_counter() - start) * 1000
    assert first.status_code == 200, first.get_data(as_text=True)[:300]
    pages = []
    for k in offsets:
        start = time.perf_counter()
        response = client.get(f"/ogc/collections/lots/items?limit=1000&offset={k}&f=json")
        pages.append(time.perf_counter() - start)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    page_p95, raw_page = percentile(pages, 95) * 1000, percentile(_raw_pages(url, offsets), 95) * 1000
    rows.append(Row("OGC API page of 1,000 lots, p95", n, page_p95, "ms", "< 100 ms", page_p95 < 100, raw_page,
                    "SQL LIMIT 1000 OFFSET k, p95", f"{PAGES} offsets; the process's first page (10 lots) {first_ms:,.0f} ms"))
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
