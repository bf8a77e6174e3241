"""Changing features: the core of the one write path.

``apply_features`` checks each feature as a whole, compares it with what is stored and
writes only the columns that differ, bumping the feature's version. The heavy part (reading
what is stored, checking, WKB, boxes, measures, search text, audit entries) is prepared
outside the write lock; the write transaction then only stores the prepared rows, unless
another change was committed meanwhile (the data version moved): then the change is
prepared again under the lock, so no concurrent change is lost.
Features missing from a ``replace`` import are retired, never deleted. Clearance
status changes add a clearance event; the conflicts of the changed features are recomputed in
the same transaction (:meth:`Store.update_conflicts`); every feature changed gets an audit entry with before and after.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, bindparam, insert, select, update

from mapapp import clock
from mapapp.analysis.conflicts.catalogue import INPUT_COLUMNS
from mapapp.changes import journal
from mapapp.changes.added import added_rows, plan_added
from mapapp.changes.figures_after import keep_touched
from mapapp.changes.model import Actor, ChangeResult, Edit
from mapapp.changes.old_style import sync_old_style
from mapapp.changes.rules import check_feature, feature_warnings
from mapapp.errors import ChangeRefused, ConfirmationNeeded, NotFound, VersionConflict
from mapapp.layers import LAYERS, Layer
from mapapp.refusals import Reason
from mapapp.store import bulk_index, figure_versions, many_rows, schema, summaries
from mapapp.store.backend import Store
from mapapp.store.records import geometry_rows
from mapapp.text import search_columns

# Reading a few features by code beats reading the layer; past this many, read the layer.
IN_LIST_LIMIT = 500
STATE_COLUMNS = ("version", "retired_at", "changed_at", "changed_by")


def _current(conn: Connection, layer: str, codes: list[str], whole_layer: bool) -> dict[str, dict]:
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


def _zone_codes(conn: Connection, layer: str, edits: list[Edit]) -> set[str]:
    table = schema.layer_tables["zones"]
    known = {r[0] for r in conn.execute(select(table.c.code).where(table.c.retired_at.is_(None)))}
    if layer == "zones":
        known |= {e.code for e in edits}
    return known


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def apply_features(
    store: Store,
    layer: str,
    edits: list[Edit],
    actor: Actor,
    *,
    replace: bool = False,
    confirm: bool = False,
    dry_run: bool = False,
    reports: Iterable[Mapping] = (),
    when: dt.date | None = None,
    reverts: int | None = None,
    retire_codes: Iterable[str] = (),
    keep_figures: bool = True,
) -> ChangeResult:
    """Apply ``edits`` to ``layer`` in one transaction; refuse all of them, storing nothing, on the first problem.

    Raises :class:`ChangeRefused` (a rule, a missing feature or field, an unknown zone),
    :class:`VersionConflict` (``Edit.if_version`` is not the stored version),
    :class:`ConfirmationNeeded` (warnings and not ``confirm``), :class:`NotFound`
    (an edit of a feature that does not exist, without values enough to add it).
    ``retire_codes`` retires those features (kept, hidden from lists) in the same change.
    After the commit the clearance figures of the few zones it touched are worked out for every reader
    (:mod:`mapapp.changes.figures_after`), unless ``keep_figures`` is false (an import: its command warms them,
    or ``--no-warm`` leaves them to the readers).
    ``dry_run`` answers what would happen and writes nothing. ``reports`` are
    progress reports written with the change (an import's first reports).
    """
    spec = LAYERS[layer]
    result = ChangeResult(change_id=journal.new_change_id())
    seen: set[str] = set()
    for e in edits:
        if e.code in seen:
            raise ChangeRefused(Reason("change.same_twice"), layer=layer, code=e.code, field="code")
        seen.add(e.code)
    retire_codes = list(retire_codes)
    # Prepared on a plain read connection: readers and other writers go on meanwhile.
    with store.engine.connect() as conn:
        prepared = _prepare(conn, spec, edits, actor, result, seen, replace, confirm, retire_codes, reverts)
    if dry_run:
        return result
    zones: set[str] = set()
    with store.writing() as conn:
        if _data_version(conn) != prepared.version:
            result = ChangeResult(change_id=result.change_id)
            prepared = _prepare(conn, spec, edits, actor, result, seen, replace, confirm, retire_codes, reverts)
        plan, stamp, entries = prepared.plan, prepared.stamp, list(prepared.entries)
        for statement, rows in prepared.statements:
            if statement.is_insert:  # the layer's new rows, as columns; a large import's indexes are filled after them
                with bulk_index.inserting(conn, statement.table, len(rows["code"])):
                    many_rows.insert_columns(conn, statement.table, rows)
            else:
                conn.execute(statement, rows)
        summaries.after_change(conn, layer, prepared.current, (p["after"] for p in plan if p["outcome"] != "unchanged"),
                               [*result.added, *result.changed, *result.restored, *result.retired])
        entries += _insert_reports(conn, reports, actor, result.change_id)
        events = _clearance_events(spec, plan, when or clock.today())
        if events:
            conn.execute(insert(schema.clearance_events), events)
        if layer == "clearance":
            entries += sync_old_style(conn, plan, actor, result.change_id)
        journal.write(conn, entries)
        touched = result.added or result.changed or result.retired or result.restored
        if touched and spec.affects_conflicts:
            result.conflicts = store.update_conflicts(conn, *_conflict_changes(layer, plan, result.retired))
        if touched or reports:
            figure_versions.declare_features(conn, layer, plan, result.retired)
            zones = figure_versions.declared(conn)
            store._set_meta(conn, "data_changed_at", stamp, layers=None if reports else (layer,))
    if keep_figures:
        keep_touched(store, zones)
    return result


def _conflict_changes(layer: str, plan: list[dict], retire: list[str]) -> tuple[dict[str, list[str]], dict]:
    """({layer: codes}, old geometry by (layer, code)) of the features whose conflicts may change: added,
    restored, retired, moved, or with a column the rules read changed (not a tenant or a price)."""
    read = INPUT_COLUMNS.get(layer, {})
    codes = [p["code"] for p in plan if p["outcome"] in ("added", "restored")
             or (p["outcome"] == "changed" and (p["geom_changed"] or any(c in read for c in p["columns"])))]
    old = {(layer, p["code"]): p["old_geom"] for p in plan if p["outcome"] != "added" and p["geom_changed"]}
    old.update({(layer, p["code"]): None for p in plan if p["outcome"] == "added"})
    return {layer: codes + retire}, old


@dataclass
class _Prepared:
    """A change ready to store: the data version it was checked against, its plan, statements and audit entries."""

    version: str | None
    plan: list[dict]
    stamp: str
    statements: list[tuple[Any, list[dict]]]
    entries: list[dict | journal.EntryColumns]
    current: dict[str, dict]  # the stored rows the change was checked against, by code


def _data_version(conn: Connection) -> str | None:
    """The database's data version (a new id with every committed write; see ``Store._set_meta``)."""
    return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "data_version")).scalar()


