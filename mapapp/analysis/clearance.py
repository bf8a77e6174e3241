"""Land-clearance progress per zone, at a date and over time.

Parcels are the register (columns ``code, zone_code, status, area_m2,
households, compensation_vnd, paid_vnd``; ``area_m2`` measured by the caller in
metres, see ``measure.area_m2``). Events are the parcels' history (columns
``parcel_code, date, status, paid_vnd`` with ``paid_vnd`` the cumulative amount
paid for that parcel at that date; a missing amount keeps the previous one).

Counting rules:
    cleared area             parcels whose status is ``cleared`` (land handed over);
    households compensated   households of parcels ``compensated`` or ``cleared``;
    shares                   0.0 when the denominator is 0, so a zone without
                             area or compensation still serialises to JSON.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from mapapp.layers import CLEARANCE_STATUSES

COMPENSATED = ("compensated", "cleared")

ZONE_COLUMNS = [
    "zone_code",
    "parcels",
    "area_m2_total",
    "area_m2_cleared",
    "share_cleared",
    "households_total",
    "households_compensated",
    "compensation_vnd_total",
    "paid_vnd",
    "share_paid",
]
TIMELINE_COLUMNS = ["zone_code", "date", "share_cleared", "households_compensated", "paid_vnd"]


def _check_statuses(statuses: pd.Series, what: str) -> None:
    """Refuse unknown statuses: they would silently count as 'not cleared'."""
    unknown = sorted(set(statuses.dropna().astype(str)) - set(CLEARANCE_STATUSES))
    if unknown:
        raise ValueError(
            f"{what}.status: unknown {', '.join(unknown)}; expected one of {', '.join(CLEARANCE_STATUSES)}"
        )


def _history(events: pd.DataFrame) -> pd.DataFrame:
    """Events by parcel and date (same-date ties keep row order), paid carried forward."""
    ev = events[["parcel_code", "date", "status", "paid_vnd"]].copy()
    ev["date"] = pd.to_datetime(ev["date"].astype(str), format="ISO8601").dt.normalize()
    ev = ev.sort_values(["parcel_code", "date"], kind="stable")
    ev["paid_vnd"] = ev.groupby("parcel_code")["paid_vnd"].ffill().fillna(0.0)
    return ev


def parcel_status_at(parcels: pd.DataFrame, events: pd.DataFrame, at: date) -> pd.DataFrame:
    """Each parcel's status and cumulative paid at ``at``.

    The latest event dated <= ``at`` wins. A parcel whose history starts after
    ``at`` was ``not_started`` with nothing paid; a parcel with no history at all
    keeps its register status and paid (the best that is known). All other
    columns (geometry included) are kept; ``status_date`` is the date of the
    event used (NaT when none).
    """
    _check_statuses(parcels["status"], "parcels")
    _check_statuses(events["status"], "events")
    ev = _history(events)
    now = ev[ev["date"] <= pd.Timestamp(at)].drop_duplicates("parcel_code", keep="last")
    code = parcels["code"]
    found = now.set_index("parcel_code").reindex(code.to_numpy()).set_axis(parcels.index)
    has_event = code.isin(now["parcel_code"])
    has_history = code.isin(ev["parcel_code"])
    out = parcels.copy()
    out["status"] = found["status"].where(
        has_event, parcels["status"].where(~has_history, "not_started")
    )
    out["paid_vnd"] = found["paid_vnd"].where(
        has_event, parcels["paid_vnd"].where(~has_history, 0.0)
    )
    out["status_date"] = found["date"]
    return out


def _numbers(parcels: pd.DataFrame) -> pd.DataFrame:
    """The columns the sums need, missing values as 0."""
    df = pd.DataFrame({"zone_code": parcels["zone_code"]})
    for col in ("area_m2", "households", "compensation_vnd", "paid_vnd"):
        df[col] = pd.to_numeric(parcels[col], errors="raise").fillna(0)
    df["households"] = df["households"].astype("int64")
    cleared = parcels["status"].eq("cleared")
    df["area_m2_cleared"] = df["area_m2"].where(cleared, 0.0)
    df["households_compensated"] = df["households"].where(parcels["status"].isin(COMPENSATED), 0)
    return df


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole != 0)).fillna(0.0)


def zone_clearance(
    parcels: pd.DataFrame, events: pd.DataFrame | None = None, at: date | None = None
) -> pd.DataFrame:
    """Clearance and compensation totals per zone, one row per ``zone_code``.

    With ``events`` and ``at`` the parcels are first put back to their state at
    ``at``; otherwise the register's current status is used.
    """
    if events is not None and at is not None:
        parcels = parcel_status_at(parcels, events, at)
    else:
        _check_statuses(parcels["status"], "parcels")
    zones = (
        _numbers(parcels)
        .groupby("zone_code", sort=True)
        .agg(
            parcels=("area_m2", "size"),
            area_m2_total=("area_m2", "sum"),
            area_m2_cleared=("area_m2_cleared", "sum"),
            households_total=("households", "sum"),
            households_compensated=("households_compensated", "sum"),
            compensation_vnd_total=("compensation_vnd", "sum"),
            paid_vnd=("paid_vnd", "sum"),
        )
        .reset_index()
    )
    zones["share_cleared"] = _share(zones["area_m2_cleared"], zones["area_m2_total"])
    zones["share_paid"] = _share(zones["paid_vnd"], zones["compensation_vnd_total"])
    return zones[ZONE_COLUMNS]


def clearance_timeline(
    parcels: pd.DataFrame, events: pd.DataFrame, dates: Sequence[date]
) -> pd.DataFrame:
    """Long table (zone_code, ISO date, share_cleared, households_compensated, paid_vnd) for a chart.

    All dates in one pass: every (parcel, date) pair takes its latest event on
    or before that date with an as-of join, then one groupby sums the zones;
    the rules are those of :func:`parcel_status_at` and :func:`zone_clearance`.
    """
    if not len(dates) or parcels.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    _check_statuses(parcels["status"], "parcels")
    _check_statuses(events["status"], "events")
    ev = _history(events).sort_values("date", kind="stable")
    when = pd.DataFrame({"at": pd.to_datetime(sorted(set(dates))).astype(ev["date"].dtype)})
    grid = parcels.reset_index(drop=True).assign(_row=lambda d: d.index).merge(when, how="cross").sort_values("at", kind="stable")
    joined = pd.merge_asof(
        grid, ev.rename(columns={"status": "_status", "paid_vnd": "_paid"}),
        left_on="at", right_on="date", left_by="code", right_by="parcel_code", direction="backward",
    )
    has_event = joined["_status"].notna()
    has_history = joined["code"].isin(ev["parcel_code"])
    joined["status"] = joined["_status"].where(has_event, joined["status"].where(~has_history, "not_started"))
    joined["paid_vnd"] = joined["_paid"].where(has_event, joined["paid_vnd"].where(~has_history, 0.0))
    numbers = _numbers(joined).assign(at=joined["at"].to_numpy())
    zones = (
        numbers.groupby(["at", "zone_code"], sort=True)
        .agg(
            area_m2_total=("area_m2", "sum"),
            area_m2_cleared=("area_m2_cleared", "sum"),
            households_compensated=("households_compensated", "sum"),
            paid_vnd=("paid_vnd", "sum"),
        )
        .reset_index()
    )
    zones["share_cleared"] = _share(zones["area_m2_cleared"], zones["area_m2_total"])
    zones["date"] = zones["at"].dt.date.map(date.isoformat)
    return zones[TIMELINE_COLUMNS].reset_index(drop=True)
