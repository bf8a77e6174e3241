"""The clearance records in the database: households, their parcels, steps, payments, complaints,
blockers with their history, and administrative units with validity dates (issue 13).

Rows go in and out as the DataFrames and objects of :mod:`mapapp.clearance` use: text dates
(ISO ``YYYY-MM-DD``) and ``""`` for an empty text cell, as the sample's CSV files are read
(:func:`mapapp.sources.sample.sample_clearance_records`); amounts are floats (VND).
Writing happens only in the caller's transaction (a bulk load, or a service of
:mod:`mapapp.changes.clearance`).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Connection, Select, delete, insert, select

from mapapp.clearance.blockers import Blocker, Change
from mapapp.clearance.units import Unit
from mapapp.store import schema

#: The columns each record table hands out (the shape :mod:`mapapp.clearance` reads).
RECORD_COLUMNS: dict[str, list[str]] = {
    "households": ["code", "name", "kind", "members", "lookup_code", "note", "version"],
    "household_parcels": ["household_code", "parcel_code"],
    "clearance_parcels": ["parcel_code", "land_kind"],
    "steps": ["parcel_code", "step", "date", "doc_type", "doc_number", "doc_date", "signer", "scan", "conditions", "note"],
    "payments": ["parcel_code", "household_code", "approved_vnd", "approval_date", "due_date", "paid_vnd", "paid_date",
                 "deposited_vnd", "deposit_date", "interest_vnd"],
    "complaints": ["code", "parcel_code", "household_code", "filed", "settled", "summary"],
}
_DATES = {"date", "doc_date", "approval_date", "due_date", "paid_date", "deposit_date", "filed", "settled"}
_NUMBERS = {"approved_vnd", "paid_vnd", "deposited_vnd", "interest_vnd", "members", "version"}


def _cell(column: str, value):
    """A frame cell as a database value: empty dates, numbers, scans and lookup codes become None, other empty text ""."""
    empty = value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())
    if column in _DATES:
        return None if empty else (value.isoformat() if isinstance(value, date) else str(value)[:10])
    if column in _NUMBERS:
        return None if empty else (int(value) if column in ("members", "version") else float(value))
    if column in ("scan", "lookup_code"):
        return None if empty else str(value)
    return "" if empty else value


def write_records(conn: Connection, records: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Add the record tables given (``households``, ``household_parcels``, ``clearance_parcels``,
    ``steps``, ``payments``, ``complaints``), parents first; returns the rows written per table.
    Unknown columns are dropped; a missing one is stored empty."""
    written = {}
    for name, table in schema.CLEARANCE_RECORD_TABLES.items():
        frame = records.get(name)
        if frame is None or not len(frame):
            continue
        cols = [c for c in RECORD_COLUMNS[name] if c in table.c]
        rows = [{c: _cell(c, row.get(c)) for c in cols} for row in frame.to_dict("records")]
        conn.execute(insert(table), rows)
        written[name] = len(rows)
    return written


