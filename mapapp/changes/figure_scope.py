"""Which zones' clearance figures a change of features touches (:func:`declare_features`).

A zone's figures (:func:`mapapp.clearance.view.zone_figures`) read its land and status and its parcels'
land, zone and status, and their records; a write declares the zones whose figures it may change
(:func:`mapapp.store.figure_versions.declare`), and only those get a new figure version.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from mapapp.changes.plan import touches
from mapapp.store.figure_versions import declare, zones_of_parcels

#: The fields a zone's clearance figures read of zones and parcels, beside their geometry
#: (:func:`mapapp.clearance.view.zone_figures`: a zone's land and whether it is only proposed; a parcel's
#: zone and status). A parcel's owner, households and amounts, a zone's names, and every extra attribute are not read.
FIGURE_FIELDS = {"zones": frozenset({"code", "status"}), "clearance": frozenset({"code", "zone_code", "status"})}


def declare_features(conn: Connection, layer: str, plan: list[dict], retired: Iterable[str]) -> None:
    """Declare, in the write transaction ``conn``, the zones a change of ``layer``'s features (``plan``, the plan
    items of :mod:`mapapp.changes.plan`; ``retired``, codes) touches: a zone added, restored, retired, or whose
    land or a :data:`FIGURE_FIELDS` field changed; for a parcel so changed, its zone before and after; the zones
    of retired parcels. Lots and projects touch none (a lot's readiness is kept under a key of its own geometry,
    :mod:`mapapp.queries.lot_keys`); other layers declare nothing, so every zone gets a new epoch."""
    retired = list(retired)
    if layer in ("lots", "projects"):
        declare(conn, ())
    elif layer == "zones":
        declare(conn, [p["code"] for p in plan if touches(p, FIGURE_FIELDS[layer])] + retired)
    elif layer == "clearance":
        moved = [p for p in plan if touches(p, FIGURE_FIELDS[layer])]
        zones = {row.get("zone_code") for p in moved for row in (p.get("before"), p.get("after")) if row}
        declare(conn, zones | zones_of_parcels(conn, [p["code"] for p in moved] + retired))
