"""One edit at province scale: end to end through the HTTP API, and the write path against a full recompute.

:func:`measure` (``make bench``'s row, see bench/common.py): ``PATCH /api/layers/lots/<code>`` with the
``If-Match`` of a ``GET`` against ``mapapp serve`` (a real waitress process; on SQLite a copy of the
database), alternately moving a lot 1 m and changing its status, p95 of the PATCH over :data:`EDITS`
edits of random lots; floor: mapapp's own rules on a 200 m window around the same lots (:func:`window`).

:func:`main` (alone) prints a table. For each N it loads a synthetic province (``bench/synthetic.py``: N lots and
N parcels) and times one edit of a lot through :func:`mapapp.changes.features.apply_features` (as a
PATCH or ``mapapp set`` does), alternately moving it 1 m and changing its status:

- incremental: what edits do now (the lot's stored conflicts replaced by those found in its surroundings),
- full: the same edit with every conflict recomputed (what every edit did before issue 12),
- floor: mapapp's own rules on a 200 m window around the lot (reading the four layers in that window and
  running :func:`find_conflicts`), the reference of issue 12.

    .venv/bin/python bench/bench_edit.py --sizes 100000
    .venv/bin/python bench/bench_edit.py --sizes 100000 --database postgresql+psycopg://…/db   # emptied first
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

import numpy as np  # noqa: E402
import shapely  # noqa: E402
import shapely.affinity  # noqa: E402
from synthetic import province  # noqa: E402

from common import Row, Server, percentile, scratch_copy  # noqa: E402

from mapapp.analysis.conflicts import find_conflicts  # noqa: E402
from mapapp.analysis.measure import to_metric, to_storage  # noqa: E402
from mapapp.changes.features import apply_features  # noqa: E402
from mapapp.changes.model import Actor, Edit  # noqa: E402
from mapapp.layers import LAYERS  # noqa: E402
from mapapp.sources.validate import validate  # noqa: E402
from mapapp.store import schema  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402

ACTOR = Actor("bench", "api")
CONFLICT_LAYERS = ("zones", "lots", "clearance", "projects")
WINDOW_M = 200.0
EDITS = 8


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class LotEdits:
    """Edits of one lot, alternately moved 1 m east / back and switched leased / reserved."""

    def __init__(self, store: Store, code: str, geom) -> None:
        self.store, self.code, self.k = store, code, 0
        metric = to_metric(np.array([geom], dtype=object))[0]
        self.shapes = [geom, to_storage(np.array([shapely.affinity.translate(metric, 1.0, 0.0)], dtype=object))[0]]

    def __call__(self) -> None:
        self.k += 1
        edit = (Edit(self.code, {}, geometry=self.shapes[(self.k + 1) // 2 % 2]) if self.k % 2
                else Edit(self.code, {"status": "reserved" if self.k % 4 else "leased"}))
        apply_features(self.store, "lots", [edit], ACTOR, confirm=True)


def window(store: Store, geom) -> int:
    """Read the four layers in a 200 m window around ``geom`` and run the rules: the floor."""
    metric = to_metric(np.array([geom.centroid], dtype=object))[0]
    box = to_storage(np.array([shapely.box(*metric.buffer(WINDOW_M).bounds)], dtype=object))[0].bounds
    with store.engine.connect() as conn:
        frames = [store.read_layer(layer, bbox=box, conn=conn, fields_only=True) for layer in CONFLICT_LAYERS]
    return len(find_conflicts(*frames, tolerance_m2=store.tolerance_m2, tolerance_m=store.tolerance_m))


def run(n: int, url: str) -> dict:
    data = province(n, seed=1)
    frames = {name: data[name][[c for c in data[name].columns if c in LAYERS[name].field_names or c == "geometry"]]
              for name in CONFLICT_LAYERS}
    store = Store(url)
    schema.metadata.drop_all(store.engine)
    store.init_schema()
    zones = set(frames["zones"]["code"])
    store.write_layers({name: validate(LAYERS[name], frame, zones) for name, frame in frames.items()})
    lot = frames["lots"].iloc[n // 2]
    edits = LotEdits(store, lot["code"], lot.geometry)
    edits()  # warm up (imports, caches)
    t_incremental = median_time(edits, repeat=9)
    store.full_recompute_above = 0
    t_full = median_time(edits, repeat=3)
    store.full_recompute_above = 2000
    t_floor = median_time(lambda: window(store, lot.geometry), repeat=9)
    edits()
    stored = store.conflict_count()
    full = store.recompute_conflicts()
    return {"n": n, "incremental": t_incremental, "full": t_full, "floor": t_floor, "conflicts": full, "same": stored == full}


def _moved(geom):
    metric = to_metric(np.array([geom], dtype=object))[0]
    return to_storage(np.array([shapely.affinity.translate(metric, 1.0, 0.0)], dtype=object))[0]


def _lot_body(k: int, feature) -> dict:
    """Even edits move the lot 1 m east, odd ones switch its status."""
    from shapely.geometry import mapping

    if k % 2:
        return {"status": "reserved" if k % 4 == 1 else "leased", "confirm": True}
    return {"type": "Feature", "geometry": mapping(_moved(feature.geometry)), "properties": {}, "confirm": True}


def _parcel_body(k: int, feature) -> dict:
    """Even edits move the parcel 1 m east (its zone's clearance figures change), odd ones its households (none do)."""
    from shapely.geometry import mapping

    if k % 2:
        return {"households": int(feature["households"] or 0) + 1, "confirm": True}
    return {"type": "Feature", "geometry": mapping(_moved(feature.geometry)), "properties": {}, "confirm": True}


def _patches(base: str, token: str, layer: str, features, body) -> list[float]:
    """Seconds of each PATCH of ``layer``'s ``features`` (with the If-Match of a GET just before), ``body(k, feature)``."""
    import http.client
    import json

    port = int(base.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)  # a PATCH at 100k took over 120 s under load
    out = []
    for k, (_, feature) in enumerate(features.iterrows()):
        code = feature["code"]
        conn.request("GET", f"/api/layers/{layer}/{code}", headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        etag = response.getheader("ETag")
        start = time.perf_counter()
        conn.request("PATCH", f"/api/layers/{layer}/{code}", body=json.dumps(body(k, feature)),
                     headers={"Authorization": f"Bearer {token}", "If-Match": etag or "", "Content-Type": "application/json"})
        response = conn.getresponse()
        text = response.read()
        out.append(time.perf_counter() - start)
        if response.status != 200:
            raise RuntimeError(f"PATCH {layer}/{code}: {response.status} {text[:300]!r}")
    conn.close()
    return out


def measure(n: int, url: str) -> list[Row]:
    """``make bench``'s edit rows (see bench/common.py for the interface): PATCH p95 of lots, then of clearance
    parcels, each beside the 200 m window's rules around the same features."""
    from bench_load import _token

    with tempfile.TemporaryDirectory() as tmp:
        url = scratch_copy(url, Path(tmp))
        store = Store(url)
        lots = store.read_layer("lots", fields_only=True).sample(EDITS + 1, random_state=12)
        parcels = store.read_layer("clearance", fields_only=True).sample(EDITS + 1, random_state=12)
        token = _token(url)
        floors = {layer: [median_time(lambda g=g: window(store, g), repeat=1) for g in frame.geometry]
                  for layer, frame in (("lots", lots), ("clearance", parcels))}
        store.engine.dispose()
        with Server(url) as server:
            seconds = {"lots": _patches(server.base, token, "lots", lots, _lot_body)[1:],  # the first: imports, caches
                       "clearance": _patches(server.base, token, "clearance", parcels, _parcel_body)[1:]}
        store = Store(url)
        stored = store.conflict_count()
        same = stored == store.recompute_conflicts()
        store.engine.dispose()
    rows = []
    for layer, what, kinds in (("lots", "one edit: PATCH /api/layers/lots/<code> with If-Match, p95", ("moved 1 m", "status")),
                               ("clearance", "one edit of a parcel: PATCH /api/layers/clearance/<code>, p95",
                                ("moved 1 m: its zone's figures worked out", "households: none"))):
        p95, floor_p95 = percentile(seconds[layer], 95) * 1000, percentile(floors[layer], 95) * 1000
        medians = "; ".join(f"{kind} median {percentile(seconds[layer][k::2], 50) * 1000:.0f} ms"
                            for k, kind in ((1, kinds[0]), (0, kinds[1])))  # the first edit (a move) was dropped
        rows.append(Row(what, n, p95, "ms", "< 150 ms", p95 < 150 and same, floor_p95, "rules on a 200 m window, p95",
                        f"{len(seconds[layer])} edits over HTTP (mapapp serve), {medians}; "
                        f"stored conflicts afterwards {'=' if same else '≠'} a full recompute"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--database", help="SQLAlchemy URL to use (its mapapp tables are emptied); default a temporary SQLite file")
    args = parser.parse_args()
    print("one edit of a lot through apply_features (median)")
    print(f"{'N':>9} {'backend':>10} {'incremental ms':>14} {'full recompute ms':>17} {'floor: rules on 200 m window ms':>31} {'conflicts':>9} {'same as full':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            url = args.database or f"sqlite:///{Path(tmp) / f'edit-{n}.sqlite'}"
            r = run(n, url)
            print(f"{r['n']:>9,} {url.split(':')[0].split('+')[0]:>10} {r['incremental'] * 1000:>14.0f} {r['full'] * 1000:>17.0f} "
                  f"{r['floor'] * 1000:>31.0f} {r['conflicts']:>9,} {'yes' if r['same'] else 'NO':>12}", flush=True)


if __name__ == "__main__":
    main()
