"""Reverting a change: a new change, itself logged, that puts back what the entry's change altered.

Nothing is undone by deleting: an added feature is retired, a retired one restored,
changed values set back to their values before, a progress report withdrawn (kept in
the history, marked). The revert's audit entry names the entry it reverts.
"""
from __future__ import annotations

import json

import shapely

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, ChangeResult, Edit
from mapapp.errors import ChangeRefused, NotFound
from mapapp.layers import LAYERS
from mapapp.refusals import Reason
from mapapp.reports import withdraw_report
from mapapp.store.backend import Store

REVERTIBLE = ("insert", "update", "retire", "restore", "report")


def revert(store: Store, entry_id: int, actor: Actor) -> ChangeResult:
    """Revert audit entry ``entry_id`` as a new change by ``actor``.

    Raises :class:`NotFound` (no such entry), :class:`ChangeRefused` (an entry of a
    kind that cannot be reverted, e.g. a dataset load), and whatever the write path
    raises when the feature's present state forbids it.
    """
    found = store.audit(entry=entry_id)
    if not found:
        raise NotFound(Reason("notfound.entry", entry=entry_id))
    entry = found[0]
    action, layer, code = entry["action"], entry["layer"], entry["code"]
    if action not in REVERTIBLE or layer not in LAYERS:
        raise ChangeRefused(Reason("change.not_revertible", entry=entry_id, action=action))
    if action == "report":
        withdraw_report(store, int(entry["after"]["report"]["id"]), actor, reverts=entry_id)
        return ChangeResult(changed=[code])
    if action == "insert":
        return apply_features(store, layer, [], actor, retire_codes=[code], confirm=True, reverts=entry_id)
    if action == "retire":
        return apply_features(store, layer, [Edit(code, {})], actor, confirm=True, reverts=entry_id)
    before = dict(entry["before"] or {})
    geometry = before.pop("geometry", None)
    props = before.pop("props", None)
    retired = before.pop("retired", None)
    values = {k: v for k, v in before.items() if k in LAYERS[layer].field_names}
    edit = Edit(code, values, props=props, geometry=None if geometry is None else shapely.from_geojson(json.dumps(geometry)))
    if retired:
        return apply_features(store, layer, [], actor, retire_codes=[code], confirm=True, reverts=entry_id)
    return apply_features(store, layer, [edit], actor, confirm=True, reverts=entry_id)


def undo_change(store: Store, change_id: str, actor: Actor) -> list[ChangeResult]:
    """Revert every entry of one change (an import: ``mapapp undo-import ID``), newest first, as new changes.

    Raises :class:`NotFound` for an unknown change id; entries already reverted are
    reverted again only if asked again (each undo is itself logged and can be undone).
    """
    found = store.audit(change_id=change_id, limit=10**9)
    if not found:
        raise NotFound(Reason("notfound.change", change=repr(change_id)))
    results = []
    reports = [e for e in found if e["action"] == "report"]
    for entry in reports:
        withdraw_report(store, int(entry["after"]["report"]["id"]), actor, reverts=entry["id"])
    by_layer: dict[str, list[dict]] = {}
    for entry in found:
        if entry["action"] in ("insert", "update", "retire", "restore") and entry["layer"] in LAYERS:
            by_layer.setdefault(entry["layer"], []).append(entry)
    for layer, entries in by_layer.items():
        edits, retire = [], []
        for entry in entries:
            before = dict(entry["before"] or {})
            if entry["action"] == "insert" or before.get("retired") is True:
                retire.append(entry["code"])
                continue
            geometry = before.pop("geometry", None)
            props = before.pop("props", None)
            before.pop("retired", None)
            values = {k: v for k, v in before.items() if k in LAYERS[layer].field_names}
            edits.append(Edit(entry["code"], values, props=props,
                              geometry=None if geometry is None else shapely.from_geojson(json.dumps(geometry))))
        results.append(apply_features(store, layer, edits, actor, retire_codes=retire, confirm=True, reverts=entries[0]["id"]))
    return results
