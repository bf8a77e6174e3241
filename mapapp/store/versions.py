"""Data versions per layer: random ids that change with every write to the layer.

Every write sets the store's meta ``data_changed_at``, which gives the data a new ``data_version``
(:meth:`mapapp.store.backend.Store._set_meta`); a write that names the layers it changed also
renews only their ``data_version:<layer>``, the others' when it names none. Caches of what is
computed from one layer (vector tiles) are keyed by its version, so an edit of a lot leaves the
parcels' tiles cached. The ids live in the database: every app process reads the same.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select

from mapapp.layers import LAYERS
from mapapp.store import schema


def key(layer: str) -> str:
    return f"data_version:{layer}"


def renew(conn: Connection, version: str, layers: Iterable[str] | None) -> None:
    """Give ``layers`` (every layer when None) the data version ``version``, in the caller's transaction."""
    names = [key(name) for name in (LAYERS if layers is None else layers)]
    if names:
        conn.execute(delete(schema.meta).where(schema.meta.c.key.in_(names)))
        conn.execute(insert(schema.meta), [{"key": k, "value": version} for k in names])


def layer_version(conn: Connection, layer: str, also: Iterable[str] = ()) -> tuple[str, dict[str, str]]:
    """The layer's data version (the whole data's in a database written before layers had their own),
    and the meta values named in ``also`` that are set, read in the same query."""
    wanted = [key(layer), "data_version", *also]
    rows = dict(conn.execute(select(schema.meta.c.key, schema.meta.c.value).where(schema.meta.c.key.in_(wanted))).all())
    return rows.get(key(layer)) or rows.get("data_version") or "0", {k: rows[k] for k in also if k in rows}
