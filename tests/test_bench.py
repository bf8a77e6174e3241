"""``make bench`` cannot rot: the runner's fast modules, at a tiny N, give every row a figure and, where the goal
names a floor, the floor measured in the same run. No timing is judged here (speed is the benchmark's job)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the runner's modules that take seconds at a small N (bench_edit, bench_writes, bench_load start servers and imports)
FAST = ("bbox", "layer_reads", "reads", "tiles", "metric")


def table_rows(output: str) -> list[dict[str, str]]:
    """The Markdown table run.py prints, as dicts keyed by its header."""
    lines = [line for line in output.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")))) for line in lines[2:]]


def bench_run() -> str:
    env = {k: v for k, v in os.environ.items() if k != "MAPAPP_BENCH_POSTGRES"}
    done = subprocess.run([sys.executable, "bench/run.py", "--n", "1500", "--backends", "sqlite", "--only", *FAST],
                          check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_every_fast_module_gives_its_rows_each_with_a_figure_and_its_floor():
    """One run of the fast modules for both checks (two tests on two xdist workers ran it twice)."""
    output = bench_run()
    assert "skipped:" not in output, output
    rows = table_rows(output)
    whats = [row["what"] for row in rows]
    for needle in ("zoom-14 view", "/api/layers/zones, p95", "search with no match", "OGC API page", "vector tile z14",
                   "read 4 layers", "full layer read", "figures worked out for every zone after a bulk load"):
        assert any(needle in what for what in whats), (needle, whats)
    number = re.compile(r"^[\d,.]+ \S+")
    for row in rows:
        assert number.match(row["figure"]), row
        assert row["N"] == "1,500", row
        if "floor" in row["goal"] or row["what"].startswith(("SQLite: zoom-14", "SQLite: vector tile z14 of lots, cold")):
            assert number.match(row["floor (same run)"]), row
        if row["goal"] != "—":
            assert row["met?"] in ("yes", "**no**"), row


def test_every_runner_module_speaks_the_interface():
    sys.path[:0] = [str(ROOT / "bench")]
    try:
        import run

        for name, _, _ in run.MODULES:
            module = __import__(name)
            assert callable(getattr(module, "measure", None)), name
    finally:
        sys.path.remove(str(ROOT / "bench"))
