"""Load: 200 keep-alive clients against ``mapapp serve``, alone and while a large import runs.

Not a test: prints a table. Serves a synthetic province (``bench/synthetic.py``, written with
``Store.write_layers``) with ``mapapp serve`` (a real waitress process, its default sizes) and runs
``--clients`` loopback clients for ``--seconds``, each on one keep-alive connection, waiting
``--pause`` seconds between requests (200 clients, 5 s: about 40 requests a second), half the
map page ``/``, half zoom-14 views ``GET /api/layers/lots?bbox=…`` around random lots. Then the
same while ``mapapp import lots`` (the command line, another process) re-delivers up to
``--import-n`` of the stored lots with a new tenant each, with ``--writers`` clients PATCHing a
lot every 2 s meanwhile. Reported: requests, errors (any answer but 200, or no answer), 500s and
"database is locked" among them, clients never served, p50/p95, and the floor: one client alone
asking the same requests one after another on the idle server.

    .venv/bin/python bench/bench_load.py --n 20000 --import-n 20000
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import ROOT, Row, Server, build_database, percentile, scratch_copy  # noqa: E402

CLIENTS, SECONDS, PAUSE = 200, 30.0, 5.0
IMPORT_N = 100_000
WRITERS = 2
# a zoom-14 screen (about 2.5 km x 1.6 km at the province's latitude), as bench_store's view
VIEW_W, VIEW_H = 0.024, 0.014


@dataclass
class Tally:
    """What the clients saw in one phase."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"map": [], "view": []})
    statuses: dict[int, int] = field(default_factory=dict)
    failures: int = 0  # no answer at all (refused, reset, timed out)
    locked: int = 0  # bodies saying "database is locked"
    served: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, client: int, kind: str, status: int | None, seconds: float, body: bytes = b"") -> None:
        with self.lock:
            if status is None:
                self.failures += 1
                return
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if b"database is locked" in body:
                self.locked += 1
            if status == 200:
                self.served.add(client)
                self.latencies[kind].append(seconds)

    @property
    def requests(self) -> int:
        return self.failures + sum(self.statuses.values())

    @property
    def errors(self) -> int:
        return self.failures + sum(c for s, c in self.statuses.items() if s != 200)

    def all_latencies(self) -> list[float]:
        return self.latencies["map"] + self.latencies["view"]


def view_paths(url: str, count: int, seed: int = 7) -> list[str]:
    """Zoom-14 views of lots around ``count`` random stored lots."""
    import numpy as np

    from mapapp.store.backend import Store

    store = Store(url)
    boxes = store.attributes("lots", ["minx", "miny", "maxx", "maxy"])
    store.engine.dispose()
    rng = np.random.default_rng(seed)
    pick = boxes.iloc[rng.integers(0, len(boxes), count)]
    cx, cy = (pick["minx"] + pick["maxx"]) / 2, (pick["miny"] + pick["maxy"]) / 2
    return [f"/api/layers/lots?bbox={x - VIEW_W / 2:.6f},{y - VIEW_H / 2:.6f},{x + VIEW_W / 2:.6f},{y + VIEW_H / 2:.6f}"
            for x, y in zip(cx, cy)]


def _get(conn: http.client.HTTPConnection, path: str, headers: dict | None = None) -> tuple[int, bytes, bool, object]:
    """Status, body, whether the server closes the connection, and the headers (names in any case)."""
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    return response.status, body, response.will_close, response.msg


def _going(end: float, busy: threading.Event | None) -> bool:
    """Before ``end``, and after it as long as ``busy`` is set (the import still runs)."""
    return time.monotonic() < end or (busy is not None and busy.is_set())


def _client(i: int, port: int, views: list[str], start: float, end: float, pause: float, tally: Tally,
            busy: threading.Event | None) -> None:
    time.sleep(max(0.0, start - time.monotonic()))
    conn: http.client.HTTPConnection | None = None
    k = i
    while _going(end, busy):
        kind = "map" if k % 2 == 0 else "view"
        path = "/" if kind == "map" else views[k % len(views)]
        k += 1
        began = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            status, body, closes, _ = _get(conn, path)
            tally.add(i, kind, status, time.perf_counter() - began, body)
            if closes:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            tally.add(i, kind, None, time.perf_counter() - began)
            if conn is not None:
                conn.close()
            conn = None
        time.sleep(pause)
    if conn is not None:
        conn.close()


