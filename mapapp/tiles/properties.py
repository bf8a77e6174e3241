"""What a tile says about each feature: public attributes only, as the map styles and filters by them.

Tiles are shared by every viewer (and may be cached by proxies), so they never carry a
personal field (:attr:`mapapp.layers.Field.personal`) nor extra attributes: a popup fetches the
feature's details from the feature API, which redacts for the viewer.
"""
from __future__ import annotations

import datetime as dt
import functools
import operator

import numpy as np
import pandas as pd
from sqlalchemy import Select, bindparam, func, select

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
# A tile reads its parcels' records this many parcels at a time (SQLite bounds the parameters of one
# statement): an overview tile of a dense area holds more, and reading every record of the province
# instead took 17 s at 100k parcels.
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
    kept = _kept_figures(store, rows, at)
    return (kept if kept is not None else _parcels_at(store, rows, at))[names]


def _kept_figures(store: Store, rows: pd.DataFrame, at: dt.date) -> pd.DataFrame | None:
    """The parcels' ``code, zone_code, status, step, overdue`` from their zones' figures when every one of those
    zones is kept under its current version (:func:`mapapp.queries.zone_figures.kept_by_zone`: memory or database,
    e.g. after ``mapapp figures warm``); None when one is not, or a parcel is not in its zone's figures."""
    from mapapp.queries import zone_figures

    zones = set(rows["zone_code"])
    if not all(isinstance(z, str) for z in zones):
        return None
    kept = zone_figures.kept_by_zone(store, zones, at)
    if len(kept) < len(zones):
        return None
    parcels = zone_figures.joined(kept, ("parcels",)).parcels
    codes = rows["code"].to_numpy(dtype=object)
    where = pd.Index(parcels["code"]).get_indexer(codes) if len(parcels) else np.full(len(codes), -1)
    if (where < 0).any():
        return None
    found = parcels.iloc[where]
    step = np.array(found["step"].to_numpy(dtype=object), dtype=object)  # a copy: frames read back are read-only
    step[pd.isna(step)] = None  # no step done: None, as a tile worked out for itself says (not NaN)
    return pd.DataFrame({"code": codes, "zone_code": rows["zone_code"].to_numpy(dtype=object),
                         "status": found["status"].to_numpy(dtype=object), "step": pd.Series(step, dtype=object),
                         "overdue": found["overdue"].astype("boolean").fillna(False).to_numpy(dtype=bool)})


def _parcels_at(store: Store, rows: pd.DataFrame, at: dt.date) -> pd.DataFrame:
    """Mirrors the parcel part of :func:`mapapp.clearance.view.clearance_figures` on a subset of parcels.

    A tile holds a few hundred parcels: the glue works on arrays and sets, and only the parcels that
    need it go through the derivations (each parcel's result depends on its own records only)."""
    from mapapp.analysis.clearance import parcel_status_at
    from mapapp.clearance.derive import derive_statuses
    from mapapp.clearance.procedure import progress_table
    from mapapp.queries.clearance import procedure_settings

    codes = rows["code"].to_numpy(dtype=object)
    status = rows["status"].to_numpy(dtype=object).copy()
    events, steps, complaints, kinds = _records(store, codes.tolist())
    if not events.empty:  # the status each parcel had at ``at`` (as mapapp.queries.layers.clearance_at)
        parcels = pd.DataFrame({"code": codes, "status": status, "paid_vnd": None})
        status = parcel_status_at(parcels, events, at)["status"].to_numpy(dtype=object).copy()
    # dates are text, "" when empty (:func:`_records`)
    recorded = ({c for c, d in zip(steps["parcel_code"], steps["date"]) if d.strip()}
                | {c for c, d in zip(complaints["parcel_code"], complaints["filed"]) if d.strip()})
    mask = np.fromiter((c in recorded for c in codes), dtype=bool, count=len(codes))
    if mask.any():
        derived = derive_statuses(codes[mask], steps, complaints if len(complaints) else None, at)
        status[mask] = derived.to_numpy()
    step = np.full(len(codes), None, dtype=object)
    overdue = np.zeros(len(codes), dtype=bool)
    # A parcel without step records has done no step and is not overdue: only the others are walked.
    stepped = set(steps["parcel_code"])
    with_steps = np.fromiter((c in stepped for c in codes), dtype=bool, count=len(codes))
    if with_steps.any():
        kind = dict(zip(kinds["parcel_code"], kinds["land_kind"]))
        subset = pd.DataFrame({"code": codes[with_steps], "land_kind": [kind.get(c) or "agricultural" for c in codes[with_steps]]})
        progress = progress_table(subset, steps, at, procedure_settings())
        step[with_steps] = progress["last_step"].to_numpy()
        overdue[with_steps] = progress["overdue"].to_numpy(dtype=bool)
    return pd.DataFrame({"code": codes, "zone_code": rows["zone_code"].to_numpy(dtype=object), "status": status,
                         "step": pd.Series(step, dtype=object), "overdue": overdue})


