"""The audit log: append-only, one entry per feature changed, with its values before and after.

Entries are written in the same transaction as the change they record, so there is
never a change without its entry nor an entry for a change that was rolled back.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import shapely
from sqlalchemy import Connection, insert

from mapapp import clock
from mapapp.changes.model import Actor
from mapapp.store import schema


def new_change_id() -> str:
    """An id shared by every entry of one change (an import of 10⁵ features is one change)."""
    return uuid.uuid4().hex


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
) -> dict:
    """One audit row (not yet written)."""
    return {
        "change_id": change_id,
        "at": clock.stamp(),
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


def write(conn: Connection, entries: list[dict]) -> None:
    """Append entries in the caller's transaction."""
    if entries:
        conn.execute(insert(schema.audit_log), entries)
