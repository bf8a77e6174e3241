"""The blockers register of item 11, and the leaders' "what is late this week" list.

Item 11 of notice 19/TB-VP.UBND (5 Feb 2018) asks for a plan to settle the land-clearance
blockages and the enterprises' problems "naming the tasks, the time to carry them out and
finish them, and one leader of the board who follows the progress in detail". A blocker is
that plan's line: what is blocked (a parcel, a household, a project or an enterprise's
problem) and what it holds up, the task to settle it, its deadline, the unit responsible,
the one leader following it — named by role (``Phó Trưởng ban phụ trách GPMB``), never by a
personal name — its state and its history (every change dated, with who made it, by role).

A blocker is overdue on a date when it is not resolved and its deadline is before that date.
The late list joins the overdue blockers' tasks and the parcels' overdue steps (from
:func:`mapapp.clearance.procedure.progress_table`). Dates are always passed in.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd

from mapapp.clearance.procedure import LABELS, Step, authority
from mapapp.refusals import Choices, Reason

KINDS = ("parcel", "household", "project", "enterprise")
STATES = ("open", "in_progress", "resolved")
#: state → the states it may move to (a resolved blocker may be reopened).
TRANSITIONS = {"open": {"in_progress", "resolved"}, "in_progress": {"open", "resolved"}, "resolved": {"open"}}
#: The board's leaders, by role (the default register; a province passes its own).
LEADER_ROLES = (
    "Trưởng ban",
    "Phó Trưởng ban phụ trách GPMB",
    "Phó Trưởng ban phụ trách đầu tư",
    "Phó Trưởng ban phụ trách quy hoạch, xây dựng",
)
DEFAULT_LEADER = "Phó Trưởng ban phụ trách GPMB"
LATE_COLUMNS = ["kind", "code", "subject", "zone_code", "what", "due", "days_late", "responsible", "leader", "new_this_week"]


@dataclass(frozen=True)
class Change:
    """One line of a blocker's history: on ``on``, ``by`` (a role) set ``field`` from ``previous`` to ``value``."""

    on: date
    field: str
    value: str
    previous: str
    note: str = ""
    by: str = ""


@dataclass(frozen=True)
class Blocker:
    """A blocker of the register (see the module). ``holds_up``: codes of the projects or lots it blocks."""

    code: str
    kind: str
    subject: str
    problem: str
    task: str
    deadline: date
    unit: str
    leader: str
    opened: date
    state: str = "open"
    holds_up: tuple[str, ...] = ()
    zone_code: str | None = None
    history: tuple[Change, ...] = ()


def check_blocker(b: Blocker, leader_roles: Iterable[str] = LEADER_ROLES) -> Blocker:
    """Return ``b`` when it is complete; else raise ValueError naming the blocker and the field."""
    roles = tuple(leader_roles)
    problems = [
        ("kind", b.kind not in KINDS, lambda: Reason("value.not_choice", value=repr(b.kind), choices=Choices("kind", tuple(KINDS)))),
        ("state", b.state not in STATES, lambda: Reason("value.not_choice", value=repr(b.state), choices=Choices("state", tuple(STATES)))),
        ("leader", b.leader not in roles, lambda: Reason("blocker.not_leader", value=repr(b.leader), roles="; ".join(roles))),
        ("task", not b.task.strip(), lambda: Reason("blocker.no_task")),
        ("unit", not b.unit.strip(), lambda: Reason("blocker.no_unit")),
        ("subject", not b.subject.strip(), lambda: Reason("blocker.no_subject")),
        ("deadline", b.deadline < b.opened, lambda: Reason("blocker.deadline_before_opened", deadline=b.deadline, opened=b.opened)),
    ]
    for name, bad, why in problems:
        if bad:  # the reason and the field are the Reason's params: the write path names them in the UI's language
            raise ValueError(Reason("blocker.field", code=b.code, field=name, reason=why()))
    return b


def _last_change(b: Blocker) -> date:
    return max([b.opened] + [c.on for c in b.history])


def _before_last(b: Blocker, on: date) -> Reason:
    return Reason("blocker.refused", code=b.code, reason=Reason("blocker.before_last", on=on, last=_last_change(b)))


def change_state(b: Blocker, state: str, on: date, by: str, note: str = "") -> Blocker:
    """``b`` moved to ``state`` on ``on``, the change kept in its history.

    Raises ValueError for a move :data:`TRANSITIONS` does not allow, or a date before the
    blocker's last change.
    """
    if state not in TRANSITIONS.get(b.state, set()):
        raise ValueError(Reason("blocker.refused", code=b.code, reason=Reason("blocker.transition", old=b.state, new=state)))
    if on < _last_change(b):
        raise ValueError(_before_last(b, on))
    return replace(b, state=state, history=b.history + (Change(on, "state", state, b.state, note, by),))


def reschedule(b: Blocker, deadline: date, on: date, by: str, note: str) -> Blocker:
    """``b`` with a new deadline, the old one kept in its history. A reason (``note``) is required."""
    if not note.strip():
        raise ValueError(Reason("blocker.refused", code=b.code, reason=Reason("blocker.needs_reason")))
    if on < _last_change(b):
        raise ValueError(_before_last(b, on))
    return replace(b, deadline=deadline, history=b.history + (Change(on, "deadline", deadline.isoformat(), b.deadline.isoformat(), note, by),))


