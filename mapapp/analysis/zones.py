"""Per-zone figures for investors and planners: lots by status, occupancy, conflicts."""
from __future__ import annotations

import numpy as np
import pandas as pd

# Green space and utilities are not leasable; occupancy counts leasable land only.
NOT_LEASABLE = ("green", "utility")


def zone_summary(lots: pd.DataFrame, conflicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per zone code: lot counts and hectares by status, occupancy %, conflicts by type.

    ``lots`` needs ``zone_code``, ``status``, ``land_use`` and ``area_m2`` (metres,
    computed by the store on write).
    """
    out = pd.DataFrame(index=pd.Index([], name="zone_code"))
    if len(lots):
        ha = lots["area_m2"].astype(float) / 10_000.0
        leasable = ~lots["land_use"].isin(NOT_LEASABLE)
        frame = pd.DataFrame({"zone_code": lots["zone_code"], "status": lots["status"], "ha": ha.where(leasable, 0.0)})
        counts = pd.crosstab(frame["zone_code"], frame["status"]).add_prefix("lots_")
        areas = frame.pivot_table(index="zone_code", columns="status", values="ha", aggfunc="sum", fill_value=0.0).add_suffix("_ha")
        out = counts.join(areas, how="outer").fillna(0)
        for status in ("leased", "available", "reserved"):
            out[f"lots_{status}"] = out.get(f"lots_{status}", 0).astype(int)
            out[f"{status}_ha"] = out.get(f"{status}_ha", 0.0).astype(float).round(2)
        out["lots_total"] = out[["lots_leased", "lots_available", "lots_reserved"]].sum(axis=1)
        out["leasable_ha"] = (out["leased_ha"] + out["available_ha"] + out["reserved_ha"]).round(2)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["occupancy_pct"] = (100.0 * out["leased_ha"] / out["leasable_ha"]).round(1)
        out["occupancy_pct"] = out["occupancy_pct"].where(out["leasable_ha"] > 0)
    if conflicts is not None and len(conflicts):
        by_type = conflicts.groupby("zone_code")["type"].value_counts().unstack(fill_value=0)
        out = out.join(pd.Series({z: {k: int(v) for k, v in row.items() if v} for z, row in by_type.iterrows()}, name="conflicts"), how="outer")
    if "conflicts" not in out.columns:
        out["conflicts"] = None
    out["conflicts"] = out["conflicts"].apply(lambda v: v if isinstance(v, dict) else {})
    return out