def _writer(port: int, token: str, codes: list[str], end: float, busy: threading.Event, results: dict[int, int],
            lock: threading.Lock) -> None:
    """A planner's script: read a lot's ETag, PATCH its price; every 2 s."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    k = 0
    while _going(end, busy):
        code = codes[k % len(codes)]
        k += 1
        try:
            status, _, _, headers = _get(conn, f"/api/layers/lots/{code}")
            if status == 200:
                conn.request("PATCH", f"/api/layers/lots/{code}", body=json.dumps({"price_usd_m2": 40 + k % 50}),
                             headers={"Authorization": f"Bearer {token}", "If-Match": headers.get("ETag") or "",
                                      "Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        with lock:
            results[status] = results.get(status, 0) + 1
        time.sleep(2.0)
    conn.close()


def floor(port: int, views: list[str], repeat: int = 20) -> Tally:
    """One client alone, the same requests one after another: what a request costs with no load."""
    tally = Tally()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for k in range(2 * repeat):
        kind = "map" if k % 2 == 0 else "view"
        began = time.perf_counter()
        status, body, _, _ = _get(conn, "/" if kind == "map" else views[k % len(views)])
        tally.add(0, kind, status, time.perf_counter() - began, body)
    conn.close()
    return tally


def run_clients(port: int, views: list[str], clients: int, seconds: float, pause: float,
                busy: threading.Event | None = None) -> Tally:
    """``clients`` threads, starts spread over one pause, for ``seconds`` (longer while ``busy`` is set)."""
    tally = Tally()
    now = time.monotonic()
    end = now + seconds
    threads = [threading.Thread(target=_client, args=(i, port, views, now + pause * i / clients, end, pause, tally, busy), daemon=True)
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def _import_file(url: str, count: int, folder: Path) -> tuple[Path, str]:
    """The first ``count`` stored lots with a new tenant each, as a GeoPackage; and the extent they lie in."""
    from mapapp.sources.importer import export_frame
    from mapapp.sources.writers import write_layer
    from mapapp.store.backend import Store

    store = Store(url)
    lots = export_frame(store, "lots").sort_values("code").head(count).reset_index(drop=True)
    store.engine.dispose()
    lots["tenant"] = [f"Công ty Tải {k}" for k in range(len(lots))]
    path = folder / "redelivered-lots.gpkg"
    write_layer(lots, path, "lots")
    minx, miny, maxx, maxy = lots.total_bounds
    return path, f"{minx - 0.1},{miny - 0.1},{maxx + 0.1},{maxy + 0.1}"


def _token(url: str) -> str:
    """A new API token of the planner ``bench-planner``, added when the database has none (a PostGIS database
    is measured in place: a second run finds the first one's)."""
    from mapapp.auth.accounts import add_user, list_users, new_token
    from mapapp.store.backend import Store

    store = Store(url)
    if "bench-planner" not in {u.name for u in list_users(store)}:
        add_user(store, "bench-planner", "planner", "mật khẩu đủ dài của bench")
    token = new_token(store, "bench-planner")
    store.engine.dispose()
    return token


@dataclass
class LoadResult:
    n: int
    idle: Tally
    floor: Tally
    busy: Tally | None = None
    import_n: int = 0
    import_seconds: float = float("nan")
    import_error: str = ""
    writes: dict[int, int] = field(default_factory=dict)
    clients: int = CLIENTS


def run(n: int, url: str, folder: Path, clients: int = CLIENTS, seconds: float = SECONDS, pause: float = PAUSE,
        import_n: int = IMPORT_N, writers: int = WRITERS) -> LoadResult:
    """Both phases on a copy of the database at ``url`` (it holds ``province(n)``)."""
    url = scratch_copy(url, folder)
    views = view_paths(url, 500)
    count = min(import_n, n)
    path, extent = _import_file(url, count, folder) if count else (None, "")
    token = _token(url) if writers and count else ""
    with Server(url, {"MAPAPP_EXTENT": extent} if extent else None) as server:
        base_floor = floor(server.port, views)
        idle = run_clients(server.port, views, clients, seconds, pause)
        result = LoadResult(n, idle, base_floor, clients=clients)
        if not count:
            return result
        env = {**os.environ, "MAPAPP_DATABASE": url, "MAPAPP_EXTENT": extent}
        outcome: dict = {}
        from mapapp.store.backend import Store

        store = Store(url)
        codes = list(store.attributes("lots", ["code"])["code"].head(count).sample(50, random_state=1, replace=count < 50))
        store.engine.dispose()

        def do_import() -> None:
            began = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "mapapp.cli", "import", "lots", str(path), "--no-progress", "--as", "bench"],
                                  cwd=ROOT, env=env, capture_output=True, text=True)
            outcome["seconds"] = time.perf_counter() - began
            outcome["error"] = "" if done.returncode == 0 else done.stderr.strip()[-500:]

        importer = threading.Thread(target=do_import, daemon=True)
        writes: dict[int, int] = {}
        lock = threading.Lock()
        busy = threading.Event()
        busy.set()  # the clients go on until the import has ended, however long it takes
        end = time.monotonic() + seconds
        loaders = threading.Thread(target=lambda: outcome.setdefault("tally", run_clients(
            server.port, views, clients, seconds, pause, busy)), daemon=True)
        loaders.start()
        time.sleep(min(3.0, seconds / 10))
        importer.start()
        writer_threads = [threading.Thread(target=_writer, args=(server.port, token, codes[w::writers], end, busy, writes, lock), daemon=True)
                          for w in range(writers)]
        for t in writer_threads:
            t.start()
        importer.join()
        busy.clear()
        loaders.join()
        for t in writer_threads:
            t.join()
        result.busy = outcome["tally"]
        result.import_n, result.import_seconds, result.import_error = count, outcome["seconds"], outcome["error"]
        result.writes = writes
        return result


