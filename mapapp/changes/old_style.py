"""Parcels written the old way (``owner``, ``households``, one of the five statuses) as clearance records.

Called by :func:`mapapp.changes.features.apply_features` in the same transaction as the change of
the clearance layer (an import, ``mapapp set``, a PATCH, a revert), so a parcel and its records
never disagree:

- a parcel added without any record gets one household named by its owner (or a placeholder),
  linked to it, and undated steps consistent with its status (a ``disputed`` one an open
  complaint): :func:`mapapp.clearance.derive.from_old_parcel`;
- a parcel whose records are all undated (inferred that way) and whose status changes gets the
  steps of its new status instead;
- a parcel with dated steps has its status derived from them: a status written by hand is refused,
  naming the parcel (record the step instead).
"""
from __future__ import annotations

from sqlalchemy import Connection, and_, delete, insert, select

from mapapp.changes import journal
from mapapp.changes.model import Actor
from mapapp.clearance.derive import INFERRED_NOTE, from_old_parcel
from mapapp.errors import ChangeRefused
from mapapp.refusals import Reason
from mapapp.store import schema


def _steps_of(conn: Connection, codes: list[str]) -> dict[str, list[str | None]]:
    t = schema.clearance_steps
    out: dict[str, list[str | None]] = {}
    for i in range(0, len(codes), 500):
        for code, day in conn.execute(select(t.c.parcel_code, t.c.date).where(t.c.parcel_code.in_(codes[i:i + 500]))):
            out.setdefault(code, []).append(day)
    return out


def _linked(conn: Connection, codes: list[str]) -> set[str]:
    t = schema.household_parcels
    found: set[str] = set()
    for i in range(0, len(codes), 500):
        found |= {r[0] for r in conn.execute(select(t.c.parcel_code).where(t.c.parcel_code.in_(codes[i:i + 500])))}
    return found


def _seed(conn: Connection, code: str, status: str, owner: str | None, households: int | None, with_household: bool) -> dict:
    rec = from_old_parcel(code, status, owner, households)
    if with_household:
        hh = rec["household"]
        exists = conn.execute(select(schema.households.c.code).where(schema.households.c.code == hh["code"])).first()
        if exists is None:
            conn.execute(insert(schema.households).values(**hh, note="", version=1))
        conn.execute(insert(schema.household_parcels).values(**rec["link"]))
    steps = [{"parcel_code": code, "step": r.step.value, "date": None, "note": r.note} for r in rec["steps"]]
    if steps:
        conn.execute(insert(schema.clearance_steps), steps)
    for n, c in enumerate(rec["complaints"], start=1):
        conn.execute(insert(schema.complaints).values(code=f"{code}-KN{n}", parcel_code=code, household_code=c["household_code"],
                                                      filed=None, settled=None, summary=c["summary"]))
    return {"status": status, "steps": [s["step"] for s in steps], "household": rec["household"]["code"] if with_household else None}


def sync_old_style(conn: Connection, plan: list[dict], actor: Actor, change_id: str) -> list[dict]:
    """Records for the clearance parcels of ``plan`` (see the module); returns their audit entries.

    ``plan``: :func:`mapapp.changes.features.apply_features`'s items (``code, outcome, before, after``).
    Raises :class:`ChangeRefused` for a status written on a parcel with dated steps.
    """
    added = [p for p in plan if p["outcome"] == "added"]
    moved = [p for p in plan if p["outcome"] in ("changed", "restored") and p["before"] is not None
             and p["before"]["status"] != p["after"]["status"]]
    if not added and not moved:
        return []
    codes = [p["code"] for p in added + moved]
    steps = _steps_of(conn, codes)
    linked = _linked(conn, codes)
    entries = []
    for p in moved:
        days = steps.get(p["code"], [])
        if any(d for d in days):
            raise ChangeRefused(Reason("change.status_derived"),
                                layer="clearance", code=p["code"], field="status")
    for p in moved:
        code = p["code"]
        conn.execute(delete(schema.clearance_steps).where(schema.clearance_steps.c.parcel_code == code))
        conn.execute(delete(schema.complaints).where(and_(schema.complaints.c.parcel_code == code,
                                                          schema.complaints.c.summary == INFERRED_NOTE)))
        after = _seed(conn, code, p["after"]["status"], p["after"].get("owner"), p["after"].get("households"), code not in linked)
        entries.append(journal.entry(change_id, actor, "derive", layer="clearance_steps", code=code,
                                     before={"status": p["before"]["status"], "steps": []}, after=after))
    for p in added:
        code = p["code"]
        if code in steps or code in linked:
            continue
        after = _seed(conn, code, p["after"]["status"], p["after"].get("owner"), p["after"].get("households"), True)
        entries.append(journal.entry(change_id, actor, "derive", layer="clearance_steps", code=code, after=after))
    return entries
