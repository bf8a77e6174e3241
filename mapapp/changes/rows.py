"""A planned change as rows to store: its statements (run under the write lock) and its audit entries;
the progress reports and clearance events written with it."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
from sqlalchemy import Connection, bindparam, insert, update

from mapapp import clock
from mapapp.changes import journal
from mapapp.changes.added import added_rows
from mapapp.changes.model import Actor, ChangeResult
from mapapp.changes.plan import plain
from mapapp.layers import Layer
from mapapp.store import schema
from mapapp.store.records import geometry_rows
from mapapp.text import search_columns


def change_statements(statements: list, spec: Layer, plan: list[dict], retire: list[str], current: dict[str, dict],
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
    geo_by_code = {code: {k: plain(v[i]) for k, v in geo_cols.items()} for i, code in enumerate(geoms)}
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


def insert_reports(conn: Connection, reports: Iterable[Mapping], actor: Actor, change_id: str) -> list[dict]:
    """Reports filed with the change (an import's first reports), each with its audit entry."""
    entries = []
    for report in reports:
        row = {**report, "created_at": report.get("created_at") or clock.stamp()}
        report_id = conn.execute(insert(schema.progress_reports).values(**row)).inserted_primary_key[0]
        entries.append(journal.entry(change_id, actor, "report", layer="projects", code=row["project_code"], after={
            "progress_pct": row["percent"], "report": {"id": report_id, **{k: v for k, v in row.items() if k != "project_code"}}}))
    return entries


def clearance_events(spec: Layer, plan: list[dict], when: dt.date) -> list[dict]:
    """A clearance event for every parcel whose status changed (the history the date control reads)."""
    if spec.name != "clearance":
        return []
    return [
        {"parcel_code": p["code"], "date": when.isoformat(), "status": p["after"]["status"], "paid_vnd": p["after"].get("paid_vnd")}
        for p in plan
        if p["outcome"] != "unchanged" and p["before"] is not None and p["before"]["status"] != p["after"]["status"]
    ]
