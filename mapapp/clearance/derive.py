"""The old five clearance statuses as a view of the steps, and old-style parcels as steps.

The map, the dashboard and the importer speak of five statuses (``mapapp.layers``:
``not_started``, ``negotiating``, ``compensated``, ``cleared``, ``disputed``). From the
steps of :mod:`mapapp.clearance.procedure` they are derived, first rule that holds:

=================  =================================================================
``cleared``        the land is handed over (``handover`` done)
``disputed``       a complaint is open on the parcel at the date, or the recovery is
                   being enforced (``enforcement`` done, no handover yet). A complaint does
                   not suspend the procedure (Decree 102/2024/NĐ-CP Art. 40): the steps go on,
                   only the status says so.
``compensated``    the compensation is paid or deposited (``payment`` or ``deposit`` done)
``negotiating``    any step done (from the meeting with the people onwards)
``not_started``    no step done
=================  =================================================================

The reverse, for a parcel imported the old way (``owner``, ``households``, one status):
one household named by its owner, and undated steps consistent with the status
(:data:`STEPS_FOR_STATUS`; ``disputed`` adds an open complaint). Undated steps count for
order and status but give no deadline (see :mod:`mapapp.clearance.procedure`).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from mapapp.clearance.procedure import MAIN_STEPS, Step, StepRecord

STATUSES = ("not_started", "negotiating", "compensated", "cleared", "disputed")

_UP_TO_INVENTORY = (Step.MEETING, Step.NOTICE, Step.INVENTORY)
_UP_TO_PAYMENT = MAIN_STEPS[: MAIN_STEPS.index(Step.PAYMENT) + 1]
#: The steps an old-style status stands for (undated).
STEPS_FOR_STATUS: dict[str, tuple[Step, ...]] = {
    "not_started": (),
    "negotiating": _UP_TO_INVENTORY,
    "disputed": _UP_TO_INVENTORY,
    "compensated": _UP_TO_PAYMENT + (Step.DECISION,),
    "cleared": _UP_TO_PAYMENT + (Step.DECISION, Step.HANDOVER),
}


#: The note of the steps and complaints inferred from an old-style status.
INFERRED_NOTE = "suy ra từ trạng thái cũ / inferred from the old status"


def iso_dates(column: pd.Series) -> pd.Series:
    """``pd.to_datetime(column.replace("", None), format="ISO8601")``: ISO date texts (or dates) as datetimes,
    NaT for the empty ones; each distinct value parsed once (a zone's thousands of steps share a few dates)."""
    codes, distinct = pd.factorize(column.to_numpy(dtype=object))
    values = np.asarray(distinct, dtype=object)
    values[values == ""] = None
    try:
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601").to_numpy()
    except (ValueError, TypeError):
        parsed = np.zeros(0)  # refused as the whole column refuses it (the message names its position)
    if not len(parsed):
        return pd.to_datetime(column.replace("", None), format="ISO8601")
    return pd.Series(np.where(codes >= 0, parsed[np.maximum(codes, 0)], np.datetime64("NaT")), index=column.index, name=column.name)


def status_from_steps(done: Iterable[Step | str], complaint_open: bool = False) -> str:
    """The old status of one parcel from the steps it has done (see the module's table)."""
    steps = {Step(s) for s in done}
    if Step.HANDOVER in steps:
        return "cleared"
    if complaint_open or Step.ENFORCEMENT in steps:
        return "disputed"
    if steps & {Step.PAYMENT, Step.DEPOSIT}:
        return "compensated"
    return "negotiating" if steps else "not_started"


def derive_statuses(parcel_codes: Iterable[str], steps: pd.DataFrame, complaints: pd.DataFrame | None, at: date) -> pd.Series:
    """The old status of every parcel at ``at``, vectorised.

    steps: columns ``parcel_code, step, date`` (ISO text, a date, or empty for an undated step,
    which counts as done); complaints: columns ``parcel_code, filed, settled`` (``settled``
    empty while open), or None. Rows dated after ``at`` are ignored. Returns a Series of
    statuses indexed by parcel code, in the order given. Raises ValueError for an unknown step.
    """
    codes = pd.Index(list(parcel_codes), name="parcel_code")
    unknown = set(steps["step"]) - {s.value for s in Step}
    if unknown:
        raise ValueError(f"steps.step: unknown {', '.join(sorted(map(str, unknown)))}")
    when = iso_dates(steps["date"])
    kept = steps[when.isna() | (when <= pd.Timestamp(at))]
    has = _done_table(codes, kept)
    open_complaint = pd.Series(False, index=codes)
    if complaints is not None and len(complaints):
        filed, settled = iso_dates(complaints["filed"]), iso_dates(complaints["settled"])
        is_open = (filed.isna() | (filed <= pd.Timestamp(at))) & (settled.isna() | (settled > pd.Timestamp(at)))
        open_codes = set(complaints.loc[is_open.to_numpy(), "parcel_code"])
        open_complaint = pd.Series(codes.isin(list(open_codes)), index=codes)
    # boolean masks on a plain array: a Series indexed by codes would first try each mask as a label
    status = np.full(len(codes), "not_started", dtype=object)
    status[has.any(axis=1).to_numpy()] = "negotiating"
    status[(has["payment"] | has["deposit"]).to_numpy()] = "compensated"
    status[(open_complaint | has["enforcement"]).to_numpy()] = "disputed"
    status[has["handover"].to_numpy()] = "cleared"
    return pd.Series(status, index=codes, dtype=object)


def _done_table(codes: pd.Index, kept: pd.DataFrame) -> pd.DataFrame:
    """Parcel (``codes``) × step table: True where the step is among ``kept``'s rows (one array write, no group-by)."""
    columns = [s.value for s in Step]
    if not codes.is_unique:
        return pd.crosstab(kept["parcel_code"], kept["step"]).reindex(index=codes, columns=columns, fill_value=0) > 0
    rows = codes.get_indexer(kept["parcel_code"])
    cols = pd.Index(columns).get_indexer(kept["step"])
    found = (rows >= 0) & (cols >= 0)
    table = np.zeros((len(codes), len(columns)), dtype=bool)
    table[rows[found], cols[found]] = True
    return pd.DataFrame(table, index=codes, columns=columns)


def household_code(parcel_code: str, n: int = 1) -> str:
    """The code of a parcel's n-th household: ``GP-SH-01-H1``."""
    return f"{parcel_code}-H{n}"


def placeholder_name(parcel_code: str, n: int = 1) -> str:
    """A household's name when none is known: ``Hộ gia đình GP-SH-01-1`` (never a personal name)."""
    return f"Hộ gia đình {parcel_code}-{n}"


def from_old_parcel(code: str, status: str, owner: str | None = None, households: int | None = None) -> dict:
    """An old-style parcel as the new records.

    Returns ``{"household": {code, name, kind, members}, "link": {household_code, parcel_code},
    "steps": [StepRecord (undated)], "complaints": [{parcel_code, household_code, filed, settled, summary}]}``.
    The household is named by ``owner`` (or a placeholder); ``members`` keeps the old
    ``households`` count. ``status_from_steps`` of the result gives ``status`` back.
    Raises ValueError for a status that is not one of the five.
    """
    if status not in STEPS_FOR_STATUS:
        raise ValueError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    hh = household_code(code)
    return {
        "household": {"code": hh, "name": owner or placeholder_name(code), "kind": "household", "members": households},
        "link": {"household_code": hh, "parcel_code": code},
        "steps": [StepRecord(code, s, None, note=INFERRED_NOTE) for s in STEPS_FOR_STATUS[status]],
        "complaints": ([{"parcel_code": code, "household_code": hh, "filed": None, "settled": None,
                         "summary": INFERRED_NOTE}] if status == "disputed" else []),
    }


def from_old_parcels(parcels: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """:func:`from_old_parcel` for a whole table (``code, status`` and optionally ``owner, households``).

    Returns DataFrames: ``households`` (code, name, kind, members), ``household_parcels``
    (household_code, parcel_code), ``steps`` (parcel_code, step, date = "" : undated, note),
    ``complaints`` (parcel_code, household_code, filed, settled, summary; empty dates "").
    """
    owners = parcels["owner"] if "owner" in parcels.columns else pd.Series(None, index=parcels.index)
    counts = parcels["households"] if "households" in parcels.columns else pd.Series(None, index=parcels.index)
    done = [from_old_parcel(c, s, o if isinstance(o, str) and o else None, None if pd.isna(n) else int(n))
            for c, s, o, n in zip(parcels["code"], parcels["status"], owners, counts)]
    return {
        "households": pd.DataFrame([d["household"] for d in done], columns=["code", "name", "kind", "members"]),
        "household_parcels": pd.DataFrame([d["link"] for d in done], columns=["household_code", "parcel_code"]),
        "steps": pd.DataFrame([(r.parcel_code, r.step.value, "", r.note) for d in done for r in d["steps"]],
                              columns=["parcel_code", "step", "date", "note"]),
        "complaints": pd.DataFrame([{**c, "filed": "", "settled": ""} for d in done for c in d["complaints"]],
                                   columns=["parcel_code", "household_code", "filed", "settled", "summary"]),
    }
