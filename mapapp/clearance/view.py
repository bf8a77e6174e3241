"""The clearance figures the API, pages and map need, computed in one call from the records.

:func:`clearance_figures` is the one entry point for the store/API (issue 13's contract):

- parcels: ``status`` (the old five, derived), ``step`` (the last step done), ``next_due``;
- zones: ``cleared_share`` (0–1), ``largest_cleared_block_ha``;
- lots: ``ready`` (bool), ``ready_expected`` (a date or None), and what is missing.

A parcel without any dated step or complaint record keeps the status it was stored with (an
old-style parcel, whose undated steps only echo that status: see
:func:`mapapp.clearance.derive.from_old_parcels`), so its event history still dates it.
Personal data (Decree 13/2023/NĐ-CP) is listed in :data:`PERSONAL_COLUMNS`: those columns of
the clearance tables are for staff only; the public sees a parcel's step and area.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.analysis.measure import to_metric
from mapapp.clearance.blocks import cleared_blocks, lot_readiness, zone_clearance
from mapapp.clearance.derive import derive_statuses
from mapapp.clearance.forecast import ForecastSettings, forecast_parcels, forecast_zones
from mapapp.clearance.procedure import ProcedureSettings, progress_table

#: Staff-only columns of each clearance table (Decree 13/2023/NĐ-CP on personal data).
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "households": ("name", "lookup_code", "note"),
    "household_parcels": ("household_code",),
    "steps": ("doc_number", "signer", "scan", "note"),
    "payments": ("household_code", "approved_vnd", "paid_vnd", "deposited_vnd", "interest_vnd"),
    "complaints": ("household_code", "summary"),
}


@dataclass(frozen=True)
class Figures:
    """``parcels``: code, zone_code, status, step, next_due, due_step, overdue, expected_handover;
    ``zones``: zone_code, area_ha, cleared_ha, cleared_share, largest_cleared_block_ha, blocks,
    parcels_open, expected_handover; ``lots``: code, ready, ready_expected, missing, reason;
    ``blocks``: the cleared blocks (WGS84 GeoDataFrame, see :func:`blocks.cleared_blocks`)."""

    parcels: pd.DataFrame
    zones: pd.DataFrame
    lots: pd.DataFrame
    blocks: gpd.GeoDataFrame


def clearance_figures(zones: gpd.GeoDataFrame, lots: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, steps: pd.DataFrame,
                      complaints: pd.DataFrame | None, at: date, procedure: ProcedureSettings | None = None,
                      forecast: ForecastSettings | None = None) -> Figures:
    """Every clearance figure at ``at``.

    zones (``code``, ``status``), lots (``code``), parcels (``code, zone_code, status`` and
    optionally ``land_kind``): WGS84 GeoDataFrames as the store reads them; steps: ``parcel_code,
    step, date`` (+ document columns); complaints: ``parcel_code, filed, settled`` or None.
    Raises :class:`mapapp.clearance.procedure.ProcedureError` when a parcel's records break a rule.
    """
    part = zone_figures(zones, parcels, steps, complaints, at, procedure, forecast)
    ready = lot_readiness(lots, part.current, part.blocks, dict(zip(part.parcels["code"], part.parcels["expected_handover"])))
    return Figures(part.parcels, part.zones, ready.reset_index(drop=True), part.blocks)


#: The columns of :attr:`ZoneFigures.current`.
CURRENT_COLUMNS = ["code", "zone_code", "status", "geometry"]


@dataclass(frozen=True)
class ZoneFigures:
    """The figures of some zones: ``parcels``, ``zones``, ``blocks`` as in :class:`Figures`, and
    ``current`` (the parcels' :data:`CURRENT_COLUMNS`, WGS84, with their status at the date: what lot readiness
    reads)."""

    parcels: pd.DataFrame
    zones: pd.DataFrame
    blocks: gpd.GeoDataFrame
    current: gpd.GeoDataFrame


def zone_figures(zones: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, steps: pd.DataFrame, complaints: pd.DataFrame | None,
                 at: date, procedure: ProcedureSettings | None = None, forecast: ForecastSettings | None = None,
                 overall: dict[str, tuple[float | None, int]] | None = None) -> ZoneFigures:
    """The figures of parcels and zones at ``at`` (all but lot readiness), inputs as :func:`clearance_figures`.

    Each zone's figures depend only on that zone and its parcels (``zone_code``), their steps and
    complaints, and the province's all-zones paces: given ``overall``
    (:func:`mapapp.clearance.forecast.overall_paces` of every step record), the inputs may hold a
    few zones only and their rows are those of the whole province's computation.
    """
    fs = forecast or ForecastSettings(procedure=procedure or ProcedureSettings())
    steps = steps if len(steps) else pd.DataFrame(columns=["parcel_code", "step", "date"])
    dated = _filled(steps["date"])
    filed = _filled(complaints["filed"]) if complaints is not None and len(complaints) else None
    recorded = set(steps.loc[dated, "parcel_code"]) | (set(complaints.loc[filed, "parcel_code"]) if filed is not None else set())
    derived = derive_statuses(parcels["code"], steps, complaints, at)
    stored = pd.Series(parcels["status"].to_numpy(), index=parcels["code"].to_numpy())
    status = derived.where(derived.index.isin(list(recorded)), stored)
    current = parcels.assign(status=status.to_numpy())
    progress = progress_table(current, steps, at, fs.procedure)
    expected = forecast_parcels(steps, current, at, fs, overall)
    cleared = (current["status"] == "cleared").to_numpy()  # stored as cleared without records: handed over
    expected.loc[cleared & ~expected["handed_over"].to_numpy(), ["handed_over", "expected_handover"]] = [True, None]
    p = pd.DataFrame({"code": current["code"].to_numpy(), "zone_code": current["zone_code"].to_numpy(),
                      "status": current["status"].to_numpy()})
    p["step"] = progress["last_step"].to_numpy()
    p["next_due"] = progress["next_due"].to_numpy()
    p["due_step"] = progress["due_step"].to_numpy()
    p["overdue"] = progress["overdue"].to_numpy()
    p["expected_handover"] = expected["expected_handover"].to_numpy()
    blocks = cleared_blocks(current, zones)
    z = zone_clearance(current, zones, blocks).merge(forecast_zones(expected, at), on="zone_code", how="left")
    z["parcels_open"] = z["parcels_open"].fillna(0).astype(int)
    z["expected_handover"] = z["expected_handover"].astype(object).where(z["expected_handover"].notna(), None)
    z = z.drop(columns=["new_notice"])
    # what readiness reads, no more: kept figures hold no personal data, nor a field their zone's version ignores
    return ZoneFigures(p, z, blocks, current[CURRENT_COLUMNS])


def _filled(column: pd.Series) -> np.ndarray:
    """Which cells are neither missing nor blank text (``notna() & (astype(str).str.strip() != "")``), as a
    bool array: each distinct value tested once."""
    codes, distinct = pd.factorize(column.to_numpy(dtype=object))
    filled = np.array([str(v).strip() != "" for v in distinct] + [False], dtype=bool)
    return filled[codes]  # -1 (missing) takes the last: False


def project_parcels(projects: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, tolerance: float = 1.0) -> pd.DataFrame:
    """Which parcels each project crosses: columns ``project_code, parcel_code`` (sorted).

    WGS84 inputs, measured in EPSG:5897: a line crosses a parcel over more than ``tolerance``
    metres; a polygon overlaps it by more than ``tolerance`` m² (the conflict tolerances).
    One bulk STRtree query, measures vectorised.
    """
    pm, gm = to_metric(projects.geometry.to_numpy()), to_metric(parcels.geometry.to_numpy())
    i, j = shapely.STRtree(gm).query(pm, predicate="intersects")
    cut = shapely.intersection(pm[i], gm[j])
    lines = shapely.get_dimensions(pm[i]) == 1
    size = shapely.length(cut) * lines + shapely.area(cut) * ~lines
    keep = size > tolerance
    out = pd.DataFrame({"project_code": projects["code"].to_numpy()[i[keep]], "parcel_code": parcels["code"].to_numpy()[j[keep]]})
    return out.sort_values(["project_code", "parcel_code"], ignore_index=True)


def household_file(lookup_code: str, households: pd.DataFrame, links: pd.DataFrame, steps: pd.DataFrame,
                   payments: pd.DataFrame | None = None) -> dict | None:
    """What a household sees when it looks its own file up with the code the board gave it.

    Only that household: ``{"code", "name", "parcels": [codes], "steps": [{parcel_code, step,
    date, doc_type}], "payments": [{parcel_code, approved_vnd, paid_vnd, deposited_vnd,
    due_date, paid_date}]}``; None when no household has that code (codes compared in
    constant time; an empty code never matches). Other households sharing a parcel are not shown.
    """
    given = (lookup_code or "").strip().upper().encode()
    if not given:
        return None
    match = [i for i, c in enumerate(households["lookup_code"]) if hmac.compare_digest(str(c).upper().encode(), given)]
    if len(match) != 1:
        return None
    row = households.iloc[match[0]]
    parcels = sorted(links.loc[links["household_code"] == row["code"], "parcel_code"])
    mine = steps[steps["parcel_code"].isin(parcels)]
    out = {"code": row["code"], "name": row["name"], "parcels": parcels,
           "steps": mine[["parcel_code", "step", "date", "doc_type"]].to_dict("records") if len(mine) else [],
           "payments": []}
    if payments is not None and len(payments):
        own = payments[payments["household_code"] == row["code"]]
        out["payments"] = own[["parcel_code", "approved_vnd", "paid_vnd", "deposited_vnd", "due_date", "paid_date"]].to_dict("records")
    return out