def rows(r: LoadResult, seconds: float = SECONDS) -> list[Row]:
    """The table's rows: the load alone, and with the import (goal: 0 errors, every client served, p95 < 1 s)."""
    fl = percentile(r.floor.all_latencies(), 95) * 1000
    out = []
    for label, tally in (("load alone", r.idle), (f"load + import of {r.import_n:,} lots", r.busy)):
        if tally is None:
            continue
        p95 = percentile(tally.all_latencies(), 95) * 1000
        never = r.clients - len(tally.served)
        ok = tally.errors == 0 and never == 0 and p95 < 1000
        note = (f"{tally.requests} requests, {tally.errors} errors ({tally.statuses.get(500, 0)} × 500, {tally.locked} locked, "
                f"{tally.failures} unanswered), {never} clients never served, p50 {percentile(tally.all_latencies(), 50) * 1000:.0f} ms; "
                + ", ".join(f"{kind} p50/p95 {percentile(v, 50) * 1000:.0f}/{percentile(v, 95) * 1000:.0f} ms"
                            for kind, v in (("map page", tally.latencies["map"]), ("zoom-14 views", tally.latencies["view"]))))
        if tally is r.busy:
            ok = ok and not r.import_error and r.writes.get(500, 0) == 0
            note += (f"; import {r.import_seconds:.1f} s{' FAILED: ' + r.import_error if r.import_error else ''}; "
                     f"PATCHes {dict(sorted(r.writes.items()))}")
        out.append(Row(f"{r.clients} keep-alive clients, {seconds:.0f} s, {label}: p95", r.n, p95, "ms",
                       "0 errors, all served, p95 < 1000 ms", ok, fl, "one client alone, p95", note))
    return out


def measure(n: int, url: str) -> list[Row]:
    """``make bench``'s rows (see bench/common.py for the interface)."""
    with tempfile.TemporaryDirectory() as tmp:
        return rows(run(n, url, Path(tmp)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="lots (and parcels) in the served province")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--pause", type=float, default=PAUSE)
    parser.add_argument("--import-n", type=int, default=IMPORT_N, help="lots re-delivered by the import (0: no import phase)")
    parser.add_argument("--writers", type=int, default=WRITERS, help="clients PATCHing a lot every 2 s during the import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'load.sqlite'}"
        print(f"building province({args.n:,}) …", flush=True)
        build_database(args.n, url)
        r = run(args.n, url, Path(tmp), args.clients, args.seconds, args.pause, args.import_n, args.writers)
    print(f"{'what':<58} {'p95 ms':>7} {'floor ms':>8}  met  details")
    for row in rows(r, args.seconds):
        print(f"{row.what:<58} {row.figure:>7.0f} {row.floor:>8.0f}  {'yes' if row.met else 'NO ':<4} {row.note}")


if __name__ == "__main__":
    main()
