"""Clearance work through the one write path: a step with its document, a payment, a household.

Each service parses its values strictly (:mod:`mapapp.values`), runs in one write
transaction (:meth:`Store.writing`), checks the stored version the writer read, and
writes an audit entry with the values before and after (:mod:`mapapp.changes.journal`).
A refusal raises :class:`ChangeRefused` on one line naming the record, the field and the
reason (for a step out of order: the article of the Land Law 2024 it breaks) and stores
nothing. A step also keeps the parcel's stored ``status`` (the old five, derived from the
steps, :func:`mapapp.clearance.derive.status_from_steps`) and its event history in step, so
the map, the dashboard and the date control agree with the steps.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from mapapp import clock
from mapapp.changes import journal
from mapapp.changes.figures_after import keep_touched
from mapapp.changes.model import Actor
from mapapp.clearance.derive import status_from_steps
from mapapp.clearance.procedure import (
    AGRICULTURAL,
    ENFORCEMENT_CONDITIONS,
    Document,
    ProcedureError,
    Step,
    StepRecord,
    check_steps,
)
from mapapp.clearance.steps import step_name
from mapapp.errors import ChangeRefused, NotFound, VersionConflict
from mapapp.refusals import Choices, Reason, reason_of
from mapapp.store import figure_versions, schema
from mapapp.store.backend import Store
from mapapp.values import is_missing, parse_date, parse_number, parse_text

STEP_LAYER = "clearance_steps"


def _text(value: Any, layer: str, code: str, field: str, required: bool = False, max_length: int = 300) -> str:
    if is_missing(value):
        if required:
            raise ChangeRefused(Reason("value.required"), layer=layer, code=code, field=field)
        return ""
    try:
        return parse_text(value, max_length)
    except ValueError as exc:
        raise ChangeRefused(reason_of(exc), layer=layer, code=code, field=field) from None


def _date(value: Any, layer: str, code: str, field: str, required: bool = False) -> dt.date | None:
    if is_missing(value):
        if required:
            raise ChangeRefused(Reason("value.date_required"), layer=layer, code=code, field=field)
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ChangeRefused(reason_of(exc), layer=layer, code=code, field=field) from None


def _amount(value: Any, layer: str, code: str, field: str) -> float | None:
    if is_missing(value):
        return None
    try:
        number = parse_number(value)
    except ValueError as exc:
        raise ChangeRefused(reason_of(exc), layer=layer, code=code, field=field) from None
    if number < 0:
        raise ChangeRefused(Reason("value.negative", number=number), layer=layer, code=code, field=field)
    return number


def _parcel(conn: Connection, code: str, if_version: int | None) -> dict:
    table = schema.layer_tables["clearance"]
    row = conn.execute(select(table.c.code, table.c.status, table.c.paid_vnd, table.c.version, table.c.changed_at,
                              table.c.changed_by, table.c.retired_at).where(table.c.code == code)).mappings().first()
    if row is None or row["retired_at"] is not None:
        raise NotFound(Reason("notfound.parcel", code=repr(code)))
    version = int(row["version"] or 1)
    if if_version is not None and version != int(if_version):
        raise VersionConflict("clearance", code, version, row["changed_by"], row["changed_at"])
    return dict(row)


def _stored_records(conn: Connection, code: str) -> list[StepRecord]:
    t = schema.clearance_steps
    out = []
    for r in conn.execute(select(t).where(t.c.parcel_code == code).order_by(t.c.id)).mappings():
        doc = Document(r["doc_type"], r["doc_number"], dt.date.fromisoformat(r["doc_date"]) if r["doc_date"] else None,
                       r["signer"], r["scan"]) if r["doc_number"] else None
        out.append(StepRecord(code, Step(r["step"]), dt.date.fromisoformat(r["date"]) if r["date"] else None, doc,
                              frozenset(c for c in (r["conditions"] or "").split(",") if c), r["note"] or ""))
    return out


def _land_kind(conn: Connection, code: str) -> str:
    t = schema.clearance_parcels
    return conn.execute(select(t.c.land_kind).where(t.c.parcel_code == code)).scalar() or AGRICULTURAL


def _complaint_open(conn: Connection, code: str, on: dt.date) -> bool:
    t = schema.complaints
    for filed, settled in conn.execute(select(t.c.filed, t.c.settled).where(t.c.parcel_code == code)):
        if (not filed or filed <= on.isoformat()) and (not settled or settled > on.isoformat()):
            return True
    return False


def _sync_status(conn: Connection, parcel: dict, records: Iterable[StepRecord], on: dt.date, actor: Actor, stamp: str) -> dict:
    """The parcel's stored status set to the one its steps give on ``on`` (an event dated ``on`` when it changes);
    its version bumped. Returns the audit ``before``/``after`` of the parcel row."""
    done = [r.step for r in records if r.date is None or r.date <= on]
    status = status_from_steps(done, _complaint_open(conn, parcel["code"], on))
    table = schema.layer_tables["clearance"]
    values = {"version": int(parcel["version"] or 1) + 1, "changed_at": stamp, "changed_by": actor.name}
    if status != parcel["status"]:
        values["status"] = status
        conn.execute(insert(schema.clearance_events).values(parcel_code=parcel["code"], date=on.isoformat(), status=status,
                                                            paid_vnd=parcel["paid_vnd"]))
    conn.execute(update(table).where(table.c.code == parcel["code"]).values(**values))
    return {"status": status}


def record_step(store: Store, parcel_code: str, step: Any, on: Any, actor: Actor, *, doc_type: Any = None,
                doc_number: Any = None, doc_date: Any = None, signer: Any = None, scan: Any = None,
                conditions: Iterable[str] = (), note: Any = None, if_version: int | None = None) -> int:
    """Record that ``step`` was done on parcel ``parcel_code`` on ``on``, with its document (type and number
    required; its date defaults to the step's). Returns the parcel's new version.

    The parcel's steps with the new one are checked by :func:`mapapp.clearance.procedure.check_steps`
    (order, earliest dates, notice validity, Art. 89's conditions for enforcement, a document for each
    new step): a step out of order is refused naming the rule. Raises :class:`ChangeRefused`,
    :class:`NotFound`, :class:`VersionConflict` (the form was opened on an older version of the
    parcel); nothing is stored then. ``conditions``: for enforcement, the Art. 89 conditions that hold.
    """
    code = _text(parcel_code, STEP_LAYER, "", "parcel_code", required=True, max_length=64)
    raw_step = _text(step, STEP_LAYER, code, "step", required=True, max_length=32)
    try:
        the_step = Step(raw_step)
    except ValueError:
        raise ChangeRefused(Reason("step.unknown", value=repr(raw_step), steps=", ".join(s.value for s in Step)),
                            layer=STEP_LAYER, code=code, field="step") from None
    when = _date(on, STEP_LAYER, code, "date", required=True)
    dtype = _text(doc_type, STEP_LAYER, code, "doc_type", required=True)
    number = _text(doc_number, STEP_LAYER, code, "doc_number", required=True, max_length=100)
    ddate = _date(doc_date, STEP_LAYER, code, "doc_date") or when
    who = _text(signer, STEP_LAYER, code, "signer")
    scan_ref = _text(scan, STEP_LAYER, code, "scan", max_length=500) or None
    remark = _text(note, STEP_LAYER, code, "note", max_length=1000)
    conds = frozenset(c.strip() for c in conditions if c and c.strip())
    unknown = sorted(conds - ENFORCEMENT_CONDITIONS)
    if unknown:
        raise ChangeRefused(Reason("step.unknown_condition", value=repr(unknown[0]), conditions=", ".join(sorted(ENFORCEMENT_CONDITIONS))),
                            layer=STEP_LAYER, code=code, field="conditions")
    if when > clock.today():
        raise ChangeRefused(Reason("step.future", day=when), layer=STEP_LAYER, code=code, field="date")
    record = StepRecord(code, the_step, when, Document(dtype, number, ddate, who, scan_ref), conds, remark)
    with store.writing() as conn:
        parcel = _parcel(conn, code, if_version)
        stored = _stored_records(conn, code)
        try:
            check_steps(stored + [record], _land_kind(conn, code))
        except ProcedureError as exc:
            why = Reason("step.refused", step=step_name(exc.step), message=exc.message, rule=exc.rule)
            raise ChangeRefused(why, layer=STEP_LAYER, code=code, field="step") from None
        stamp = clock.stamp()
        row = {"parcel_code": code, "step": the_step.value, "date": when.isoformat(), "doc_type": dtype, "doc_number": number,
               "doc_date": ddate.isoformat(), "signer": who, "scan": scan_ref, "conditions": ",".join(sorted(conds)),
               "note": remark, "recorded_at": stamp, "recorded_by": actor.name}
        conn.execute(insert(schema.clearance_steps).values(**row))
        before = {"status": parcel["status"]}
        latest = max([when, *(r.date for r in stored if r.date)])
        after = _sync_status(conn, parcel, stored + [record], latest, actor, stamp)
        if after != before:  # the parcel's lot_on_uncleared_land / project_on_uncleared_land conflicts follow
            store.update_conflicts(conn, {"clearance": [code]})
        change = journal.new_change_id()
        journal.write(conn, [
            journal.entry(change, actor, "step", layer=STEP_LAYER, code=code, before=None,
                          after={k: v for k, v in row.items() if k not in ("recorded_at", "recorded_by")}),
            *([journal.entry(change, actor, "update", layer="clearance", code=code, before=before, after=after)]
              if after != before else []),
        ])
        zones = figure_versions.zones_of_parcels(conn, [code])
        figure_versions.declare(conn, zones, steps=True)
        store._set_meta(conn, "data_changed_at", stamp)
    keep_touched(store, zones)
    return int(parcel["version"] or 1) + 1


PAYMENT_LAYER = "payments"


def record_payment(store: Store, parcel_code: Any, household_code: Any, actor: Actor, *, approved_vnd: Any = None,
                   approval_date: Any = None, paid_vnd: Any = None, paid_date: Any = None, deposited_vnd: Any = None,
                   deposit_date: Any = None) -> dict:
    """Record a household's compensation on a parcel: amount approved (and when), paid or deposited (and when).

    The due date is 30 days after the approval (Land Law 2024 Art. 94(1)); paid late, the interest
    of Art. 94(2) is computed (:func:`mapapp.clearance.procedure.late_interest`). The household must
    hold the parcel. Returns the stored row. Raises :class:`ChangeRefused` or :class:`NotFound`;
    nothing is stored then.
    """
    from mapapp.clearance.procedure import PAYMENT_DAYS, late_interest

    code = _text(parcel_code, PAYMENT_LAYER, "", "parcel_code", required=True, max_length=64)
    hh = _text(household_code, PAYMENT_LAYER, code, "household_code", required=True, max_length=64)
    where = f"{code}/{hh}"
    approved = _amount(approved_vnd, PAYMENT_LAYER, where, "approved_vnd")
    approved_on = _date(approval_date, PAYMENT_LAYER, where, "approval_date")
    paid, paid_on = _amount(paid_vnd, PAYMENT_LAYER, where, "paid_vnd"), _date(paid_date, PAYMENT_LAYER, where, "paid_date")
    deposited = _amount(deposited_vnd, PAYMENT_LAYER, where, "deposited_vnd")
    deposit_on = _date(deposit_date, PAYMENT_LAYER, where, "deposit_date")
    for amount, day, field in ((approved, approved_on, "approval_date"), (paid, paid_on, "paid_date"), (deposited, deposit_on, "deposit_date")):
        if amount and day is None:
            raise ChangeRefused(Reason("payment.needs_date"), layer=PAYMENT_LAYER, code=where, field=field)
    if (paid or deposited) and not approved:
        raise ChangeRefused(Reason("payment.before_approval"),
                            layer=PAYMENT_LAYER, code=where, field="approved_vnd")
    for day, field in ((paid_on, "paid_date"), (deposit_on, "deposit_date")):
        if day and approved_on and day < approved_on:
            raise ChangeRefused(Reason("payment.before_approval_date", day=day, approved_on=approved_on), layer=PAYMENT_LAYER, code=where, field=field)
    if (paid or 0) + (deposited or 0) > (approved or 0):
        raise ChangeRefused(Reason("payment.exceeds"), layer=PAYMENT_LAYER, code=where, field="paid_vnd")
    due = approved_on + dt.timedelta(days=PAYMENT_DAYS) if approved_on else None
    settled_on = paid_on or deposit_on
    interest = late_interest((paid or 0) + (deposited or 0), due, settled_on) if due and settled_on else 0.0
    row = {"parcel_code": code, "household_code": hh, "approved_vnd": approved,
           "approval_date": approved_on.isoformat() if approved_on else None, "due_date": due.isoformat() if due else None,
           "paid_vnd": paid, "paid_date": paid_on.isoformat() if paid_on else None, "deposited_vnd": deposited,
           "deposit_date": deposit_on.isoformat() if deposit_on else None, "interest_vnd": interest}
    with store.writing() as conn:
        _parcel(conn, code, None)
        links = schema.household_parcels
        if conn.execute(select(links.c.household_code).where(links.c.household_code == hh, links.c.parcel_code == code)).first() is None:
            raise ChangeRefused(Reason("payment.not_holder", household=hh, parcel=code), layer=PAYMENT_LAYER, code=where, field="household_code")
        t = schema.payments
        old = conn.execute(select(t).where(t.c.parcel_code == code, t.c.household_code == hh)).mappings().first()
        stamp = clock.stamp()
        if old is None:
            conn.execute(insert(t).values(**row, recorded_at=stamp, recorded_by=actor.name))
        else:
            conn.execute(update(t).where(t.c.id == old["id"]).values(**row, recorded_at=stamp, recorded_by=actor.name))
        before = None if old is None else {k: old[k] for k in row}
        journal.write(conn, [journal.entry(journal.new_change_id(), actor, "payment", layer=PAYMENT_LAYER, code=where,
                                           before=before, after=row)])
        figure_versions.declare(conn, ())  # payments are not in the figures
        store._set_meta(conn, "data_changed_at", stamp)
    return row


HOUSEHOLD_LAYER = "households"
HOUSEHOLD_KINDS = ("household", "organisation")


def add_household(store: Store, code: Any, name: Any, parcels: Iterable[Any], actor: Actor, *, kind: Any = "household",
                  members: Any = None, lookup_code: Any = None, note: Any = None) -> dict:
    """Add a household (or organisation) holding ``parcels`` (at least one, each an active parcel).

    ``lookup_code``: the code the board gives the household to look its own file up (6–32 letters or
    digits, unique). Returns the stored row. Raises :class:`ChangeRefused` (a code already used, an
    unknown parcel, a bad value) or :class:`NotFound`; nothing is stored then.
    """
    hh = _text(code, HOUSEHOLD_LAYER, "", "code", required=True, max_length=64)
    row = {"code": hh, "name": _text(name, HOUSEHOLD_LAYER, hh, "name", required=True),
           "kind": _text(kind, HOUSEHOLD_LAYER, hh, "kind") or "household",
           "lookup_code": (_text(lookup_code, HOUSEHOLD_LAYER, hh, "lookup_code", max_length=32) or None),
           "note": _text(note, HOUSEHOLD_LAYER, hh, "note", max_length=1000), "members": None}
    if row["kind"] not in HOUSEHOLD_KINDS:
        raise ChangeRefused(Reason("value.not_choice", value=repr(row["kind"]), choices=Choices("kind", HOUSEHOLD_KINDS)),
                            layer=HOUSEHOLD_LAYER, code=hh, field="kind")
    if not is_missing(members):
        try:
            row["members"] = int(parse_number(members))
        except ValueError as exc:
            raise ChangeRefused(reason_of(exc), layer=HOUSEHOLD_LAYER, code=hh, field="members") from None
    lookup = row["lookup_code"]
    if lookup is not None and not (6 <= len(lookup) <= 32 and lookup.isalnum()):
        raise ChangeRefused(Reason("household.lookup_format"), layer=HOUSEHOLD_LAYER, code=hh, field="lookup_code")
    if lookup is not None:
        row["lookup_code"] = lookup.upper()
    codes = sorted({_text(p, HOUSEHOLD_LAYER, hh, "parcels", required=True, max_length=64) for p in parcels})
    if not codes:
        raise ChangeRefused(Reason("household.no_parcel"), layer=HOUSEHOLD_LAYER, code=hh, field="parcels")
    with store.writing() as conn:
        t = schema.households
        if conn.execute(select(t.c.code).where(t.c.code == hh)).first() is not None:
            raise ChangeRefused(Reason("household.exists"), layer=HOUSEHOLD_LAYER, code=hh, field="code")
        if lookup is not None and conn.execute(select(t.c.code).where(t.c.lookup_code == row["lookup_code"])).first() is not None:
            raise ChangeRefused(Reason("household.lookup_taken"), layer=HOUSEHOLD_LAYER, code=hh, field="lookup_code")
        for p in codes:
            try:
                _parcel(conn, p, None)
            except NotFound:
                raise ChangeRefused(Reason("household.unknown_parcel", parcel=repr(p)), layer=HOUSEHOLD_LAYER, code=hh, field="parcels") from None
        stamp = clock.stamp()
        conn.execute(insert(t).values(**row, version=1, changed_at=stamp, changed_by=actor.name))
        conn.execute(insert(schema.household_parcels), [{"household_code": hh, "parcel_code": p} for p in codes])
        journal.write(conn, [journal.entry(journal.new_change_id(), actor, "household", layer=HOUSEHOLD_LAYER, code=hh,
                                           after={**row, "parcels": codes})])
        figure_versions.declare(conn, ())  # households are not in the figures
        store._set_meta(conn, "data_changed_at", stamp)
    return {**row, "parcels": codes}
