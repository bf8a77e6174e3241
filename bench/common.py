"""What the benchmarks share: the row of ``make bench``'s table, the synthetic database, a real server, percentiles.

The interface between ``bench/run.py`` and a benchmark module: the module defines

    measure(n: int, url: str) -> list[Row]

where ``url`` is the SQLAlchemy URL of a database holding ``synthetic.province(n, seed=SEED)``
(zones, lots, parcels, works), written with ``Store.write_layers`` and then left alone by the
runner. A module that writes (an edit, an import) works on :func:`scratch_copy` of it, or
leaves the data as it found it. It may regenerate the frames with ``province(n, SEED)`` (same
data). Each :class:`Row` carries its figure beside its floor measured in the same run.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [p for p in (str(HERE), str(ROOT)) if p not in sys.path]

SEED = 1


@dataclass
class Row:
    """One line of the table: ``figure`` (in ``unit``) beside ``floor`` (same unit), the goal and whether it is met.

    ``floor`` is what the same work costs at least, measured in the same run (None when the
    goal has no floor); ``met`` None when the figure could not be judged.
    """

    what: str
    n: int
    figure: float | None
    unit: str
    goal: str
    met: bool | None
    floor: float | None = None
    floor_what: str = ""
    note: str = ""


def percentile(values, q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values`` (NaN when empty)."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")


def timings(fn, repeat: int) -> list[float]:
    """Seconds of ``repeat`` calls of ``fn``."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def plain_frames(data: dict) -> dict:
    """The synthetic province's frames with only the columns a layer declares (as an import file holds)."""
    from mapapp.layers import LAYERS

    return {k: data[k][[c for c in data[k].columns if c in LAYERS[k].field_names or c == "geometry"]]
            for k in ("zones", "lots", "clearance", "projects")}


def build_database(n: int, url: str, data: dict | None = None,
                   layers: tuple[str, ...] = ("zones", "lots", "clearance", "projects")) -> dict:
    """Write ``province(n, SEED)``'s ``layers`` (or ``data``'s) into the (empty) database at ``url`` through
    ``Store.write_layers``, with the parcels' clearance records (:func:`synthetic.clearance_records`: old-style and dated steps),
    then (parcels written) every zone's clearance figures worked out as the board does after a bulk import
    (:func:`warm_figures`); returns the frames."""
    from synthetic import clearance_records, province

    from mapapp.layers import LAYERS
    from mapapp.sources.validate import validate
    from mapapp.store.backend import Store

    frames = plain_frames(data if data is not None else province(n, seed=SEED))
    store = Store(url)
    store.init_schema()
    zones = set(frames["zones"]["code"])
    records = clearance_records(frames["clearance"], seed=SEED) if "clearance" in layers else None
    store.write_layers({k: validate(LAYERS[k], f, zones) for k, f in frames.items() if k in layers},
                       clearance_records=records)
    store.engine.dispose()
    if "clearance" in layers:
        seconds = warm_figures(url)
        print(f"figures worked out for every zone after the bulk load in {seconds:.0f} s", file=sys.stderr, flush=True)
    return frames


def warm_figures(url: str) -> float:
    """Seconds ``mapapp figures warm`` takes on the database at ``url``, in a process of its own: what the board
    runs after a bulk import, so that no reader works a zone's clearance figures out cold."""
    env = {**os.environ, "MAPAPP_DATABASE": url}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mapapp.cli", "figures", "warm"], check=False, cwd=ROOT, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(done.stderr[-1500:])
    return seconds


def scratch_copy(url: str, folder: Path) -> str:
    """An SQLite database's copy (WAL folded in) under ``folder`` to write on; other URLs are returned as they are."""
    if not url.startswith("sqlite:///"):
        return url
    import sqlite3

    source = url.removeprefix("sqlite:///")
    target = folder / f"scratch-{time.monotonic_ns()}.sqlite"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``mapapp serve`` (a real waitress process) over ``url``; ``base`` is its address. Use as a context manager."""

    def __init__(self, url: str, extra_env: dict | None = None, args: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "MAPAPP_DATABASE": url, "MAPAPP_BASEMAP": "plain", **(extra_env or {})}
        # a file, not a pipe: waitress's warnings under load would fill a pipe nobody reads and stall it
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mapapp.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        """What the server printed so far (its banner, waitress's warnings)."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mapapp serve ended: {self.output()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + "/api/layers", timeout=5) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("mapapp serve did not answer within 300 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

