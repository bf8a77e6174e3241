"""Which zones' clearance figures a write changed: versions kept in the database's ``meta`` table.

The clearance figures of a zone (its parcels' status, step, deadlines and forecast; its cleared
blocks and share) depend only on the zone, its parcels and their records, and on the province's
all-zones paces, which only dated steps move (:func:`mapapp.clearance.view.zone_figures`). So a
write says which zones it touched (:func:`declare`, in its transaction) and, when it commits its
change (``Store._set_meta(conn, "data_changed_at", …)``), :func:`changed` gives those zones a new
version (``zone_figures:<code>``, a random id) and, for dated steps, the steps a new version
(``figures_steps``). A write that declares nothing gives every zone a new epoch
(``figures_epoch``): whatever it changed, no figure is kept from before it. Versions live in the
database, so every app process reading it agrees on them (nothing in-process can disagree).
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, insert, select

from mapapp.store import schema

#: ``conn.info`` key of the current write transaction's declared scope (reset by ``write_transaction``).
SCOPE_KEY = "mapapp_figure_scope"
EPOCH = "figures_epoch"
STEPS = "figures_steps"
ZONE_PREFIX = "zone_figures:"



@dataclass(frozen=True)
class Versions:
    """The figures' versions as stored: ``epoch``, ``steps`` and each touched zone's (others: None)."""

    epoch: str | None
    steps: str | None
    zones: dict[str, str] = field(default_factory=dict)

    def zone(self, code: str) -> str | None:
        return self.zones.get(code)


def declare(conn: Connection, zones: Iterable[str | None], steps: bool = False) -> None:
    """This write transaction changes the figures of ``zones`` only (and the all-zones paces when ``steps``:
    dated steps were written). May be called several times; the scopes add up."""
    scope = conn.info.setdefault(SCOPE_KEY, {"zones": set(), "steps": False})
    scope["zones"] |= {z for z in zones if z}
    scope["steps"] = scope["steps"] or steps


def declared(conn: Connection) -> set[str]:
    """The zones the current write transaction declared so far (:func:`declare`; empty when none)."""
    return set(conn.info.get(SCOPE_KEY, {}).get("zones", ()))


def zones_of_parcels(conn: Connection, codes: Iterable[str]) -> set[str]:
    """The zone codes of parcels (retired ones too), read in the transaction."""
    table = schema.layer_tables["clearance"]
    codes = list(dict.fromkeys(codes))
    found: set[str] = set()
    for i in range(0, len(codes), 500):
        found |= {r[0] for r in conn.execute(select(table.c.zone_code).where(table.c.code.in_(codes[i:i + 500])))}
    return found


def changed(conn: Connection) -> None:
    """The transaction's change is committed: new versions for what it declared, else a new epoch."""
    scope = conn.info.pop(SCOPE_KEY, None)
    keys = [EPOCH] if scope is None else [ZONE_PREFIX + z for z in sorted(scope["zones"])] + ([STEPS] if scope["steps"] else [])
    if not keys:
        return
    for i in range(0, len(keys), 500):
        conn.execute(delete(schema.meta).where(schema.meta.c.key.in_(keys[i:i + 500])))
    conn.execute(insert(schema.meta), [{"key": k, "value": uuid.uuid4().hex} for k in keys])


def read(conn: Connection) -> Versions:
    """The stored versions (one query)."""
    m = schema.meta
    rows = conn.execute(select(m.c.key, m.c.value).where(
        (m.c.key == EPOCH) | (m.c.key == STEPS) | m.c.key.startswith(ZONE_PREFIX))).all()
    values = dict(rows)
    zones = {k.removeprefix(ZONE_PREFIX): v for k, v in values.items() if k.startswith(ZONE_PREFIX)}
    return Versions(values.get(EPOCH), values.get(STEPS), zones)
