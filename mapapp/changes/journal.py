"""The audit log: append-only, one entry per feature changed, with its values before and after.

Entries are written in the same transaction as the change they record, so there is
never a change without its entry nor an entry for a change that was rolled back.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from sqlalchemy import JSON, Connection, Text, bindparam, cast, insert

from mapapp import clock
from mapapp.changes.model import Actor
from mapapp.store import json_text, many_rows, schema


def new_change_id() -> str:
    """An id shared by every entry of one change (an import of 10⁵ features is one change)."""
    return uuid.uuid4().hex


JSON_COLUMNS = ("before", "after", "warnings")


class Encoded(str):
    """A value already encoded as JSON text (GeoJSON from GEOS), written into an entry as it is.

    An import of 10⁵ features would otherwise parse each geometry's GeoJSON into dicts and
    lists only to encode them again (most of an import's audit cost)."""


def geometries_json(geoms: np.ndarray) -> list[Encoded]:
    """GeoJSON text of each WGS84 geometry of an array (one vectorised call), for :func:`entry`'s values."""
    return [Encoded(text) for text in shapely.to_geojson(geoms).tolist()]


def geometry_json(geom: Any) -> dict | None:
    """A geometry as a GeoJSON dict for the log (None for none)."""
    if geom is None:
        return None
    if isinstance(geom, (bytes, bytearray, memoryview)):
        geom = shapely.from_wkb(bytes(geom))
    return json.loads(shapely.to_geojson(geom))


def entry(
    change_id: str, actor: Actor, action: str, *, layer: str | None = None, code: str | None = None,
    before: Mapping | None = None, after: Mapping | None = None, warnings: Iterable[str] = (), reverts: int | None = None,
    at: str | None = None,
) -> dict:
    """One audit row (not yet written); ``at`` its time (:func:`mapapp.clock.stamp`, now when None)."""
    return {
        "change_id": change_id,
        "at": at or clock.stamp(),
        "actor": actor.name,
        "via": actor.via,
        "source": actor.source,
        "action": action,
        "layer": layer,
        "code": code,
        "before": None if before is None else dict(before),
        "after": None if after is None else dict(after),
        "warnings": list(warnings) or None,
        "reverts": reverts,
    }


def encode(value: Any) -> str:
    """JSON text of an entry's ``before``/``after``/``warnings`` as SQLAlchemy's JSON type writes it
    (``None`` as ``null``); an :class:`Encoded` value, or ``geometry`` of a dict, is taken as it is (spliced in last)."""
    if value is None:
        return "null"
    if isinstance(value, Encoded):
        return value
    shape = value.get("geometry") if type(value) is dict else None
    if not isinstance(shape, Encoded):
        return json_text.dumps(value)
    plain = json_text.dumps({k: v for k, v in value.items() if k != "geometry"})
    return f'{plain[:-1]}, "geometry": {shape}}}' if len(plain) > 2 else f'{{"geometry": {shape}}}'


def objects_json(rows: list[dict], geometries: list[str]) -> list[Encoded]:
    """:func:`encode` of ``{**row, "geometry": geometry}`` for each row (no ``geometry`` key of its own) and
    GeoJSON text: the same text, without :func:`encode`'s per-call checks and copies (an import of 10⁵
    features)."""
    return [Encoded(f'{text[:-1]}, "geometry": {shape}}}' if len(text) > 2 else f'{{"geometry": {shape}}}')
            for text, shape in zip(map(json_text.dumps, rows), geometries)]


@dataclass
class EntryColumns:
    """Audit entries given column by column (an import's 10⁵ additions): each key of an :func:`entry` → its
    values, one per entry, in order. Written as the same entries one by one would be, without a dict each."""

    columns: dict[str, list]

    def rows(self) -> list[dict]:
        """The entries one by one, as :func:`entry` makes them."""
        return [dict(zip(self.columns, values)) for values in zip(*self.columns.values())]


def _columns(entries: Sequence[dict | EntryColumns]) -> dict[str, list]:
    """Each key of the entries → its values, in the entries' order (dicts and blocks of columns alike)."""
    blocks: list[dict[str, list]] = []
    run: list[dict] = []
    for e in [*entries, None]:
        if isinstance(e, dict):
            run.append(e)
            continue
        if run:
            blocks.append({key: [r[key] for r in run] for key in run[0]})
            run = []
        if e is not None:
            blocks.append(e.columns)
    if len(blocks) == 1:
        return blocks[0]
    return {key: [v for block in blocks for v in block[key]] for key in blocks[0]}


def write(conn: Connection, entries: Sequence[dict | EntryColumns]) -> None:
    """Append entries (dicts made by :func:`entry`, or :class:`EntryColumns`) in the caller's transaction, in
    order (their JSON values encoded here, see :func:`encode`)."""
    given = _columns(entries) if entries else {}
    if not given.get("code"):
        return
    columns = {key: values for key, values in given.items() if key not in JSON_COLUMNS}
    texts = {c: [encode(v) for v in given[c]] for c in JSON_COLUMNS}
    if conn.dialect.name == "sqlite":  # the text goes in as it is
        many_rows.insert_columns(conn, schema.audit_log, {**columns, **texts}, raw=JSON_COLUMNS)
        return
    # PostgreSQL casts the text to json, which keeps it as given
    cast_text = {c: cast(bindparam(f"j_{c}", type_=Text), JSON) for c in JSON_COLUMNS}
    rows = [dict(zip(keys, values)) for keys in [[*columns, *(f"j_{c}" for c in JSON_COLUMNS)]]
            for values in zip(*columns.values(), *texts.values())]
    conn.execute(insert(schema.audit_log).values(cast_text), rows)
