"""Whether each zone's conflict counts by type may have changed: a version in ``meta`` the readers of the counts key by.

``/api/layers/zones`` shows each zone's conflicts by type (:func:`mapapp.store.summaries.count_rows`, a count over
every stored conflict). Most edits rewrite the conflicts of the edited feature as they were (a parcel's status
moved from negotiating to compensated keeps every conflict), so the counts are read again only when this
version is new. It is renewed, in the writing transaction, whenever the stored conflicts are written
(``Store._set_meta(conn, "conflicts_computed_at", …)``: the incremental update, a full recompute) unless the
incremental update found that the conflicts it deleted and those it inserted fall in the same zones and types
(:func:`unchanged`) or the full recompute wrote no row (:func:`nothing_written`), and by every write that does not name the layers it changed (a load, which may empty
the conflicts table, among them). It lives in the database: every app process agrees on it.
"""
from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, delete, insert, select

from mapapp.store import schema

#: ``meta`` key of the version.
KEY = "conflict_counts"
#: ``conn.info`` key: the conflicts written next are known to leave every zone's counts as they were.
UNCHANGED_KEY = "mapapp_conflict_counts_unchanged"
_IN_CHUNK = 500


def zones_and_types(conn: Connection, ids: list[str]) -> Counter:
    """How many of the stored conflicts ``ids`` fall in each (zone code or None, type)."""
    table = schema.conflicts
    found: Counter = Counter()
    for i in range(0, len(ids), _IN_CHUNK):
        found.update(tuple(r) for r in conn.execute(select(table.c.zone_code, table.c.type).where(table.c.id.in_(ids[i:i + _IN_CHUNK]))))
    return found


def unchanged(conn: Connection, deleted: Counter, inserted: Iterable[tuple[str | None, str]]) -> None:
    """The conflicts just written replace ``deleted`` ((zone, type) counts, :func:`zones_and_types`) by
    ``inserted`` ((zone, type) pairs): when they are alike, the next :func:`written` keeps the version."""
    conn.info[UNCHANGED_KEY] = deleted == Counter(inserted)


def nothing_written(conn: Connection) -> None:
    """The conflicts' writer wrote no row after all (a full recompute that found what was stored): the next
    :func:`written` keeps the version."""
    conn.info[UNCHANGED_KEY] = True


def written(conn: Connection) -> None:
    """The stored conflicts were written in this transaction: a new version, unless :func:`unchanged` just said
    the counts stay as they were and there is one already (readers of a database that has none yet count
    again after every write of a layer conflicts are found in)."""
    if not conn.info.pop(UNCHANGED_KEY, False) or not conn.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == KEY)).first():
        renew(conn)


def renew(conn: Connection) -> None:
    """A new version, in the caller's transaction."""
    conn.execute(delete(schema.meta).where(schema.meta.c.key == KEY))
    conn.execute(insert(schema.meta).values(key=KEY, value=uuid.uuid4().hex))


def version(meta: Mapping[str, str]) -> str | None:
    """The version among the ``meta`` rows read (None before any write kept one)."""
    return meta.get(KEY)
