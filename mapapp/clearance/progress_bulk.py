"""Where parcels stand at a date, worked out for all of them at once in the common case (issue 12).

:func:`mapapp.clearance.parcel_progress.progress_table` asks :func:`bulk_progress` first. A parcel is
*common* when no rule of :func:`mapapp.clearance.procedure.check_steps` can refuse its records, which
is shown on a parcel × step table in numpy: a known land kind; every date and document date a valid
ISO date; no step twice; none of the optional steps (persuasion, compulsory inventory, deposit,
enforcement: their rules are left to the per-parcel check); each step after the steps its rule needs
(the order :func:`check_steps` reads records in: undated first by step, then by date and step); no
document dated after its step; a consultation at least 30 days after the posting and a decision at
least 90/180 days after the notice and at most 365 days after it (the notice's 12 months are at least
365 days). Every other parcel is left to the per-parcel check, which refuses its records with the rule
or works it out; so the figures and the errors are those of the per-parcel path.

Dates are day ordinals (:meth:`datetime.date.toordinal`) while worked on; -1 stands for undated.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from mapapp.clearance.deadlines import ProcedureSettings, add_months, add_working_days
from mapapp.clearance.step_rows import _day, _texts
from mapapp.clearance.steps import (
    DECISION_DAYS,
    LAND_KINDS,
    MAIN_STEPS,
    NOTICE_MIN_DAYS,
    NOTICE_VALID_MONTHS,
    OPTIONAL_STEPS,
    ORDER_RULES,
    PAYMENT_DAYS,
    PLAN_POSTED_DAYS,
    STEPS,
    Step,
)

_AT = {s: i for i, s in enumerate(STEPS)}
_MAIN = np.array([_AT[s] for s in MAIN_STEPS])
_OPTIONAL = np.array(sorted(_AT[s] for s in OPTIONAL_STEPS))
#: The order rules between main steps as (step, step needed) positions; a rule met by "any of" a main and
#: an optional step (the handover's payment or deposit) needs the main one, the optional being left out.
_NEEDS = [(_AT[r.step], _AT[a]) for r in ORDER_RULES if r.step not in OPTIONAL_STEPS
          for a in r.after if a not in OPTIONAL_STEPS]
UNDATED, INVALID = -1, -2


def bulk_progress(codes: Sequence[str], kinds: Sequence[str], steps: pd.DataFrame, at: date,
                  settings: ProcedureSettings | None = None) -> tuple[np.ndarray, list[tuple | None]]:
    """The progress of the common parcels among ``codes`` (land kinds ``kinds``, same length) at ``at``.

    steps: ``parcel_code, step, date`` and optionally ``doc_number, doc_date`` (as
    :func:`mapapp.clearance.procedure.records_from_frame`; every step known). Returns (a bool per parcel:
    common, the rows ``(last_step, last_date, next_step, due_step, next_due, overdue)`` as
    :func:`mapapp.clearance.procedure.progress` gives them, None for the parcels not common).
    """
    s = settings or ProcedureSettings()
    parcel_of, unique = pd.factorize(np.asarray(codes, dtype=object))
    n, found = len(unique), len(STEPS)
    done = np.zeros((n, found), dtype=bool)
    day = np.full((n, found), UNDATED, dtype=np.int64)
    odd = np.zeros(n, dtype=bool)  # parcels left to the per-parcel check
    if len(steps):
        owner = pd.Index(unique).get_indexer(np.asarray(_texts(steps["parcel_code"]), dtype=object))
        own = owner >= 0
        column = {c: np.asarray(_texts(steps[c]) if c in steps.columns else [""] * len(steps), dtype=object)[own]
                  for c in ("step", "date", "doc_number", "doc_date")}
        owner, step = owner[own], pd.Index([s.value for s in STEPS]).get_indexer(column["step"])
        when = _ordinals(column["date"])
        documented = column["doc_number"] != ""
        doc_day = np.where(documented, _ordinals(column["doc_date"]), UNDATED)
        odd[owner[(when == INVALID) | (doc_day == INVALID)]] = True
        kept = (when == UNDATED) | ((when > 0) & (when <= at.toordinal()))
        owner, step, when, doc_day = owner[kept], step[kept], when[kept], doc_day[kept]
        odd[owner[np.isin(step, _OPTIONAL) | ((doc_day > 0) & (when > 0) & (doc_day > when))]] = True
        twice = np.bincount(owner * found + step, minlength=n * found).reshape(n, found) > 1
        odd |= twice.any(axis=1)
        done[owner, step] = True
        day[owner, step] = when
    odd |= _out_of_order(done, day)
    odd = odd[parcel_of] | ~np.isin(np.asarray(kinds, dtype=object), LAND_KINDS)
    done, day = done[parcel_of], day[parcel_of]
    odd |= _too_early(done, day, np.asarray(kinds, dtype=object))
    common = ~odd
    rows: list[tuple | None] = [None] * len(parcel_of)
    for i, row in zip(np.flatnonzero(common), _progress(done[common], day[common], at, s)):
        rows[i] = row
    return common, rows


def _ordinals(texts: np.ndarray) -> np.ndarray:
    """Day ordinals of ISO date texts as :func:`mapapp.clearance.step_rows._day` reads them (-1: empty, -2: not a date)."""
    values, inverse = np.unique(texts.astype(str), return_inverse=True)

    def ordinal(text: str) -> int:
        try:
            d = _day(text)
        except ValueError:
            return INVALID
        return UNDATED if d is None else d.toordinal()

    return np.array([ordinal(v) for v in values], dtype=np.int64)[inverse] if len(values) else np.zeros(0, dtype=np.int64)


def _out_of_order(done: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Parcels with a step done without a step it needs done before it, in the order records are read."""
    # one number per record in reading order: undated ones first by step, then by date and step
    order = np.where(day > 0, day * len(STEPS), -len(STEPS)) + np.arange(len(STEPS))
    bad = np.zeros(len(done), dtype=bool)
    for step, needed in _NEEDS:
        bad |= done[:, step] & ~(done[:, needed] & (order[:, needed] < order[:, step]))
    return bad


