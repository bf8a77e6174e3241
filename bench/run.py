"""``make bench``: issue 12's goals in one table, each figure beside its floor measured in the same run.

Builds ``synthetic.province(N)`` once (SQLite; and PostgreSQL when ``MAPAPP_BENCH_POSTGRES`` names a
database this may empty), then asks each benchmark module in :data:`MODULES` for its rows through
the interface of bench/common.py: ``measure(n, url) -> list[Row]``. A module that is not there
(yet), or has no ``measure``, is listed below the table as skipped, with the reason; so is one that
fails (its error's last line). Columns: what, N, figure, floor (measured now), goal, met?.

    .venv/bin/python bench/run.py            # N = 500,000 (minutes: builds the province, the full load test)
    .venv/bin/python bench/run.py --n 20000 --only reads load
"""
from __future__ import annotations

import argparse
import importlib
import math
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import Row, build_database  # noqa: E402

# module, backends it runs on, what it gives
MODULES = [
    ("bench_bbox", ("sqlite", "postgresql"), "zoom-14 view of ~1,000 lots vs the raw index query"),
    ("bench_layer_reads", ("sqlite", "postgresql"), "figures worked out for every zone after a bulk load; zones' first answer in a new process; a full layer read"),
    ("bench_reads", ("sqlite", "postgresql"), "/api/layers/zones, search with no match, OGC page of 1,000"),
    ("bench_tiles", ("sqlite", "postgresql"), "vector tiles at z14, cold and cached p95, size"),
    ("bench_metric", ("sqlite", "postgresql"), "the analysis' reads: stored metric geometry vs reprojecting"),
    ("bench_edit", ("sqlite", "postgresql"), "one edit end to end through the HTTP API (p95 < 150 ms)"),
    ("bench_figures", ("sqlite", "postgresql"), "first zoom-14 view of lots and /api/layers/zones after an edit (clearance figures)"),
    ("bench_writes", ("sqlite",), "import of 100k lots vs plain SQLite load; full recompute time and memory"),
    ("bench_load", ("sqlite",), "200 keep-alive clients for 30 s, alone and during a 100k import"),
]
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostGIS"}


def postgres_url() -> str | None:
    """``MAPAPP_BENCH_POSTGRES``: a PostgreSQL database the benchmark may empty and fill (never the tests' one)."""
    return os.environ.get("MAPAPP_BENCH_POSTGRES") or None


def _fresh_postgres(url: str) -> None:
    """Drop mapapp's tables and the migrations' record of them, so the build starts from an empty database."""
    from sqlalchemy import text

    from mapapp.store import schema
    from mapapp.store.backend import Store

    store = Store(url)
    schema.metadata.drop_all(store.engine)
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.engine.dispose()


def _number(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ms":
        return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"
    if unit == "s":
        return f"{value:,.2f} s"
    return f"{value:,.0f} {unit}".strip()


def table(rows: list[tuple[str, Row]]) -> str:
    """The rows as a Markdown table: what, N, figure, floor, goal, met?."""
    lines = ["| what | N | figure | floor (same run) | goal | met? |", "|---|---:|---:|---|---|---|"]
    for backend, r in rows:
        floor = f"{_number(r.floor, r.unit)} ({r.floor_what})" if r.floor is not None else "—"
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        what = f"{backend}: {r.what}" + (f" — {r.note}" if r.note else "")
        lines.append(f"| {what} | {r.n:,} | {_number(r.figure, r.unit)} | {floor} | {r.goal} | {met} |")
    return "\n".join(lines)


def run(n: int, only: list[str] | None, on: tuple[str, ...] = ("sqlite", "postgresql")) -> tuple[list[tuple[str, Row]], list[str]]:
    rows: list[tuple[str, Row]] = []
    skipped: list[str] = []
    chosen = [m for m in MODULES if not only or m[0].removeprefix("bench_") in only or m[0] in only]
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"sqlite": f"sqlite:///{Path(tmp) / f'province-{n}.sqlite'}"} if "sqlite" in on else {}
        pg = postgres_url()
        if pg and "postgresql" in on and any("postgresql" in m[1] for m in chosen):
            urls["postgresql"] = pg
        elif "postgresql" in on:
            skipped.append("PostGIS rows: set MAPAPP_BENCH_POSTGRES to a PostgreSQL database the benchmark may empty")
        for backend, url in urls.items():
            started = time.perf_counter()
            if backend == "postgresql":
                _fresh_postgres(url)
            build_database(n, url)
            print(f"province({n:,}) written to {BACKEND_NAMES[backend]} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        for name, backends, gives in chosen:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                skipped.append(f"{name}.py is not there (yet): no rows for {gives}")
                continue
            if not hasattr(module, "measure"):
                skipped.append(f"{name}.py has no measure(n, url) -> list[Row] (bench/common.py): no rows for {gives}")
                continue
            for backend in backends:
                if backend not in urls:
                    continue
                started = time.perf_counter()
                try:
                    got = module.measure(n, urls[backend])
                except Exception as exc:  # one module's failure must not hide the others' figures
                    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
                    skipped.append(f"{name} on {BACKEND_NAMES[backend]} failed: {last}")
                    continue
                rows += [(BACKEND_NAMES[backend], r) for r in got]
                print(f"{name} on {BACKEND_NAMES[backend]}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return rows, skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000, help="lots and parcels in the synthetic province (default 500,000)")
    parser.add_argument("--only", nargs="*", help="modules to run (e.g. reads load), default all")
    parser.add_argument("--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"],
                        help="backends to measure (PostgreSQL only with MAPAPP_BENCH_POSTGRES), default both")
    args = parser.parse_args()
    rows, skipped = run(args.n, args.only, tuple(args.backends))
    print(table(rows))
    for line in skipped:
        print(f"skipped: {line}")


if __name__ == "__main__":
    main()