def _prepare(conn: Connection, spec: Layer, edits: list[Edit], actor: Actor, result: ChangeResult, seen: set[str],
             replace: bool, confirm: bool, retire_codes: list[str], reverts: int | None) -> _Prepared:
    """Check the change against what ``conn`` reads and build its rows; fills ``result``'s outcomes.

    Reads the data version first: the rows read after it are at least that new, so a write
    transaction that still finds it knows nothing changed since. Raises as :func:`apply_features`.
    """
    layer = spec.name
    version = _data_version(conn)
    current = _current(conn, layer, [e.code for e in edits] + retire_codes, whole_layer=replace)
    for code in retire_codes:
        if code not in current:
            raise NotFound(f"no feature {code!r} in layer {layer}")
    zones = _zone_codes(conn, layer, edits) if "zone_code" in spec.field_names else set()
    plan = _plan(spec, edits, current, zones)
    gone = current if replace else {c: current[c] for c in retire_codes}
    retire = sorted(code for code, row in gone.items() if row["retired_at"] is None and code not in seen)
    if layer == "zones" and retire:
        _refuse_retiring_used_zones(conn, retire)
    for item in plan:
        result.warnings += item["warnings"]
    if result.warnings and not confirm:
        raise ConfirmationNeeded(result.warnings)
    for item in plan:
        getattr(result, item["outcome"]).append(item["code"])
    result.retired = retire
    stamp = clock.stamp()
    statements: list[tuple[Any, list[dict]]] = []
    entries = _write(statements, spec, plan, retire, current, actor, stamp, result, reverts)
    return _Prepared(version, plan, stamp, statements, entries, current)


def _plan(spec: Layer, edits: list[Edit], current: dict[str, dict], zones: set[str]) -> list[dict]:
    """Each edit's plan item, in order: the features not stored yet planned column by column
    (:func:`plan_added`), the others one by one; all one by one when an addition would be refused,
    so that the refusal is the first problem's, as it always was."""
    new = [i for i, e in enumerate(edits) if e.code not in current]
    added = plan_added(spec, [edits[i] for i in new], zones) if new else []
    if added is None:
        return [_plan_one(spec, e, current.get(e.code), zones) for e in edits]
    by_index = dict(zip(new, added))
    return [by_index[i] if i in by_index else _plan_one(spec, e, current[e.code], zones) for i, e in enumerate(edits)]


def _refuse_retiring_used_zones(conn: Connection, retire: list[str]) -> None:
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


