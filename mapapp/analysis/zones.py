"""Per-zone figures for investors and planners: lots by status, occupancy, conflicts."""
from __future__ import annotations

import numpy as np
import pandas as pd

# Green space and utilities are not leasable; occupancy counts leasable land only.
NOT_LEASABLE = ("green", "utility")
TOTAL_COLUMNS = ["zone_code", "status", "lots", "leasable_ha"]
COUNT_COLUMNS = ["zone_code", "type", "conflicts"]


def lot_totals(lots: pd.DataFrame) -> pd.DataFrame:
    """Lots and leasable hectares per zone and status: columns ``zone_code``, ``status``, ``lots``, ``leasable_ha``.

    ``lots`` needs ``zone_code``, ``status``, ``land_use`` and ``area_m2`` (metres, computed by the
    store on write). The store keeps the same rows current in ``zone_summaries`` (:mod:`mapapp.store.summaries`).
    """
    if not len(lots):
        return pd.DataFrame(columns=TOTAL_COLUMNS)
    ha = lots["area_m2"].astype(float) / 10_000.0
    leasable = ~lots["land_use"].isin(NOT_LEASABLE)
    frame = pd.DataFrame({"zone_code": lots["zone_code"], "status": lots["status"], "ha": ha.where(leasable, 0.0)})
    grouped = frame.groupby(["zone_code", "status"])["ha"]
    return pd.DataFrame({"lots": grouped.size(), "leasable_ha": grouped.sum()}).reset_index()


def conflict_counts(conflicts: pd.DataFrame | None) -> pd.DataFrame:
    """Conflicts per zone and type: columns ``zone_code``, ``type``, ``conflicts`` (``conflicts`` needs ``zone_code``, ``type``)."""
    if conflicts is None or not len(conflicts):
        return pd.DataFrame(columns=COUNT_COLUMNS)
    return conflicts.groupby(["zone_code", "type"]).size().rename("conflicts").reset_index()


def zone_summary(lots: pd.DataFrame, conflicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per zone code: lot counts and hectares by status, occupancy %, conflicts by type.

    ``lots`` needs ``zone_code``, ``status``, ``land_use`` and ``area_m2`` (metres,
    computed by the store on write); ``conflicts`` ``zone_code`` and ``type``.
    """
    return zone_summary_of(lot_totals(lots), conflict_counts(conflicts))


def zone_summary_of(totals: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`zone_summary` from its totals (:func:`lot_totals`, :func:`conflict_counts`, or the store's kept rows)."""
    out = pd.DataFrame(index=pd.Index([], name="zone_code"))
    if len(totals):
        counts_by = totals.pivot(index="zone_code", columns="status", values="lots").fillna(0).astype(int).add_prefix("lots_")
        areas = totals.pivot(index="zone_code", columns="status", values="leasable_ha").fillna(0.0).astype(float).add_suffix("_ha")
        out = counts_by.join(areas, how="outer").fillna(0)
        for status in ("leased", "available", "reserved"):  # a status no lot has yet counts zero
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
