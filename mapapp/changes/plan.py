"""What a change does, feature by feature: the stored rows it is checked against and each edit's plan item.

A plan item (a dict) holds the feature's code, its ``outcome`` (``added``, ``changed``, ``restored``,
``unchanged``), its row ``before`` and ``after``, the ``columns`` that differ, whether its geometry changed
(with the old WKB) and its warnings. Refusals name the layer, the feature and the field (:class:`ChangeRefused`).
"""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, select

from mapapp.changes.added import plan_added
from mapapp.changes.model import Edit
from mapapp.changes.rules import check_feature, feature_warnings
from mapapp.errors import ChangeRefused, NotFound, VersionConflict
from mapapp.layers import LAYERS, Layer
from mapapp.refusals import Reason
from mapapp.refusals.labels import layer_names
from mapapp.store import schema

# Reading a few features by code beats reading the layer; past this many, read the layer.
IN_LIST_LIMIT = 500
STATE_COLUMNS = ("version", "retired_at", "changed_at", "changed_by")


def current_rows(conn: Connection, layer: str, codes: list[str], whole_layer: bool) -> dict[str, dict]:
    """Stored rows (spec fields, props, WKB geometry, version state) by code, read in the write transaction."""
    spec = LAYERS[layer]
    table = schema.layer_tables[layer]
    columns = [table.c[n] for n in (*spec.field_names, "props", "geom", *STATE_COLUMNS)]
    rows: list[dict] = []
    if whole_layer or len(codes) > IN_LIST_LIMIT:
        rows = [dict(r) for r in conn.execute(select(*columns)).mappings()]
    elif codes:
        rows = [dict(r) for r in conn.execute(select(*columns).where(table.c.code.in_(codes))).mappings()]
    return {r["code"]: r for r in rows}


def zone_codes(conn: Connection, layer: str, edits: list[Edit], current: dict[str, dict]) -> set[str]:
    """The codes a feature's ``zone_code`` may name, among those the change's features name (an edit's value, or
    the stored row's in ``current``): the active zones, and the zones this change writes. Only the named codes are
    looked up (one edit names one or two; all of them past :data:`IN_LIST_LIMIT`)."""
    table = schema.layer_tables["zones"]
    named = {e.values["zone_code"] for e in edits if "zone_code" in e.values}
    named |= {current[e.code].get("zone_code") for e in edits if e.code in current}
    named = {z for z in named if isinstance(z, str)}
    query = select(table.c.code).where(table.c.retired_at.is_(None))
    if len(named) <= IN_LIST_LIMIT:
        query = query.where(table.c.code.in_(sorted(named)))
    known = {r[0] for r in conn.execute(query)} if named else set()
    if layer == "zones":
        known |= {e.code for e in edits}
    return known


def touches(item: dict, fields: Collection[str]) -> bool:
    """Whether a plan item (``outcome``, ``columns``, ``geom_changed``) may change what is worked out of its
    feature's geometry and ``fields``: a feature added or restored, moved, or with one of ``fields`` changed."""
    if item["outcome"] in ("added", "restored"):
        return True
    return item["outcome"] == "changed" and (item["geom_changed"] or any(c in fields for c in item["columns"]))


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def plain(value: Any) -> Any:
    """A numpy scalar as its Python value (what the database driver and the audit's JSON take); others as they are."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def plan_edits(spec: Layer, edits: list[Edit], current: dict[str, dict], zones: set[str]) -> list[dict]:
    """Each edit's plan item, in order: the features not stored yet planned column by column
    (:func:`plan_added`), the others one by one; all one by one when an addition would be refused,
    so that the refusal is the first problem's, as it always was."""
    new = [i for i, e in enumerate(edits) if e.code not in current]
    added = plan_added(spec, [edits[i] for i in new], zones) if new else []
    if added is None:
        return [plan_one(spec, e, current.get(e.code), zones) for e in edits]
    by_index = dict(zip(new, added))
    return [by_index[i] if i in by_index else plan_one(spec, e, current[e.code], zones) for i, e in enumerate(edits)]


def refuse_retiring_used_zones(conn: Connection, retire: list[str]) -> None:
    """A zone that active features still lie in cannot be retired (they would point at nothing)."""
    for name, spec in LAYERS.items():
        if "zone_code" not in spec.field_names:
            continue
        table = schema.layer_tables[name]
        row = conn.execute(select(table.c.code, table.c.zone_code).where(
            table.c.zone_code.in_(retire), table.c.retired_at.is_(None)).limit(1)).first()
        if row:
            raise ChangeRefused(
                Reason("change.zone_in_use", zone=repr(row.zone_code)),
                layer=name, code=row.code, field="zone_code")


def plan_one(spec: Layer, edit: Edit, stored: dict | None, zones: set[str]) -> dict:
    """What one edit does: its row after, the columns that change, its warnings and outcome."""
    code = edit.code
    unknown = [k for k in edit.values if k not in spec.field_names]
    if unknown:
        raise ChangeRefused(Reason("change.unknown_attribute", names=", ".join(spec.field_names)), layer=spec.name, code=code, field=unknown[0])
    if "code" in edit.values and edit.values["code"] != code:
        raise ChangeRefused(Reason("change.code_fixed"), layer=spec.name, code=code, field="code")
    if stored is None:
        if edit.geometry is None:
            raise NotFound(Reason("notfound.feature", code=repr(code), layer=layer_names(spec.name)))
        before = None
        after = {name: plain(edit.values.get(name)) for name in spec.field_names} | {"code": code}
        props = dict(edit.props or {})
    else:
        if edit.if_version is not None and int(stored["version"] or 1) != int(edit.if_version):
            raise VersionConflict(spec.name, code, int(stored["version"] or 1), stored.get("changed_by"), stored.get("changed_at"))
        before = {name: stored[name] for name in spec.field_names}
        after = {**before, **{k: plain(v) for k, v in edit.values.items()}}
        props = dict(stored["props"] or {}) if edit.props is None else dict(edit.props)
    for f in spec.fields:
        if f.required and after.get(f.name) is None:
            raise ChangeRefused(Reason("value.required_empty"), layer=spec.name, code=code, field=f.name)
    check_feature(spec, code, after)
    if "zone_code" in spec.field_names and after.get("zone_code") is not None and after["zone_code"] not in zones:
        raise ChangeRefused(Reason("change.unknown_zone", zone=repr(after["zone_code"])), layer=spec.name, code=code, field="zone_code")
    if stored is None:
        return {"code": code, "outcome": "added", "before": None, "after": after, "props": props,
                "geometry": edit.geometry, "columns": list(spec.field_names), "geom_changed": True, "warnings": []}
    geom_wkb = None if edit.geometry is None else shapely.to_wkb(edit.geometry)
    columns = [n for n in spec.field_names if not _same(before[n], after[n])]
    props_changed = props != (stored["props"] or {})
    geom_changed = geom_wkb is not None and bytes(geom_wkb) != bytes(stored["geom"])
    restored = stored["retired_at"] is not None
    changed = bool(columns or props_changed or geom_changed or restored)
    outcome = "restored" if restored else ("changed" if changed else "unchanged")
    return {
        "code": code, "outcome": outcome, "before": before, "after": after, "props": props if props_changed else None,
        "old_props": stored["props"] or {}, "geometry": edit.geometry if geom_changed else None,
        "old_geom": stored["geom"] if geom_changed else None, "columns": columns, "geom_changed": geom_changed,
        "warnings": feature_warnings(spec, code, before, after) if changed else [],
    }