def _records(store: Store, codes: list[str]) -> tuple[pd.DataFrame, ...]:
    """These parcels' status history (date order), steps, complaints and land kinds, in one connection.

    Only the columns the attributes are derived from, into object columns (empty text ``""`` as
    :func:`mapapp.store.clearance_records.read_records` gives it), by statements built once: for a
    tile's few thousand rows, building the statements and pandas' row-wise frames cost more than the queries."""
    chunks = [codes[i:i + _IN_LIST_MAX] for i in range(0, len(codes), _IN_LIST_MAX)]
    frames = []
    with store.engine.connect() as conn:
        for name, query, columns in _record_queries():
            # chunks hold distinct parcels: each parcel's rows keep their order. fetchall, not iteration:
            # a row at a time cost half the read for a tile's few thousand step rows
            rows = [row for chunk in chunks for row in conn.execute(query, {"codes": chunk}).all()]
            if name == "steps":  # a parcel's steps in the table's order, by id (not ORDER BY: SQLite sorts in a temp B-tree)
                rows.sort(key=operator.itemgetter(0, len(columns)))
            cells = list(zip(*rows)) if rows else [()] * len(columns)
            frames.append(pd.DataFrame({c: np.array(v, dtype=object) for c, v in zip(columns, cells)}, dtype=object))
    return tuple(frames)


@functools.lru_cache(maxsize=1)
def _record_queries() -> list[tuple[str, Select, tuple[str, ...]]]:
    """(name, statement, the columns handed out) of :func:`_records`, for the parcels bound as ``codes``."""
    from mapapp.store import schema

    ev, st, co, kinds = schema.clearance_events, schema.clearance_steps, schema.complaints, schema.clearance_parcels
    # (name, table, columns, ORDER BY, whether NULL text is read as "": COALESCE in SQL, not a pass over the rows)
    wanted = [
        ("events", ev, ("parcel_code", "date", "status", "paid_vnd"), (ev.c.parcel_code, ev.c.date, ev.c.id), False),
        ("steps", st, _STEP_COLUMNS, (), True),
        ("complaints", co, ("parcel_code", "filed", "settled"), (co.c.parcel_code, co.c.code), True),
        ("kinds", kinds, ("parcel_code", "land_kind"), (kinds.c.parcel_code,), True),
    ]
    out = []
    for name, table, columns, order, texts in wanted:
        cells = [func.coalesce(table.c[c], "").label(c) if texts else table.c[c] for c in columns]
        query = select(*cells, *([table.c.id] if name == "steps" else [])).order_by(*order)
        query = query.where(table.c.parcel_code.in_(bindparam("codes", expanding=True)))
        out.append((name, query, columns))
    return out


# What a parcel's status, step and lateness depend on: a step's document counts by its number and date (a
# document dated after its step is refused); its type, signer, scan and the note do not change them, so they
# are not read (progress_table takes them as empty) and parcels differing only in them are worked out once.
_STEP_COLUMNS = ("parcel_code", "step", "date", "doc_number", "doc_date", "conditions")
