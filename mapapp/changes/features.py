"""Changing features: the core of the one write path.

``apply_features`` checks each feature as a whole, compares it with what is stored and
writes only the columns that differ, bumping the feature's version. The heavy part (reading
what is stored, checking, WKB, boxes, measures, search text, audit entries) is prepared
outside the write lock; the write transaction then only stores the prepared rows, unless
another change was committed meanwhile (the data version moved): then the change is
prepared again under the lock, so no concurrent change is lost.
Features missing from a ``replace`` import are retired, never deleted. What each edit does is planned in
:mod:`mapapp.changes.plan`; the rows and audit entries to store are built by :mod:`mapapp.changes.rows`. Clearance
status changes add a clearance event; the conflicts of the changed features are recomputed in
the same transaction (:meth:`Store.update_conflicts`); every feature changed gets an audit entry with before and after.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from mapapp import clock
from mapapp.analysis.conflicts.catalogue import INPUT_COLUMNS
from mapapp.changes import journal
from mapapp.changes.figure_scope import declare_features
from mapapp.changes.figures_after import keep_touched
from mapapp.changes.model import Actor, ChangeResult, Edit
from mapapp.changes.old_style import sync_old_style
from mapapp.changes.plan import current_rows, plan_edits, refuse_retiring_used_zones, touches, zone_codes
from mapapp.changes.rows import change_statements, clearance_events, insert_reports
from mapapp.errors import ChangeRefused, ConfirmationNeeded, NotFound
from mapapp.layers import LAYERS, Layer
from mapapp.refusals import Reason
from mapapp.refusals.labels import layer_names
from mapapp.store import bulk_index, figure_versions, many_rows, schema, summaries
from mapapp.store.backend import Store


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
        entries += insert_reports(conn, reports, actor, result.change_id)
        events = clearance_events(spec, plan, when or clock.today())
        if events:
            conn.execute(insert(schema.clearance_events), events)
        if layer == "clearance":
            entries += sync_old_style(conn, plan, actor, result.change_id)
        journal.write(conn, entries)
        touched = result.added or result.changed or result.retired or result.restored
        if touched and spec.affects_conflicts:
            result.conflicts = store.update_conflicts(conn, *_conflict_changes(layer, plan, result.retired))
        if touched or reports:
            declare_features(conn, layer, plan, result.retired)
            zones = figure_versions.declared(conn)
            store._set_meta(conn, "data_changed_at", stamp, layers=None if reports else (layer,))
    if keep_figures:
        keep_touched(store, zones)
    return result


def _conflict_changes(layer: str, plan: list[dict], retire: list[str]) -> tuple[dict[str, list[str]], dict]:
    """({layer: codes}, old geometry by (layer, code)) of the features whose conflicts may change: added,
    restored, retired, moved, or with a column the rules read changed (not a tenant or a price)."""
    read = INPUT_COLUMNS.get(layer, {})
    codes = [p["code"] for p in plan if touches(p, read)]
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
    current = current_rows(conn, layer, [e.code for e in edits] + retire_codes, whole_layer=replace)
    for code in retire_codes:
        if code not in current:
            raise NotFound(Reason("notfound.feature", code=repr(code), layer=layer_names(layer)))
    zones = zone_codes(conn, layer, edits, current) if "zone_code" in spec.field_names else set()
    plan = plan_edits(spec, edits, current, zones)
    gone = current if replace else {c: current[c] for c in retire_codes}
    retire = sorted(code for code, row in gone.items() if row["retired_at"] is None and code not in seen)
    if layer == "zones" and retire:
        refuse_retiring_used_zones(conn, retire)
    for item in plan:
        result.warnings += item["warnings"]
    if result.warnings and not confirm:
        raise ConfirmationNeeded(result.warnings)
    for item in plan:
        getattr(result, item["outcome"]).append(item["code"])
    result.retired = retire
    stamp = clock.stamp()
    statements: list[tuple[Any, list[dict]]] = []
    entries = change_statements(statements, spec, plan, retire, current, actor, stamp, result, reverts)
    return _Prepared(version, plan, stamp, statements, entries, current)
