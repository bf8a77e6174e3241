"""The progress of many parcels at once equals the per-parcel procedure's, refusals included (random records)."""
from __future__ import annotations

import random
from datetime import date as D
from datetime import timedelta

import pandas as pd
import pytest

from mapapp.clearance.procedure import (
    ProcedureError,
    ProcedureSettings,
    progress,
    progress_table,
)
from mapapp.clearance.progress_bulk import bulk_progress
from mapapp.clearance.step_rows import _records, _rows_by_parcel

AT = D(2025, 6, 30)
# a plausible schedule: days after the meeting
SCHEDULE = [("meeting", 0), ("notice", 10), ("inventory", 40), ("plan_posted", 60), ("consultation", 95), ("appraisal", 130),
            ("approval", 140), ("publication", 142), ("payment", 160), ("decision", 152), ("handover", 200)]


def parcel_rows(rng: random.Random, code: str) -> list[tuple]:
    """One parcel's step rows, most following the procedure, some breaking one of its rules."""
    start = D(2024, 1, 1) + timedelta(days=rng.randrange(0, 700))
    kept = rng.randrange(0, len(SCHEDULE) + 1)
    rows = [[code, step, (start + timedelta(days=d)).isoformat(), f"{code}/{step}", "", ""] for step, d in SCHEDULE[:kept]]
    if rng.random() < 0.25:  # an old-style parcel: undated steps
        for r in rows:
            r[2] = ""
    spoil = rng.random()
    if rows and spoil < 0.06:
        rng.choice(rows)[2] = ""
    elif rows and spoil < 0.12:
        rows.pop(rng.randrange(len(rows)))
    elif rows and spoil < 0.18:
        rows.append(list(rng.choice(rows)))
    elif rows and spoil < 0.24:
        r = rng.choice(rows)
        r[4] = (D.fromisoformat(r[2]) + timedelta(days=rng.choice([-3, 2]))).isoformat() if r[2] else "2024-01-01"
    elif rows and spoil < 0.30:
        rng.choice(rows)[2] = rng.choice(["2024-13-01", "soon", (start + timedelta(days=rng.randrange(-60, 400))).isoformat()])
    elif rows and spoil < 0.36:
        rng.choice(rows)[4] = rng.choice(["nope", "2024-02-30"])
    elif spoil < 0.44:
        extra = rng.choice(["persuasion", "compulsory_inventory", "deposit", "enforcement"])
        rows.append([code, extra, (start + timedelta(days=rng.randrange(0, 300))).isoformat(), f"{code}/{extra}", "",
                     rng.choice(["", "decision_in_force,persuasion_done,decision_posted,user_refuses"])])
    elif rows and spoil < 0.50:
        rng.choice(rows)[3] = ""
    elif spoil < 0.58:  # the decision late: near or past the notice's 12 months
        late = rng.randrange(150, 400)
        for r in rows:
            if r[1] in ("approval", "publication", "payment", "decision", "handover") and r[2]:
                r[2] = (D.fromisoformat(r[2]) + timedelta(days=late)).isoformat()
    return [tuple(r) for r in rows]


def one_by_one(code: str, rows: list[tuple], kind: str, at: D, settings: ProcedureSettings):
    """The per-parcel procedure's progress row, or the error it raises."""
    frame = pd.DataFrame(rows, columns=["parcel_code", "step", "date", "doc_number", "doc_date", "conditions"])
    try:
        p = progress(code, _records(code, _rows_by_parcel(frame).get(code, ())), kind, at, settings)
    except (ProcedureError, ValueError) as e:
        return type(e), str(e)
    return (p.last_step and p.last_step.value, p.last_date, p.next_step and p.next_step.value, p.due_step and p.due_step.value,
            p.next_due, p.overdue)


@pytest.mark.parametrize("seed", range(4))
def test_bulk_rows_and_refusals_are_the_per_parcel_ones(seed):
    rng = random.Random(seed)
    settings = ProcedureSettings(holidays=frozenset({D(2024, 9, 2), D(2025, 1, 1)}), approval_working_days=rng.choice([0, 5]))
    codes = [f"P{i:03d}" for i in range(300)]
    kinds = [rng.choice(["agricultural", "non_agricultural", "agricultural", "forest"]) for _ in codes]
    rows = {c: parcel_rows(rng, c) for c in codes}
    frame = pd.DataFrame([r for c in codes for r in rows[c]],
                         columns=["parcel_code", "step", "date", "doc_number", "doc_date", "conditions"])
    at = AT + timedelta(days=rng.randrange(-300, 300))
    common, bulk = bulk_progress(codes, kinds, frame, at, settings)
    expected = [one_by_one(c, rows[c], k, at, settings) for c, k in zip(codes, kinds)]
    assert common.sum() > 100  # the common case is worked out at once
    for c, ok, row, exp in zip(codes, common, bulk, expected):
        assert (row == exp) if ok else row is None, c
    for c, k, exp in zip(codes, kinds, expected):
        one = pd.DataFrame({"code": [c], "land_kind": [k]})
        if isinstance(exp, tuple) and isinstance(exp[0], type):
            with pytest.raises(exp[0]) as raised:
                progress_table(one, frame, at, settings)
            assert str(raised.value) == exp[1]
        else:
            assert tuple(progress_table(one, frame, at, settings).iloc[0, 1:]) == exp


def test_the_first_refused_parcel_raises_as_one_by_one():
    frame = pd.DataFrame([("A", "meeting", "2024-01-01"), ("B", "notice", "2024-02-01"), ("C", "handover", "")],
                         columns=["parcel_code", "step", "date"])
    with pytest.raises(ProcedureError, match="notice: needs meeting first"):
        progress_table(pd.DataFrame({"code": ["A", "B", "C"]}), frame, AT)
    with pytest.raises(ValueError, match="step 'later' of parcel A"):
        progress_table(pd.DataFrame({"code": ["A"]}), pd.concat([frame, pd.DataFrame([("A", "later", "")], columns=frame.columns)]), AT)

