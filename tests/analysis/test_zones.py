"""Zone summaries (mapapp.analysis.zones): the numpy summary equals pandas' pivot-and-join one on random totals."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mapapp.analysis.zones import zone_summary_of


def by_pivot(totals: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """The summary as pandas' pivot and outer joins give it (what the map showed before; the reference)."""
    out = pd.DataFrame(index=pd.Index([], name="zone_code"))
    if len(totals):
        counts_by = totals.pivot(index="zone_code", columns="status", values="lots").fillna(0).astype(int).add_prefix("lots_")
        areas = totals.pivot(index="zone_code", columns="status", values="leasable_ha").fillna(0.0).astype(float).add_suffix("_ha")
        out = counts_by.join(areas, how="outer").fillna(0)
        for status in ("leased", "available", "reserved"):
            out[f"lots_{status}"] = out.get(f"lots_{status}", pd.Series(0, index=out.index)).astype(int)
            out[f"{status}_ha"] = out.get(f"{status}_ha", pd.Series(0.0, index=out.index)).astype(float).round(2)
        out["lots_total"] = out[["lots_leased", "lots_available", "lots_reserved"]].sum(axis=1)
        out["leasable_ha"] = (out["leased_ha"] + out["available_ha"] + out["reserved_ha"]).round(2)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["occupancy_pct"] = (100.0 * out["leased_ha"] / out["leasable_ha"]).round(1)
        out["occupancy_pct"] = out["occupancy_pct"].where(out["leasable_ha"] > 0)
    if len(counts):
        by_zone: dict = {}
        for zone, type_, n in sorted(zip(counts["zone_code"], counts["type"], counts["conflicts"])):
            if n:
                by_zone.setdefault(zone, {})[str(type_)] = int(n)
        out = out.join(pd.Series(by_zone, name="conflicts", dtype=object), how="outer")
    if "conflicts" not in out.columns:
        out["conflicts"] = None
    out["conflicts"] = out["conflicts"].apply(lambda v: v if isinstance(v, dict) else {})
    return out


def random_inputs(rng: np.random.Generator, zones: int, statuses: tuple[str, ...], conflict_zones: int):
    codes = [f"KCN-{i:04d}" for i in rng.permutation(zones)]
    rows = [(z, s, int(rng.integers(1, 400)), float(rng.choice([0.0, rng.uniform(0, 300)])))
            for z in codes for s in statuses if rng.random() < 0.7]
    totals = pd.DataFrame(rows, columns=["zone_code", "status", "lots", "leasable_ha"])
    types = ["lot_overlap", "outside_zone", "zone_overlap"]
    extra = [f"CCN-{i:03d}" for i in range(conflict_zones)]
    found = [(z, t, int(rng.integers(1, 30))) for z in codes[: zones // 2] + extra for t in types if rng.random() < 0.5]
    counts = pd.DataFrame(found, columns=["zone_code", "type", "conflicts"])
    return totals, counts


@pytest.mark.parametrize("seed", range(12))
def test_the_summary_equals_the_pivot_one(seed):
    rng = np.random.default_rng(seed)
    statuses = [("leased", "available", "reserved"), ("available",), ("leased", "reserved")][seed % 3]
    totals, counts = random_inputs(rng, int(rng.integers(1, 60)), statuses, conflict_zones=seed % 2 * 3)
    if seed % 4 == 3:
        counts = counts.iloc[:0]
    pd.testing.assert_frame_equal(zone_summary_of(totals, counts), by_pivot(totals, counts), check_exact=True)


def test_without_lots_only_the_conflicts_are_summed():
    rng = np.random.default_rng(5)
    totals, counts = random_inputs(rng, 10, ("leased",), conflict_zones=2)
    empty = totals.iloc[:0]
    pd.testing.assert_frame_equal(zone_summary_of(empty, counts), by_pivot(empty, counts), check_exact=True)
    pd.testing.assert_frame_equal(zone_summary_of(empty, counts.iloc[:0]), by_pivot(empty, counts.iloc[:0]), check_exact=True)