def _value_on(b: Blocker, field: str, current: str, at: date) -> str:
    """A field's value on ``at``: the history's last change by then, else the value before its first change."""
    changes = sorted((c for c in b.history if c.field == field), key=lambda c: c.on)
    done = [c for c in changes if c.on <= at]
    if done:
        return done[-1].value
    return changes[0].previous if changes else current


def state_on(b: Blocker, at: date) -> str:
    """The blocker's state as it was on ``at`` (read from its history)."""
    return _value_on(b, "state", b.state, at)


def deadline_on(b: Blocker, at: date) -> date:
    """The blocker's deadline as it was on ``at`` (read from its history)."""
    return date.fromisoformat(_value_on(b, "deadline", b.deadline.isoformat(), at))


def is_overdue(b: Blocker, at: date) -> bool:
    """On ``at``: opened, not resolved, and its deadline (as it then was) before ``at``."""
    return b.opened <= at and state_on(b, at) != "resolved" and deadline_on(b, at) < at


def late_list(progress: pd.DataFrame, blockers: Iterable[Blocker], at: date, zone_of: Mapping[str, str] | None = None,
              week_days: int = 7, default_leader: str = DEFAULT_LEADER) -> pd.DataFrame:
    """What is late on ``at``: overdue steps and overdue blocker tasks, most late first.

    progress: :func:`mapapp.clearance.procedure.progress_table` at ``at`` (columns
    ``parcel_code, due_step, next_due, overdue``); blockers: the register (their state and
    deadline as of ``at`` are read from history); zone_of: parcel code → zone code.
    Returns :data:`LATE_COLUMNS`: ``kind`` (``step`` | ``task``), ``code`` (parcel or blocker),
    ``subject``, ``zone_code``, ``what`` (Vietnamese), ``due``, ``days_late`` (> 0),
    ``responsible`` (for a step: the authority as of ``at``; for a task: the unit),
    ``leader`` (a role: the blocker's, or for a step the leader of an unresolved blocker on the
    parcel, else ``default_leader``), ``new_this_week`` (the due date fell in the
    ``week_days`` before ``at``).
    """
    zones = zone_of or {}
    open_blockers = [b for b in blockers if b.opened <= at and state_on(b, at) != "resolved"]
    leader_of = {b.subject: b.leader for b in sorted(open_blockers, key=lambda b: b.code) if b.kind == "parcel"}
    rows = []
    late = progress[progress["overdue"].astype(bool)]
    for code, step, due in zip(late["parcel_code"], late["due_step"], late["next_due"]):
        rows.append(("step", code, code, zones.get(code), LABELS[Step(step)][0], due, (at - due).days,
                     authority(Step(step), at).vi, leader_of.get(code, default_leader)))
    for b in open_blockers:
        deadline = deadline_on(b, at)
        if deadline < at:
            rows.append(("task", b.code, b.subject, b.zone_code or zones.get(b.subject), b.task, deadline,
                         (at - deadline).days, b.unit, b.leader))
    out = pd.DataFrame(rows, columns=LATE_COLUMNS[:-1], dtype=object)
    out["days_late"] = out["days_late"].astype(int)
    out["new_this_week"] = [due >= at - timedelta(days=week_days) for due in out["due"]]
    return out.sort_values(["days_late", "kind", "code"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def blockers_frame(blockers: Iterable[Blocker], at: date) -> pd.DataFrame:
    """The register as a table at ``at`` (state and deadline as they then were; blockers opened later left out):
    one row a blocker with ``overdue`` (bool) and ``holds_up`` (comma-separated)."""
    rows = [{"code": b.code, "kind": b.kind, "subject": b.subject, "zone_code": b.zone_code, "problem": b.problem,
             "task": b.task, "deadline": deadline_on(b, at), "unit": b.unit, "leader": b.leader, "state": state_on(b, at),
             "opened": b.opened, "holds_up": ",".join(b.holds_up), "overdue": is_overdue(b, at)} for b in blockers if b.opened <= at]
    return pd.DataFrame(rows, columns=["code", "kind", "subject", "zone_code", "problem", "task", "deadline", "unit",
                                       "leader", "state", "opened", "holds_up", "overdue"])


def format_late(late: pd.DataFrame, at: date, lang: str = "vi") -> list[str]:
    """The late list as lines of text for the command line (``mapapp clearance late``), most late first.

    One heading line, then ``code  due  days late  what — responsible — leader``; a ``*`` marks what
    fell due this week. ``lang``: ``vi`` (dd/mm/yyyy) or ``en`` (ISO dates).
    """
    fmt = (lambda d: d.strftime("%d/%m/%Y")) if lang == "vi" else (lambda d: d.isoformat())
    head = (f"Việc quá hạn đến ngày {fmt(at)}: {len(late)}" if lang == "vi" else f"Late on {fmt(at)}: {len(late)}")
    unit = "ngày" if lang == "vi" else "days"
    lines = [head]
    for r in late.itertuples(index=False):
        star = "*" if r.new_this_week else " "
        lines.append(f"{star} {r.code:<12} {fmt(r.due)}  {r.days_late:>4} {unit}  {r.what} — {r.responsible} — {r.leader}")
    return lines
