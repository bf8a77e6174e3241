"""Time and memory of ``find_conflicts`` on synthetic provinces of growing size.

Not a test: prints a table. Each size runs in its own child process, pinned to
one CPU, so that peak memory is per size and nothing is shared between runs:

    .venv/bin/python bench/bench_conflicts.py --sizes 10000 100000 500000 [--rotate] [--stages]

Generation (``bench/synthetic.py``) is not timed. "peak MB" is the child's peak
resident set during ``find_conflicts`` (VmHWM, reset after generation through
/proc/self/clear_refs; when the kernel refuses the reset it is the peak of the
whole child, generation included, flagged with *). "data MB" is the resident set
just before the run, so peak - data is what the analysis itself adds.
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]


def _status_mb(key: str) -> float:
    """A VmXXX line of /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False if not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class _Stages(logging.Handler):
    """Collects the per-rule timings find_conflicts logs at DEBUG level."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def child(n: int, seed: int, rotate: bool) -> dict:
    """Generate (untimed), then time one find_conflicts run; returns the figures."""
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[0]})
    from mapapp.analysis.conflicts import find_conflicts
    from synthetic import province

    data = province(n, seed=seed, rotate=rotate)
    stages = _Stages()
    log = logging.getLogger("mapapp.analysis.conflicts")
    log.addHandler(stages)
    log.setLevel(logging.DEBUG)
    gc.collect()
    data_mb = _status_mb("VmRSS")
    reset = _reset_peak()
    start = time.perf_counter()
    result = find_conflicts(data["zones"], data["lots"], data["clearance"], data["projects"])
    seconds = time.perf_counter() - start
    return {
        "n": n, "conflicts": len(result), "seconds": seconds, "peak_mb": _status_mb("VmHWM"),
        "data_mb": data_mb, "peak_reset": reset, "stages": stages.lines,
        "by_type": result["type"].value_counts().sort_index().to_dict(),
    }


def run_size(n: int, seed: int, rotate: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", str(n), "--seed", str(seed)] + (["--rotate"] if rotate else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child for N={n} failed:\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return figures


def _nlogn(n: int) -> float:
    return n * math.log(n)


def print_table(rows: list[dict], show_stages: bool) -> None:
    print(f"{'N':>9} {'conflicts':>10} {'seconds':>8} {'peak MB':>8} {'data MB':>8} "
          f"{'x time':>7} {'x nlogn':>8} {'ratio':>6}")
    prev = None
    for r in rows:
        star = "" if r["peak_reset"] else "*"
        growth = "" if prev is None else (
            f"{r['seconds'] / prev['seconds']:>7.2f} {_nlogn(r['n']) / _nlogn(prev['n']):>8.2f} "
            f"{(r['seconds'] / prev['seconds']) / (_nlogn(r['n']) / _nlogn(prev['n'])):>6.2f}")
        print(f"{r['n']:>9,} {r['conflicts']:>10,} {r['seconds']:>8.2f} {r['peak_mb']:>7.0f}{star or ' '} "
              f"{r['data_mb']:>8.0f} {growth}")
        prev = r
    print("x time / x nlogn: growth since the previous size; ratio = their quotient (1.00 = exactly n log n)")
    print(f"max RSS of any child (getrusage RUSAGE_CHILDREN, generation included): "
          f"{rows[-1]['children_maxrss_mb']:.0f} MB")
    if show_stages:
        for r in rows:
            print(f"\nN={r['n']:,} stages: " + "; ".join(r["stages"]))
            print("  by type: " + ", ".join(f"{k}={v}" for k, v in r["by_type"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 500_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rotate", action="store_true", help="rotate zones by up to ±40°")
    parser.add_argument("--stages", action="store_true", help="print per-rule timings and counts")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.seed, args.rotate)))
        return
    print(f"find_conflicts on synthetic provinces ({'rotated' if args.rotate else 'axis-aligned'} zones), "
          f"one process pinned to one CPU per size")
    print_table([run_size(n, args.seed, args.rotate) for n in args.sizes], args.stages)


if __name__ == "__main__":
    main()