def _text(value) -> str:
    # pandas may hand a NULL back as NaN (a column mixing NULLs and text, read in bulk): empty too
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def read_records(conn: Connection, name: str, parcel_codes: Iterable[str] | None = None,
                 columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One record table as a DataFrame of :data:`RECORD_COLUMNS` (text cells "" when empty, as objects; amounts float);
    only the rows of ``parcel_codes`` when given (codes, or a select of them; households: those linked to them);
    only ``columns`` (some of :data:`RECORD_COLUMNS`, in that order) when given."""
    table = schema.CLEARANCE_RECORD_TABLES[name]
    cols = [c for c in RECORD_COLUMNS[name] if columns is None or c in columns]
    query = select(*(table.c[c] for c in cols))
    if parcel_codes is not None:
        codes = parcel_codes if isinstance(parcel_codes, Select) else list(parcel_codes)
        if name == "households":
            links = schema.household_parcels
            query = query.where(table.c.code.in_(select(links.c.household_code).where(links.c.parcel_code.in_(codes))))
        else:
            query = query.where(table.c.parcel_code.in_(codes))
    order = [table.c[c] for c in ("parcel_code", "code", "household_code") if c in table.c][:2]
    if name == "steps":
        order = [table.c.parcel_code, table.c.id]
    result = conn.execute(query.order_by(*order))
    # column by column, as objects: a frame of the rows would first make each text column an Arrow string array
    values = list(zip(*result.fetchall())) or [()] * len(cols)
    return pd.DataFrame({c: _column(c, list(v)) for c, v in zip(cols, values)}, columns=cols)


def _column(name: str, values: list) -> pd.Series:
    """One column of a record table read: amounts float, counts as pandas infers them, text as :func:`_texts`."""
    if name in ("approved_vnd", "paid_vnd", "deposited_vnd", "interest_vnd"):
        return pd.to_numeric(pd.Series(values, dtype=object)).astype(float)
    if name in ("members", "version"):
        return pd.Series(values)
    return _texts(pd.Series(values, dtype=object))


def _texts(column: pd.Series) -> pd.Series:
    """A text column with "" for its empty cells (NULL, NaN), as objects: whole-column when every cell is text."""
    empty = column.isna().to_numpy()
    values = column.to_numpy(dtype=object).copy()
    if pd.api.types.infer_dtype(values[~empty], skipna=False) in ("string", "empty"):
        values[empty] = ""
        return pd.Series(values, index=column.index, dtype=object)
    return column.map(_text).astype(object)


def write_blockers(conn: Connection, blockers: Iterable[Blocker]) -> int:
    """Add blockers with their history."""
    rows, history = [], []
    for b in blockers:
        rows.append({"code": b.code, "kind": b.kind, "subject": b.subject, "zone_code": b.zone_code, "problem": b.problem,
                     "task": b.task, "deadline": b.deadline.isoformat(), "unit": b.unit, "leader": b.leader,
                     "opened": b.opened.isoformat(), "state": b.state, "holds_up": list(b.holds_up), "version": 1})
        history += [history_row(b.code, c) for c in b.history]
    if rows:
        conn.execute(insert(schema.blockers), rows)
    if history:
        conn.execute(insert(schema.blocker_history), history)
    return len(rows)


def history_row(code: str, c: Change) -> dict:
    """One line of a blocker's history as a row."""
    return {"blocker_code": code, "on": c.on.isoformat(), "field": c.field, "value": c.value, "previous": c.previous,
            "note": c.note, "by": c.by}


def read_blockers(conn: Connection, code: str | None = None) -> list[tuple[Blocker, int]]:
    """The register (or one blocker) with each blocker's stored version, by code."""
    t, h = schema.blockers, schema.blocker_history
    query = select(t).order_by(t.c.code)
    hist = select(h).order_by(h.c.blocker_code, h.c.on, h.c.id)
    if code is not None:
        query, hist = query.where(t.c.code == code), hist.where(h.c.blocker_code == code)
    changes: dict[str, list[Change]] = {}
    for r in conn.execute(hist).mappings():
        changes.setdefault(r["blocker_code"], []).append(
            Change(date.fromisoformat(r["on"]), r["field"], r["value"], r["previous"], r["note"] or "", r["by"] or ""))
    out = []
    for r in conn.execute(query).mappings():
        out.append((Blocker(r["code"], r["kind"], r["subject"], r["problem"] or "", r["task"], date.fromisoformat(r["deadline"]),
                            r["unit"], r["leader"], date.fromisoformat(r["opened"]), r["state"], tuple(r["holds_up"] or ()),
                            r["zone_code"], tuple(changes.get(r["code"], ()))), int(r["version"] or 1)))
    return out


def write_units(conn: Connection, units: Mapping[str, Unit], placements: Mapping[str, Iterable[str]]) -> int:
    """Replace the administrative units and the features' placements."""
    conn.execute(delete(schema.unit_placements))
    conn.execute(delete(schema.admin_units))
    if units:
        conn.execute(insert(schema.admin_units), [
            {"code": u.code, "name": u.name, "level": u.level, "parent": u.parent,
             "valid_from": u.valid_from.isoformat() if u.valid_from else None,
             "valid_to": u.valid_to.isoformat() if u.valid_to else None,
             "illustrative": int(u.illustrative), "source": u.source} for u in units.values()])
    rows = [{"feature_code": f, "unit_code": c} for f, codes in placements.items() for c in codes]
    if rows:
        conn.execute(insert(schema.unit_placements), rows)
    return len(units)


def read_units(conn: Connection) -> tuple[dict[str, Unit], dict[str, list[str]]]:
    """(units by code, placements: feature code → commune codes), as :func:`mapapp.clearance.units.load_units`."""
    def day(v):
        return date.fromisoformat(v) if v else None

    units = {r["code"]: Unit(r["code"], r["name"], r["level"], r["parent"], day(r["valid_from"]), day(r["valid_to"]),
                             bool(r["illustrative"]), r["source"] or "")
             for r in conn.execute(select(schema.admin_units).order_by(schema.admin_units.c.code)).mappings()}
    placements: dict[str, list[str]] = {}
    for r in conn.execute(select(schema.unit_placements).order_by(schema.unit_placements.c.feature_code,
                                                                  schema.unit_placements.c.unit_code)).mappings():
        placements.setdefault(r["feature_code"], []).append(r["unit_code"])
    return units, placements