def _plan_one(spec: Layer, edit: Edit, stored: dict | None, zones: set[str]) -> dict:
    """What one edit does: its row after, the columns that change, its warnings and outcome."""
    code = edit.code
    unknown = [k for k in edit.values if k not in spec.field_names]
    if unknown:
        raise ChangeRefused(Reason("change.unknown_attribute", names=", ".join(spec.field_names)), layer=spec.name, code=code, field=unknown[0])
    if "code" in edit.values and edit.values["code"] != code:
        raise ChangeRefused(Reason("change.code_fixed"), layer=spec.name, code=code, field="code")
    if stored is None:
        if edit.geometry is None:
            raise NotFound(f"no feature {code!r} in layer {spec.name}")
        before = None
        after = {name: _plain(edit.values.get(name)) for name in spec.field_names} | {"code": code}
        props = dict(edit.props or {})
    else:
        if edit.if_version is not None and int(stored["version"] or 1) != int(edit.if_version):
            raise VersionConflict(spec.name, code, int(stored["version"] or 1), stored.get("changed_by"), stored.get("changed_at"))
        before = {name: stored[name] for name in spec.field_names}
        after = {**before, **{k: _plain(v) for k, v in edit.values.items()}}
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


def _write(statements: list, spec: Layer, plan: list[dict], retire: list[str], current: dict[str, dict],
           actor: Actor, stamp: str, result: ChangeResult, reverts: int | None) -> list[dict | journal.EntryColumns]:
    """The change's statements (appended to ``statements`` as (statement, rows), executed under the lock) and audit entries."""
    table = schema.layer_tables[spec.name]
    entries: list[dict | journal.EntryColumns] = []
    adds = [p for p in plan if p["outcome"] == "added"]
    if adds:
        columns, added = added_rows(spec, adds, actor, stamp, result.change_id, reverts)
        statements.append((insert(table), columns))
        entries.append(added)
    updates = [p for p in plan if p["outcome"] in ("changed", "restored")]
    geoms = {p["code"]: p["geometry"] for p in updates if p["geom_changed"]}
    geo_cols = geometry_rows(np.asarray(list(geoms.values()), dtype=object)) if geoms else {}
    geo_by_code = {code: {k: _plain(v[i]) for k, v in geo_cols.items()} for i, code in enumerate(geoms)}
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for p in updates:
        values = {c: p["after"][c] for c in p["columns"]}
        if any(c in ("code", "name", "name_en", "tenant", "owner") for c in p["columns"]):
            values.update({k: v[0] for k, v in search_columns(spec, {c: [p["after"][c]] for c in spec.field_names}).items()})
        if p["props"] is not None:
            values["props"] = p["props"]
        values.update(geo_by_code.get(p["code"], {}))
        if p["outcome"] == "restored":
            values["retired_at"] = None
        values.update(changed_at=stamp, changed_by=actor.name)
        groups[tuple(sorted(values))].append({"b_code": p["code"], **{f"b_{k}": v for k, v in values.items()}})
        before = {c: p["before"][c] for c in p["columns"]}
        after = {c: p["after"][c] for c in p["columns"]}
        if p["props"] is not None:
            before["props"], after["props"] = p["old_props"], p["props"]
        if p["geom_changed"]:
            before["geometry"], after["geometry"] = journal.geometry_json(p["old_geom"]), journal.geometry_json(p["geometry"])
        if p["outcome"] == "restored":
            before["retired"], after["retired"] = True, False
        entries.append(journal.entry(result.change_id, actor, "restore" if p["outcome"] == "restored" else "update",
                                     layer=spec.name, code=p["code"], before=before, after=after, warnings=p["warnings"], reverts=reverts))
    for keys, rows in groups.items():
        stmt = update(table).where(table.c.code == bindparam("b_code")).values(
            {**{k: bindparam(f"b_{k}") for k in keys}, "version": table.c.version + 1})
        statements.append((stmt, rows))
    if retire:
        statements.append((update(table).where(table.c.code.in_(retire)).values(
            retired_at=stamp, changed_at=stamp, changed_by=actor.name, version=table.c.version + 1), None))
        for code in retire:
            entries.append(journal.entry(result.change_id, actor, "retire", layer=spec.name, code=code,
                                         before={"retired": False}, after={"retired": True}, reverts=reverts))
    return entries


def _insert_reports(conn: Connection, reports: Iterable[Mapping], actor: Actor, change_id: str) -> list[dict]:
    """Reports filed with the change (an import's first reports), each with its audit entry."""
    entries = []
    for report in reports:
        row = {**report, "created_at": report.get("created_at") or clock.stamp()}
        report_id = conn.execute(insert(schema.progress_reports).values(**row)).inserted_primary_key[0]
        entries.append(journal.entry(change_id, actor, "report", layer="projects", code=row["project_code"], after={
            "progress_pct": row["percent"], "report": {"id": report_id, **{k: v for k, v in row.items() if k != "project_code"}}}))
    return entries


def _clearance_events(spec: Layer, plan: list[dict], when: dt.date) -> list[dict]:
    """A clearance event for every parcel whose status changed (the history the date control reads)."""
    if spec.name != "clearance":
        return []
    return [
        {"parcel_code": p["code"], "date": when.isoformat(), "status": p["after"]["status"], "paid_vnd": p["after"].get("paid_vnd")}
        for p in plan
        if p["outcome"] != "unchanged" and p["before"] is not None and p["before"]["status"] != p["after"]["status"]
    ]
