"""Features a change adds, as the columns of their table rows and as their audit entries.

Built column by column, with no frame and no dict per cell in between: an import of 10⁵ new
features spent more on turning them into a frame, rows, and columns again than SQLite spends
storing them. The rows are those :func:`mapapp.store.records.layer_records` gives for a frame of
the same features (spec fields, search text, geometry columns, extra attributes in ``props``).
"""
from __future__ import annotations

import numpy as np
import shapely

from mapapp.changes import journal
from mapapp.changes.model import Actor, Edit
from mapapp.layers import Layer
from mapapp.store.records import geometry_rows, python_values
from mapapp.text import search_columns
from mapapp.values import MAX_DATE, MIN_DATE


def _plain(column: list) -> list:
    """Numpy scalars as the Python values they hold (as a frame column gives them); a column holding none
    (an import's: its values come from a frame's columns) as it is, told by the kinds of value it holds."""
    if not any(issubclass(kind, np.generic) for kind in set(map(type, column))):
        return column
    return [v.item() if isinstance(v, np.generic) else v for v in column]


def _breaks_a_rule(spec: Layer, columns: dict[str, list]) -> bool:
    """Whether some feature breaks a rule of :func:`mapapp.changes.rules.check_feature`, column by column."""
    if "planned_start" in columns and "planned_end" in columns and any(
            start and end and str(start) > str(end) for start, end in zip(columns["planned_start"], columns["planned_end"])):
        return True
    low, high = MIN_DATE.isoformat(), MAX_DATE.isoformat()
    return any(value and not low <= str(value) <= high for f in spec.fields if f.type == "date" for value in columns[f.name])


def plan_added(spec: Layer, edits: list[Edit], zones: set[str]) -> list[dict] | None:
    """The plan items of ``edits`` (features not stored yet) as the per-feature planner
    (``features._plan_one``) gives them, checked column by column; None when some edit would be
    refused (an unknown field, a changed code, no geometry, an empty required value, a broken rule, an
    unknown zone): the per-feature planner then finds the first and refuses it, naming it."""
    names = spec.field_names
    known = set(names)
    if any(e.geometry is None or not e.values.keys() <= known or e.values.get("code", e.code) != e.code for e in edits):
        return None
    columns = {name: _plain([e.values.get(name) for e in edits]) for name in names}
    columns["code"] = [e.code for e in edits]
    if any(v is None for f in spec.fields if f.required for v in columns[f.name]) or _breaks_a_rule(spec, columns):
        return None
    if "zone_code" in columns and not {z for z in columns["zone_code"] if z is not None} <= zones:
        return None
    return [{"code": e.code, "outcome": "added", "before": None, "after": dict(zip(names, row)), "props": dict(e.props or {}),
             "geometry": e.geometry, "columns": list(names), "geom_changed": True, "warnings": []}
            for e, row in zip(edits, zip(*columns.values()))]


def _objects(values: list) -> np.ndarray:
    """Scalars or geometries as a 1-D object array, each as it is (python_values of an array, not a list:
    it skips a pandas Series per column)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _props(spec: Layer, adds: list[dict]) -> list[dict]:
    """Each feature's extra attributes without the missing ones, keys in the order they first appear in
    the change (a frame's columns), values as a frame column gives them (see :func:`python_values`)."""
    extra = list(dict.fromkeys(k for p in adds for k in p["props"] if k not in spec.field_names))
    if not extra:
        return [{} for _ in adds]
    columns = [python_values([p["props"].get(k) for p in adds]) for k in extra]
    return [{k: v for k, v in zip(extra, row) if v is not None} for row in zip(*columns)]


def added_rows(spec: Layer, adds: list[dict], actor: Actor, stamp: str, change_id: str,
               reverts: int | None) -> tuple[dict[str, list], journal.EntryColumns]:
    """(columns to insert into the layer's table, audit entries as columns) of the planned additions ``adds``.

    ``adds``: plan items (``after`` typed values of every spec field, ``props`` extra attributes,
    ``geometry`` a WGS84 shapely geometry, ``warnings``); ``stamp`` the change's time. Columns: name →
    values in ``adds``' order, with version 1; each entry's ``after`` is its JSON text (with
    ``props`` when there are any, and the GeoJSON geometry).
    """
    geoms = _objects([p["geometry"] for p in adds])
    fields = {name: python_values(_objects([p["after"][name] for p in adds])) for name in spec.field_names}
    columns = {**fields, **search_columns(spec, fields)}
    columns.update({key: python_values(values) for key, values in geometry_rows(geoms).items()})
    count = len(adds)
    columns.update(props=_props(spec, adds), version=[1] * count, changed_at=[stamp] * count, changed_by=[actor.name] * count)
    afters = journal.objects_json([{**p["after"], "props": p["props"]} if p["props"] else p["after"] for p in adds],
                                  shapely.to_geojson(geoms).tolist())
    entries = journal.EntryColumns({
        "change_id": [change_id] * count, "at": [stamp] * count, "actor": [actor.name] * count, "via": [actor.via] * count,
        "source": [actor.source] * count, "action": ["insert"] * count, "layer": [spec.name] * count,
        "code": [p["code"] for p in adds], "before": [None] * count, "after": afters,
        "warnings": [list(p["warnings"]) or None for p in adds], "reverts": [reverts] * count})
    return columns, entries
