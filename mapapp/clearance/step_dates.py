"""The steps' dates as a parcel × step table, and the days between steps observed in it (what the paces of
:mod:`mapapp.clearance.forecast` are medians of). Dates are numpy ``datetime64``; days are whole days (int64).
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from mapapp.clearance.derive import iso_dates
from mapapp.clearance.procedure import Step

#: The step each main step follows (the handover follows the later of payment and decision).
ANCHOR: dict[Step, tuple[Step, ...]] = {
    Step.NOTICE: (Step.MEETING,),
    Step.INVENTORY: (Step.NOTICE,),
    Step.PLAN_POSTED: (Step.INVENTORY,),
    Step.CONSULTATION: (Step.PLAN_POSTED,),
    Step.APPRAISAL: (Step.CONSULTATION,),
    Step.APPROVAL: (Step.APPRAISAL,),
    Step.PUBLICATION: (Step.APPROVAL,),
    Step.PAYMENT: (Step.APPROVAL,),
    Step.DECISION: (Step.APPROVAL,),
    Step.HANDOVER: (Step.PAYMENT, Step.DECISION),
}


def done_dates(steps: pd.DataFrame) -> pd.DataFrame:
    """Parcel × step table of dates (NaT: not done or undated); a deposit counts as the payment.

    Rows are the parcels with a dated step and columns the steps dated at least once, both sorted (as a
    pivot table of the earliest date): one array write instead of a group-by.
    """
    when = iso_dates(steps["date"])
    step = steps["step"].to_numpy(dtype=object).copy()
    step[step == Step.DEPOSIT.value] = Step.PAYMENT.value
    dated = when.notna().to_numpy()
    rows, parcels = pd.factorize(steps["parcel_code"].to_numpy(dtype=object)[dated], sort=True)
    cols, names = pd.factorize(step[dated], sort=True)
    days = when.to_numpy()[dated]
    table = np.full((len(parcels), len(names)), np.datetime64("NaT"), dtype=days.dtype)
    # the earliest date per cell: written latest first, so the earliest write wins
    order = np.argsort(days, kind="stable")[::-1]
    table[rows[order], cols[order]] = days[order]
    return pd.DataFrame(table, index=pd.Index(parcels, name="parcel_code"), columns=pd.Index(names, name="step"))


def observations(dates: pd.DataFrame, step: Step, since: pd.Timestamp, until: pd.Timestamp) -> pd.Series:
    """Days from anchor to ``step`` of the steps done between ``since`` and ``until``, indexed by parcel code."""
    rows, days = observed(dates, step, since, until)
    return pd.Series(days, index=dates.index[rows] if len(rows) else pd.Index([], dtype=object))


def observed(dates: pd.DataFrame, step: Step, since: pd.Timestamp, until: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """:func:`observations` as arrays: the rows of ``dates`` observed, and their whole days (int64)."""
    if step not in ANCHOR or step.value not in dates.columns or not all(a.value in dates.columns for a in ANCHOR[step]):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64)
    start = functools.reduce(np.maximum, (dates[a.value].to_numpy() for a in ANCHOR[step]))  # NaT if any is
    end = dates[step.value].to_numpy()
    rows = np.flatnonzero(~np.isnat(end) & ~np.isnat(start) & (end >= since.to_datetime64()) & (end <= until.to_datetime64()))
    return rows, ((end[rows] - start[rows]) // np.timedelta64(1, "D")).astype(np.int64)


def group_medians(groups: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(count, median) per group ``0 … n-1`` of int ``values`` (median NaN for an empty group), as a pandas
    group-by's median: the middle value, or the mean of the two middle ones, in float64."""
    count = np.bincount(groups, minlength=n)
    v = values[np.lexsort((values, groups))].astype(float)
    first = np.cumsum(count) - count
    median = np.full(n, np.nan)
    some = count > 0
    low, high = (first + (count - 1) // 2)[some], (first + count // 2)[some]
    median[some] = (v[low] + v[high]) / 2
    return count, median
