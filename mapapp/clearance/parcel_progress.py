"""Where parcels stand at a date: one parcel's :class:`Progress`, and every parcel's as a table."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from mapapp.clearance.deadlines import ProcedureSettings, deadlines
from mapapp.clearance.progress_bulk import bulk_progress
from mapapp.clearance.step_checks import check_steps
from mapapp.clearance.step_rows import _STEP_OF, _records, _rows_by_parcel, _texts
from mapapp.clearance.steps import AGRICULTURAL, MAIN_STEPS, Step, StepRecord


@dataclass(frozen=True)
class Progress:
    """Where a parcel stands at a date.

    ``last_step``/``last_date``: the furthest main step done; ``next_step``: the first main
    step not done; ``due_step``/``next_due``: the pending main step due soonest and its date
    (None when no pending step has a deadline yet); ``overdue``: ``next_due`` before the date.
    """

    parcel_code: str
    last_step: Step | None
    last_date: date | None
    next_step: Step | None
    due_step: Step | None
    next_due: date | None
    overdue: bool
    source: str


def progress(parcel_code: str, records: Sequence[StepRecord], land_kind: str, at: date,
             settings: ProcedureSettings | None = None) -> Progress:
    """The parcel's state at ``at``: records dated after ``at`` are ignored.

    ``next_step`` is the first main step not done (None once handed over); a payment is
    also done by a deposit. ``next_due`` is the soonest deadline of the pending main steps;
    ``overdue`` is True when it is before ``at``.
    Raises :class:`mapapp.clearance.steps.ProcedureError` as :func:`check_steps` does.
    """
    kept = [r for r in records if r.date is None or r.date <= at]
    checked = check_steps(kept, land_kind, settings)
    done = {c.record.step: c.record.date for c in checked}
    if Step.DEPOSIT in done:
        done.setdefault(Step.PAYMENT, done[Step.DEPOSIT])
    last_main = [s for s in MAIN_STEPS if s in done]
    last_step = last_main[-1] if last_main else (checked[-1].record.step if checked else None)
    if Step.HANDOVER in done:
        return Progress(parcel_code, Step.HANDOVER, done[Step.HANDOVER], None, None, None, False, "")
    nxt = next((s for s in MAIN_STEPS if s not in done), None)
    dls = deadlines(done, land_kind, settings)
    pending = [dls[s] for s in MAIN_STEPS if s not in done and s in dls and dls[s].due]
    dl = min(pending, key=lambda d: d.due, default=None)
    due = dl.due if dl else None
    return Progress(parcel_code, last_step, done.get(last_step) if last_step else None, nxt,
                    dl.step if dl else None, due, bool(due and due < at), dl.source if dl else "")


def _progress_key(kind: str, rows: Iterable[tuple[str, ...]]) -> tuple:
    """What a parcel's progress depends on: its land kind and, per record, the step, date, document date (when
    it has a document number) and conditions; not the number, signer, scan nor note, which only an error names."""
    return (kind, tuple((step, when, doc_date if number else "", conditions)
                        for step, when, _, number, doc_date, _, _, conditions, _ in rows))


PROGRESS_COLUMNS = ["parcel_code", "last_step", "last_date", "next_step", "due_step", "next_due", "overdue"]


def progress_table(parcels: pd.DataFrame, steps: pd.DataFrame, at: date, settings: ProcedureSettings | None = None) -> pd.DataFrame:
    """Every parcel's :class:`Progress` at ``at`` as a DataFrame (:data:`PROGRESS_COLUMNS`).

    parcels: columns ``code`` and ``land_kind`` (missing or empty: agricultural); steps: as
    :func:`mapapp.clearance.step_rows.records_from_frame`. Dates are ``datetime.date`` or None. Raises
    :class:`mapapp.clearance.steps.ProcedureError` for the first parcel whose records break a rule.
    """
    kinds = parcels["land_kind"] if "land_kind" in parcels.columns else pd.Series(AGRICULTURAL, index=parcels.index)
    codes, kinds = parcels["code"].tolist(), kinds.fillna(AGRICULTURAL).replace("", AGRICULTURAL).tolist()
    if len(steps) and not set(_texts(steps["step"])) <= _STEP_OF.keys():
        _rows_by_parcel(steps)  # refuses the first unknown step
    # most parcels are worked out at once; the others (records the rules may refuse) one by one
    common, bulk = bulk_progress(codes, kinds, steps, at, settings)
    rest = {c for c, ok in zip(codes, common) if not ok}
    by_parcel = _rows_by_parcel(steps[steps["parcel_code"].isin(rest)]) if rest and len(steps) else {}
    rows = []
    # parcels with the same records (but their code and documents' numbers) and land kind stand at the same
    # place: most have none or only the undated steps of an old status, so each such group is worked out once;
    # a group whose records break a rule is never kept, so the first such parcel raises with its own records
    memo: dict[tuple, tuple] = {}
    for code, kind, row in zip(codes, kinds, bulk):
        if row is not None:
            rows.append((code, *row))
            continue
        own = by_parcel.get(code, ())
        key = _progress_key(kind, own)
        if key not in memo:
            p = progress(code, _records(code, own), kind, at, settings)
            memo[key] = (p.last_step and p.last_step.value, p.last_date, p.next_step and p.next_step.value,
                         p.due_step and p.due_step.value, p.next_due, p.overdue)
        rows.append((code, *memo[key]))
    out = pd.DataFrame(rows, columns=PROGRESS_COLUMNS, dtype=object)
    out["overdue"] = out["overdue"].astype(bool)
    return out
