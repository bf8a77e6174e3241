"""What a tile says about each feature: public attributes only, as the map styles and filters by them.

Tiles are shared by every viewer (and may be cached by proxies), so they never carry a
personal field (:attr:`mapapp.layers.Field.personal`) nor extra attributes: a popup fetches the
feature's details from the feature API, which redacts for the viewer.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from mapapp.layers import LAYERS
from mapapp.store.backend import Store

#: Attributes each tiled layer's features carry, in this order.
TILE_PROPERTIES: dict[str, tuple[str, ...]] = {
    "lots": ("code", "zone_code", "land_use", "status"),
    "clearance": ("code", "zone_code", "status", "step", "overdue"),
}
#: The attributes an overview tile keeps (what the map colours and filters by).
MERGE_BY: dict[str, tuple[str, ...]] = {
    "lots": ("status",),
    "clearance": ("step", "status", "overdue"),
}
# Above this many parcels a tile reads the clearance records whole rather than by an IN list
# (SQLite's limit of bound parameters).
_IN_LIST_MAX = 5000

for _layer, _names in TILE_PROPERTIES.items():
    assert not set(_names) & set(LAYERS[_layer].personal_fields), f"a personal field in {_layer} tiles"


def stored_columns(layer: str) -> tuple[str, ...]:
    """The stored columns a layer's tile properties are computed from."""
    return {"lots": TILE_PROPERTIES["lots"], "clearance": ("code", "zone_code", "status")}[layer]


def tile_properties(store: Store, layer: str, rows: pd.DataFrame, at: dt.date) -> pd.DataFrame:
    """The tile attributes of ``rows`` (a frame with :func:`stored_columns`), one row each, same order.

    Lots: their stored ``code, zone_code, land_use, status``. Parcels: ``code, zone_code`` and, at ``at``,
    ``status`` (derived from dated step/complaint records, else from the status history), ``step``
    (the last step done, None before the first) and ``overdue`` (bool) — the same values
    :func:`mapapp.queries.layers.layer_view` gives, computed for these parcels only.
    """
    names = list(TILE_PROPERTIES[layer])
    if layer == "lots" or rows.empty:
        out = rows.reindex(columns=names).reset_index(drop=True)
        if layer == "clearance":
            out["overdue"] = out["overdue"].astype(bool)
        return out
    return _parcels_at(store, rows, at)[names]


def _parcels_at(store: Store, rows: pd.DataFrame, at: dt.date) -> pd.DataFrame:
    """Mirrors the parcel part of :func:`mapapp.clearance.view.clearance_figures` on a subset of parcels."""
    from mapapp.analysis.clearance import parcel_status_at
    from mapapp.clearance.derive import derive_statuses
    from mapapp.clearance.procedure import progress_table
    from mapapp.queries.clearance import procedure_settings

    parcels = rows[["code", "zone_code", "status"]].assign(paid_vnd=None).reset_index(drop=True)
    codes = parcels["code"].tolist()
    events, steps, complaints, kinds = _records(store, codes)
    if not events.empty:  # the status each parcel had at ``at`` (as mapapp.queries.layers.clearance_at)
        parcels = parcel_status_at(parcels, events, at)
    if len(codes) > _IN_LIST_MAX:
        wanted = set(codes)
        steps = steps[steps["parcel_code"].isin(wanted)]
        complaints = complaints[complaints["parcel_code"].isin(wanted)]
        kinds = kinds[kinds["parcel_code"].isin(wanted)]
    dated = steps["date"].notna() & (steps["date"].astype(str).str.strip() != "")
    filed = complaints["filed"].notna() & (complaints["filed"].astype(str).str.strip() != "")
    recorded = set(steps.loc[dated, "parcel_code"]) | set(complaints.loc[filed, "parcel_code"])
    status = parcels["status"].to_numpy(dtype=object).copy()
    if recorded:
        derived = derive_statuses(parcels["code"], steps, complaints if len(complaints) else None, at)
        mask = parcels["code"].isin(recorded).to_numpy()
        status[mask] = derived.reindex(parcels["code"][mask].to_numpy()).to_numpy()
    out = pd.DataFrame({"code": parcels["code"].to_numpy(), "zone_code": parcels["zone_code"].to_numpy(),
                        "status": status, "step": None, "overdue": False})
    # A parcel without step records has done no step and is not overdue: only the others are walked.
    with_steps = out["code"].isin(set(steps["parcel_code"])).to_numpy()
    if with_steps.any():
        kind = dict(zip(kinds["parcel_code"], kinds["land_kind"]))
        subset = out.loc[with_steps, ["code"]].assign(land_kind=[kind.get(c) or "agricultural" for c in out.loc[with_steps, "code"]])
        progress = progress_table(subset.reset_index(drop=True), steps, at, procedure_settings())
        out.loc[with_steps, "step"] = progress["last_step"].to_numpy()
        out.loc[with_steps, "overdue"] = progress["overdue"].to_numpy()
    out["overdue"] = out["overdue"].astype(bool)
    return out


def _records(store: Store, codes: list[str]) -> tuple[pd.DataFrame, ...]:
    """These parcels' status history (date order), steps, complaints and land kinds, in one connection
    (every parcel's when there are many: SQLite bounds the parameters of one statement)."""
    from sqlalchemy import select

    from mapapp.store import clearance_records, schema

    subset = codes if len(codes) <= _IN_LIST_MAX else None
    ev = schema.clearance_events
    query = select(ev.c.parcel_code, ev.c.date, ev.c.status, ev.c.paid_vnd).order_by(ev.c.parcel_code, ev.c.date, ev.c.id)
    if subset is not None:
        query = query.where(ev.c.parcel_code.in_(subset))
    with store.engine.connect() as conn:
        result = conn.execute(query)
        events = pd.DataFrame(result.fetchall(), columns=["parcel_code", "date", "status", "paid_vnd"])
        tables = [clearance_records.read_records(conn, name, subset) for name in ("steps", "complaints", "clearance_parcels")]
    return (events, *tables)
