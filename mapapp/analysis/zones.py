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
    """:func:`zone_summary` from its totals (:func:`lot_totals`, :func:`conflict_counts`, or the store's kept rows).

    One row per zone code (index ``zone_code``, sorted): ``lots_<status>`` and ``<status>_ha`` for each status
    the totals hold (and for leased, available and reserved: zero when no lot has it), ``lots_total``,
    ``leasable_ha``, ``occupancy_pct`` (of leasable hectares leased; NaN without leasable land) and
    ``conflicts`` (``{type: count}``). A zone with conflicts but no lots has NaN figures.
    """
    if not len(totals):
        return _conflicts_only(counts)
    # numpy over the zones x statuses grid: the same figures as pandas' pivot and join, at a fraction of their cost
    zones, row = np.unique(totals["zone_code"].to_numpy(dtype=object), return_inverse=True)
    statuses, col = np.unique(totals["status"].to_numpy(dtype=object), return_inverse=True)
    lots = np.zeros((len(zones), len(statuses)), dtype=int)
    lots[row, col] = totals["lots"].to_numpy()
    hectares = np.zeros((len(zones), len(statuses)), dtype=float)
    hectares[row, col] = totals["leasable_ha"].to_numpy(dtype=float)
    columns = {f"lots_{s}": lots[:, j] for j, s in enumerate(statuses)}
    columns |= {f"{s}_ha": hectares[:, j] for j, s in enumerate(statuses)}
    for status in ("leased", "available", "reserved"):  # a status no lot has yet counts zero
        columns[f"lots_{status}"] = columns.get(f"lots_{status}", np.zeros(len(zones), dtype=int))
        columns[f"{status}_ha"] = np.round(columns.get(f"{status}_ha", np.zeros(len(zones))), 2)
    columns["lots_total"] = columns["lots_leased"] + columns["lots_available"] + columns["lots_reserved"]
    leasable = np.round(columns["leased_ha"] + columns["available_ha"] + columns["reserved_ha"], 2)
    columns["leasable_ha"] = leasable
    with np.errstate(invalid="ignore", divide="ignore"):
        columns["occupancy_pct"] = np.where(leasable > 0, np.round(100.0 * columns["leased_ha"] / leasable, 1), np.nan)
    out = pd.DataFrame(columns, index=pd.Index(zones, name="zone_code", dtype=totals["zone_code"].dtype))
    if not len(counts):  # as pandas names them: by status, unless conflicts were joined
        out.columns.name = "status"
    by_zone = _conflicts_by_zone(counts)
    if not set(by_zone) <= set(zones):  # zones with conflicts and no lots: rows of NaN figures
        out = out.reindex(pd.Index(sorted(set(zones) | set(by_zone)), name="zone_code", dtype=out.index.dtype))
    out["conflicts"] = pd.Series([by_zone.get(z, {}) for z in out.index], index=out.index, dtype=object)
    return out


def _conflicts_by_zone(counts: pd.DataFrame) -> dict[str, dict[str, int]]:
    by_zone: dict = {}
    if len(counts):
        for zone, type_, n in sorted(zip(counts["zone_code"], counts["type"], counts["conflicts"])):
            if n:
                by_zone.setdefault(zone, {})[str(type_)] = int(n)
    return by_zone


def _conflicts_only(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`zone_summary_of` without lots: the zones with conflicts and their ``conflicts`` only."""
    out = pd.DataFrame(index=pd.Index([], name="zone_code"))
    by_zone = _conflicts_by_zone(counts)
    if by_zone:
        out = out.join(pd.Series(by_zone, name="conflicts", dtype=object), how="outer")
    else:
        out["conflicts"] = None
    out["conflicts"] = out["conflicts"].apply(lambda v: v if isinstance(v, dict) else {})
    return out