def _too_early(done: np.ndarray, day: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Parcels whose consultation or decision comes earlier than the law allows, or whose decision may come
    after the notice expired (more than 365 days after it: then the per-parcel check decides)."""
    def dated(step: Step) -> np.ndarray:
        return done[:, _AT[step]] & (day[:, _AT[step]] > 0)

    consult, posted = day[:, _AT[Step.CONSULTATION]], day[:, _AT[Step.PLAN_POSTED]]
    decision, notice = day[:, _AT[Step.DECISION]], day[:, _AT[Step.NOTICE]]
    least = np.where(kinds == LAND_KINDS[1], NOTICE_MIN_DAYS[LAND_KINDS[1]], NOTICE_MIN_DAYS[LAND_KINDS[0]])
    both = dated(Step.DECISION) & dated(Step.NOTICE)
    return ((dated(Step.CONSULTATION) & dated(Step.PLAN_POSTED) & (consult < posted + PLAN_POSTED_DAYS))
            | (both & ((decision < notice + least) | (decision > notice + 365))))


def _each(values: np.ndarray, f: Callable[[int], int]) -> np.ndarray:
    """``f`` of each day ordinal, worked out once per distinct one."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([f(int(v)) for v in distinct], dtype=np.int64)[inverse] if len(distinct) else values


def _progress(done: np.ndarray, day: np.ndarray, at: date, s: ProcedureSettings) -> list[tuple]:
    """:func:`mapapp.clearance.procedure.progress` of parcels whose records pass every rule (rows as :func:`bulk_progress`)."""
    def dated(step: Step) -> np.ndarray:
        return done[:, _AT[step]] & (day[:, _AT[step]] > 0)

    def of(step: Step) -> np.ndarray:
        return day[:, _AT[step]]

    n, never = len(done), np.iinfo(np.int64).max
    # the working days counted from each dated anchor (1, a valid ordinal, where undated: not used)
    working = {anchor: _each(np.where(dated(anchor), of(anchor), 1),
                             lambda d, days=days: add_working_days(date.fromordinal(d), days, s.holidays).toordinal())
               for anchor, days in ((Step.CONSULTATION, s.appraisal_working_days), (Step.APPRAISAL, s.approval_working_days))}
    expiry = _each(np.where(dated(Step.NOTICE), of(Step.NOTICE), 1),
                   lambda d: add_months(date.fromordinal(d), NOTICE_VALID_MONTHS).toordinal())
    decision = np.where(dated(Step.APPROVAL), of(Step.APPROVAL) + DECISION_DAYS, never)
    decision = np.where(dated(Step.NOTICE), np.minimum(decision, expiry), decision)
    due = {  # the pending main steps' deadlines, in the order of the main steps (the first soonest wins)
        Step.CONSULTATION: np.where(dated(Step.PLAN_POSTED), of(Step.PLAN_POSTED) + PLAN_POSTED_DAYS + s.dialogue_days, never),
        Step.APPRAISAL: np.where(dated(Step.CONSULTATION), working[Step.CONSULTATION], never),
        Step.APPROVAL: np.where(dated(Step.APPRAISAL), working[Step.APPRAISAL], never),
        Step.PAYMENT: np.where(dated(Step.APPROVAL), of(Step.APPROVAL) + PAYMENT_DAYS, never),
        Step.DECISION: decision,
    }
    soonest, which = np.full(n, never), np.full(n, -1)
    for step, when in due.items():
        sooner = ~done[:, _AT[step]] & (when < soonest)
        soonest, which = np.where(sooner, when, soonest), np.where(sooner, _AT[step], which)
    main = done[:, _MAIN]
    last = np.where(main.any(axis=1), _MAIN[len(_MAIN) - 1 - np.argmax(main[:, ::-1], axis=1)], -1)
    following = np.where(~main.all(axis=1), _MAIN[np.argmax(~main, axis=1)], -1)
    last_day = np.where(last >= 0, day[np.arange(n), np.maximum(last, 0)], UNDATED)
    handover = done[:, _AT[Step.HANDOVER]]
    at_day = at.toordinal()
    out = []
    for h, l, ld, f, w, d in zip(handover.tolist(), last.tolist(), last_day.tolist(), following.tolist(), which.tolist(),
                                 soonest.tolist()):
        last_date = date.fromordinal(ld) if ld > 0 else None
        if h:
            out.append((Step.HANDOVER.value, last_date, None, None, None, False))
            continue
        out.append((STEPS[l].value if l >= 0 else None, last_date, STEPS[f].value if f >= 0 else None,
                    STEPS[w].value if w >= 0 else None, date.fromordinal(d) if w >= 0 else None, bool(w >= 0 and d < at_day)))
    return out
