"""Keeping the stored conflicts current after a change: only the conflicts of the changed features.

A write that changes a few features (an edit, a revert, a step that moves a parcel's status, a
small import) calls :func:`update_conflicts` in its transaction:

1. the changed features' stored conflicts are found: a conflict's geometry lies within each of
   its features except a zone judged by ``zone_code`` (outside_zone, land_use_mismatch,
   lot_in_proposed_zone: the lot's or project's part), so a box query around each feature's
   *old* geometry, plus ``zone_code`` for changed zones, gives every candidate; their codes decide;
2. those are deleted;
3. the changed features as they are now and every feature that can pair with them are read
   (:mod:`mapapp.analysis.conflicts.incremental`: boxes around the *new* geometry; a lot's or
   project's zone by code; a zone's lots and projects by ``zone_code``) and their conflicts inserted.

The result equals a full recompute (tests/store/test_conflict_sync.py checks it after random edit
sequences on both backends). Past ``Store.full_recompute_above`` changed features, or
:data:`MAX_PLACES` separate places to read around them, the full recompute is cheaper and is run instead.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, delete, func, or_, select

from mapapp import clock
from mapapp.analysis.conflicts import LayerColumns
from mapapp.analysis.conflicts.incremental import (
    CONFLICT_LAYERS,
    SPATIAL_PARTNERS,
    Key,
    conflicts_involving,
    search_boxes,
    with_twins,
)
from mapapp.store import conflict_counts, schema, spatial
from mapapp.store.conflict_rows import insert_conflicts
from mapapp.store.rule_inputs import read_rule_inputs

if TYPE_CHECKING:
    from mapapp.store.backend import Store

# Past this many changed features one full recompute beats reading each one's surroundings
# (measured: bench/bench_edit.py). Store(full_recompute_above=…) / MAPAPP_CONFLICTS_FULL_ABOVE.
FULL_RECOMPUTE_ABOVE = 2000
# Past this many separate places to read (boxes of changed features that do not overlap, changed zones)
# the reads cost more than the full recompute: a spreadsheet of statuses scattered over the province.
MAX_PLACES = 100
_IN_CHUNK = 500  # codes per IN (...) list
_BOX_CHUNK = 200  # boxes per OR of box conditions


def update_conflicts(
    store: Store,
    conn: Connection,
    changed: Mapping[str, Iterable[str]],
    old_geometry: Mapping[Key, bytes | None] | None = None,
) -> int:
    """Recompute, in ``conn``'s transaction, the conflicts of the features ``changed`` ({layer: codes}).

    Call it after the change is written. ``old_geometry``: WKB (WGS84) of a changed feature's
    geometry before the change, ``None`` for a feature that did not exist; a feature not in it
    kept its geometry. Layers that take no part in conflicts are ignored. Returns the number of
    stored conflicts.
    """
    keys = {(layer, str(code)) for layer, codes in changed.items() if layer in CONFLICT_LAYERS for code in codes}
    if not keys:
        return _count(conn)
    if len(keys) > store.full_recompute_above:
        return store.recompute_conflicts(conn)
    keys = with_twins(keys)
    now = _stored_features(conn, keys)
    active = {k: row for k, row in now.items() if row["retired_at"] is None}
    places = len(search_boxes(shapely.from_wkb(np.asarray([row["geom"] for row in active.values()], dtype=object))))
    if places + sum(layer == "zones" for layer, _ in active) > MAX_PLACES:
        return store.recompute_conflicts(conn)
    old = dict(old_geometry or {})
    before = [old[k] if k in old else now[k]["geom"] for k in keys if k in old or k in now]
    stale = _stored_conflicts_of(conn, keys, [g for g in before if g is not None])
    deleted = conflict_counts.zones_and_types(conn, stale)
    for i in range(0, len(stale), _IN_CHUNK):
        conn.execute(delete(schema.conflicts).where(schema.conflicts.c.id.in_(stale[i:i + _IN_CHUNK])))
    frames = _surroundings(conn, active)
    found = conflicts_involving(frames["zones"], frames["lots"], frames["clearance"], frames["projects"], keys,
                                tolerance_m2=store.tolerance_m2, tolerance_m=store.tolerance_m)
    insert_conflicts(conn, found)
    # the zones' conflict counts' readers count again only when these differ (mapapp.store.conflict_counts)
    conflict_counts.unchanged(conn, deleted, zip([None if pd.isna(z) else z for z in found["zone_code"]], found["type"]))
    store._set_meta(conn, "conflicts_computed_at", clock.stamp())
    return _count(conn)


def _count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(schema.conflicts)).scalar_one()


def _stored_features(conn: Connection, keys: set[Key]) -> dict[Key, dict]:
    """The changed features as stored now (code, zone_code, geom, retired_at), by key; absent if never stored."""
    out: dict[Key, dict] = {}
    for layer in CONFLICT_LAYERS:
        codes = sorted(code for name, code in keys if name == layer)
        table = schema.layer_tables[layer]
        cols = [table.c.code, table.c.geom, table.c.retired_at]
        if "zone_code" in table.c:
            cols.append(table.c.zone_code)
        for i in range(0, len(codes), _IN_CHUNK):
            for row in conn.execute(select(*cols).where(table.c.code.in_(codes[i:i + _IN_CHUNK]))).mappings():
                out[(layer, row["code"])] = dict(row)
    return out


def _stored_conflicts_of(conn: Connection, keys: set[Key], old_wkb: list[bytes]) -> list[str]:
    """Ids of the stored conflicts one of whose features is in ``keys`` (see the module, step 1)."""
    table = schema.conflicts
    boxes = search_boxes(shapely.from_wkb(np.asarray(old_wkb, dtype=object))) if old_wkb else np.empty((0, 4))
    dialect = conn.dialect.name
    where = [spatial.boxes_filter(table, boxes[i:i + _BOX_CHUNK].tolist(), dialect) for i in range(0, len(boxes), _BOX_CHUNK)]
    zones = sorted(code for layer, code in keys if layer == "zones")
    where += [table.c.zone_code.in_(zones[i:i + _IN_CHUNK]) for i in range(0, len(zones), _IN_CHUNK)]
    wanted = {(layer, code.strip()) for layer, code in keys}  # the analysis strips codes
    ids: set[str] = set()
    for clause in where:
        for cid, codes, layers in conn.execute(select(table.c.id, table.c.codes, table.c.layers).where(clause)):
            if any(member in wanted for member in zip(layers, codes)):
                ids.add(cid)
    return sorted(ids)


def _surroundings(conn: Connection, active: dict[Key, dict]) -> dict[str, LayerColumns | None]:
    """Per layer, the active changed features and every feature that can pair with one (module, step 3):
    one indexed query per layer, reading only the columns the rules judge and the stored metric geometry
    (EPSG:5897, so nothing is reprojected). Candidates by box are enough: a feature read that pairs with
    none changes nothing."""
    dialect = conn.dialect.name
    geoms = {k: shapely.from_wkb(row["geom"]) for k, row in active.items()}
    zone_codes = sorted({row.get("zone_code") for (layer, _), row in active.items() if layer in ("lots", "projects")} - {None, ""})
    changed_zones = sorted(code for layer, code in active if layer == "zones")
    out: dict[str, LayerColumns | None] = {}
    for layer in CONFLICT_LAYERS:
        table = schema.layer_tables[layer]
        near = [g for (name, _), g in geoms.items() if layer == name or layer in SPATIAL_PARTNERS[name]]
        boxes = search_boxes(np.asarray(near, dtype=object)).tolist() if near else []
        where = [spatial.boxes_filter(table, boxes[i:i + _BOX_CHUNK], dialect) for i in range(0, len(boxes), _BOX_CHUNK)]
        if layer == "zones" and zone_codes:
            where.append(table.c.code.in_(zone_codes))
        if layer in ("lots", "projects") and changed_zones:
            where.append(table.c.zone_code.in_(changed_zones))
        out[layer] = read_rule_inputs(conn, layer, or_(*where)) if where else None
    return out
