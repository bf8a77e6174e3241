"""Checking one parcel's step records against the order rules and time limits of the procedure.

Records are the steps done on one parcel (:class:`mapapp.clearance.steps.StepRecord`).
:func:`check_steps` reads them in date order, refuses the first one that breaks an order
rule (:class:`mapapp.clearance.steps.ProcedureError` names the step and the rule) and returns
each step's legal or provincial deadline computed from the step before. Decree
102/2024/NĐ-CP Art. 40: a complaint does not suspend the procedure.

The 2018 sample predates the 2024 law (Land Law 2013 Art. 67 and 69 applied); the two
time limits it relies on (notice 90/180 days before the decision) are the same in both.
Records imported from an old-style status carry no date (``date=None``): they count as done
for order and status, and no deadline is computed from them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mapapp.clearance.deadlines import ProcedureSettings, _check_kind, _deadline, add_months
from mapapp.clearance.steps import (
    ENFORCEMENT_CONDITIONS,
    NOTICE_VALID_MONTHS,
    ORDER_RULES,
    STEPS,
    ProcedureError,
    Rule,
    Step,
    StepRecord,
    step_name,
    steps_named,
)
from mapapp.refusals import Reason


def _rule(step: Step) -> Rule:
    return next(r for r in ORDER_RULES if r.step == step)


@dataclass(frozen=True)
class CheckedStep:
    """A step as checked: its record, and its deadline (``due``) and lateness in days (0 when on time)."""

    record: StepRecord
    due: date | None
    days_late: int
    source: str


_STEP_INDEX = {step: i for i, step in enumerate(STEPS)}
#: :data:`ORDER_RULES` by the step they refuse, in their order.
_RULES_OF: dict[Step, tuple[Rule, ...]] = {step: tuple(r for r in ORDER_RULES if r.step == step) for step in STEPS}


def _order_key(r: StepRecord) -> tuple:
    return (r.date is not None, r.date or date.min, _STEP_INDEX[r.step])


def check_steps(records: Sequence[StepRecord], land_kind: str, settings: ProcedureSettings | None = None,
                require_documents: bool = False) -> list[CheckedStep]:
    """Check one parcel's step records in order; return them with their deadlines.

    Records are taken by date (undated ones first, in procedure order). Raises
    :class:`ProcedureError` naming the rule for the first record that: comes before a step
    it needs (:data:`ORDER_RULES`), repeats a step, comes earlier than the law allows
    (decision < 90/180 days after the notice; consultation < 30 days of posting;
    compulsory inventory < 15 days of persuasion), comes after the notice expired (12
    months, Art. 85(1)), or is an enforcement without all of Art. 89's conditions. A record
    for a parcel other than the first record's is refused (ValueError). A late step is
    accepted and returned with ``days_late`` > 0: lateness is flagged, not refused. There is
    no complaint step: a complaint does not suspend the procedure (Decree 102/2024/NĐ-CP Art. 40).
    A record whose document is dated after the step is refused; with ``require_documents`` a
    dated record without a document (type and number) is refused too (a new record, as
    opposed to an old import).
    """
    if not records:
        return []
    parcel = records[0].parcel_code
    s = settings or ProcedureSettings()
    done: dict[Step, date | None] = {}
    out: list[CheckedStep] = []
    for rec in sorted(records, key=_order_key):
        if rec.parcel_code != parcel:
            raise ValueError(f"step records of two parcels: {parcel} and {rec.parcel_code}")
        if rec.step in done:
            raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 87", Reason("procedure.repeated"))
        doc = rec.document
        if doc and doc.doc_date and rec.date and doc.doc_date > rec.date:
            raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 87",
                                 Reason("procedure.document_after", number=doc.number, doc_date=doc.doc_date, date=rec.date))
        if require_documents and rec.date and not (doc and doc.doc_type.strip() and doc.number.strip()):
            raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 87", Reason("procedure.needs_document"))
        for rule in _RULES_OF[rec.step]:
            met = [a for a in rule.after if a in done]
            if (not met) if rule.any_of else len(met) < len(rule.after):
                need = steps_named(rule.after, "or" if rule.any_of else "and")
                raise ProcedureError(rec.step, rule.source, Reason("procedure.needs_first", need=need))
            later = [a for a in met if rec.date and done[a] and done[a] > rec.date]
            if later and (not rule.any_of or len(later) == len(met)):
                raise ProcedureError(rec.step, rule.source, Reason("procedure.before", date=rec.date, step=step_name(later[0]),
                                                                   step_date=done[later[0]]))
        if rec.step == Step.INVENTORY and Step.PERSUASION in done and Step.COMPULSORY_INVENTORY not in done:
            raise ProcedureError(rec.step, _rule(Step.COMPULSORY_INVENTORY).source,
                                 Reason("procedure.compulsory"))
        if rec.step == Step.ENFORCEMENT:
            missing = sorted(ENFORCEMENT_CONDITIONS - rec.conditions)
            if missing:
                raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 89 khoản 2",
                                     Reason("procedure.enforcement", missing=", ".join(missing)))
        _check_kind(land_kind)
        dl = _deadline(rec.step, done, land_kind, s)
        due, late, source = None, 0, ""
        if dl is not None:
            due, source = dl.due, dl.source
            if rec.date and dl.earliest and rec.date < dl.earliest:
                raise ProcedureError(rec.step, dl.source, Reason("procedure.too_early", date=rec.date, earliest=dl.earliest))
            if rec.step == Step.DECISION and rec.date and done.get(Step.NOTICE):
                expiry = add_months(done[Step.NOTICE], NOTICE_VALID_MONTHS)
                if rec.date > expiry:
                    raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 85 khoản 1: thông báo có hiệu lực 12 tháng",
                                         Reason("procedure.notice_expired", expiry=expiry))
            if rec.date and due and rec.date > due:
                late = (rec.date - due).days
        done[rec.step] = rec.date
        out.append(CheckedStep(rec, due, late, source))
    return out
