"""The blockers register of item 11 through the one write path: a new blocker, its state, its deadline.

Each change parses its values strictly, runs in one write transaction, checks the version the
writer read, keeps the change in the blocker's history (:mod:`mapapp.clearance.blockers`) and
writes an audit entry with before and after; a refusal (:class:`ChangeRefused`, one line naming
the blocker, the field and the reason) stores nothing.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import insert, update

from mapapp import clock
from mapapp.changes import journal
from mapapp.changes.clearance import _date, _text
from mapapp.changes.model import Actor
from mapapp.clearance import blockers as blk
from mapapp.errors import ChangeRefused, NotFound, VersionConflict
from mapapp.refusals import Choices, Reason, reason_of
from mapapp.store import clearance_records as records
from mapapp.store import figure_versions, schema
from mapapp.store.backend import Store

LAYER = "blockers"


def _summary(b: blk.Blocker) -> dict:
    return {"state": b.state, "deadline": b.deadline.isoformat(), "task": b.task, "unit": b.unit, "leader": b.leader}


def add_blocker(store: Store, actor: Actor, *, code: Any, kind: Any, subject: Any, task: Any, deadline: Any, unit: Any,
                leader: Any, opened: Any = None, problem: Any = None, holds_up: Any = (), zone_code: Any = None) -> blk.Blocker:
    """A new blocker (state ``open``); ``opened`` defaults to today. Raises :class:`ChangeRefused`."""
    c = _text(code, LAYER, "", "code", required=True, max_length=64)
    b = blk.Blocker(
        c, _text(kind, LAYER, c, "kind", required=True), _text(subject, LAYER, c, "subject", required=True, max_length=64),
        _text(problem, LAYER, c, "problem", max_length=1000), _text(task, LAYER, c, "task", required=True, max_length=1000),
        _date(deadline, LAYER, c, "deadline", required=True), _text(unit, LAYER, c, "unit", required=True),
        _text(leader, LAYER, c, "leader", required=True), _date(opened, LAYER, c, "opened") or clock.today(), "open",
        tuple(_text(h, LAYER, c, "holds_up", max_length=64) for h in (holds_up or ()) if h),
        _text(zone_code, LAYER, c, "zone_code", max_length=64) or None)
    try:
        blk.check_blocker(b)
    except ValueError as exc:
        params = reason_of(exc).params
        raise ChangeRefused(params["reason"], layer=LAYER, code=c, field=params["field"]) from None
    with store.writing() as conn:
        if records.read_blockers(conn, c):
            raise ChangeRefused(Reason("blocker.exists"), layer=LAYER, code=c, field="code")
        records.write_blockers(conn, [b])
        stamp = clock.stamp()
        conn.execute(update(schema.blockers).where(schema.blockers.c.code == c).values(changed_at=stamp, changed_by=actor.name))
        journal.write(conn, [journal.entry(journal.new_change_id(), actor, "blocker", layer=LAYER, code=c,
                                           after={**_summary(b), "kind": b.kind, "subject": b.subject, "holds_up": list(b.holds_up)})])
        figure_versions.declare(conn, ())  # the register is not in the clearance figures
        store._set_meta(conn, "data_changed_at", stamp)
    return b


def _change(store: Store, code: str, actor: Actor, if_version: int | None, apply) -> blk.Blocker:
    with store.writing() as conn:
        found = records.read_blockers(conn, code)
        if not found:
            raise NotFound(Reason("notfound.blocker", code=repr(code)))
        b, version = found[0]
        if if_version is not None and version != int(if_version):
            raise VersionConflict(LAYER, code, version, None, None)
        try:
            new = apply(b)
        except ValueError as exc:
            raise ChangeRefused(reason_of(exc).params["reason"], layer=LAYER, code=code, field="state") from None
        stamp = clock.stamp()
        conn.execute(update(schema.blockers).where(schema.blockers.c.code == code).values(
            state=new.state, deadline=new.deadline.isoformat(), version=version + 1, changed_at=stamp, changed_by=actor.name))
        conn.execute(insert(schema.blocker_history), [records.history_row(code, new.history[-1])])
        journal.write(conn, [journal.entry(journal.new_change_id(), actor, "blocker", layer=LAYER, code=code,
                                           before=_summary(b), after=_summary(new))])
        figure_versions.declare(conn, ())  # the register is not in the clearance figures
        store._set_meta(conn, "data_changed_at", stamp)
    return dataclasses.replace(new)


def set_blocker_state(store: Store, code: Any, state: Any, actor: Actor, *, on: Any = None, note: Any = None,
                      by: Any = None, if_version: int | None = None) -> blk.Blocker:
    """Move a blocker to ``state`` (open, in_progress, resolved) on ``on`` (default today), kept in its history.

    ``by``: the role that decided it (default: the blocker's leader). Raises :class:`ChangeRefused`
    (a move :data:`blk.TRANSITIONS` does not allow, a date before the last change), :class:`NotFound`,
    :class:`VersionConflict`.
    """
    c = _text(code, LAYER, "", "code", required=True, max_length=64)
    s = _text(state, LAYER, c, "state", required=True, max_length=16)
    if s not in blk.STATES:
        raise ChangeRefused(Reason("value.not_choice", value=repr(s), choices=Choices("state", tuple(blk.STATES))), layer=LAYER, code=c, field="state")
    day = _date(on, LAYER, c, "on") or clock.today()
    remark = _text(note, LAYER, c, "note", max_length=1000)
    role = _text(by, LAYER, c, "by")
    return _change(store, c, actor, if_version, lambda b: blk.change_state(b, s, day, role or b.leader, remark))


def reschedule_blocker(store: Store, code: Any, deadline: Any, note: Any, actor: Actor, *, on: Any = None,
                       by: Any = None, if_version: int | None = None) -> blk.Blocker:
    """Give a blocker a new deadline with its reason (required), the old one kept in its history."""
    c = _text(code, LAYER, "", "code", required=True, max_length=64)
    new = _date(deadline, LAYER, c, "deadline", required=True)
    day = _date(on, LAYER, c, "on") or clock.today()
    remark = _text(note, LAYER, c, "note", required=True, max_length=1000)
    role = _text(by, LAYER, c, "by")
    return _change(store, c, actor, if_version, lambda b: blk.reschedule(b, new, day, role or b.leader, remark))
