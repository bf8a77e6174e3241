"""A directive's status (notice 19/TB-VP.UBND): changed by leaders through the one write path, audited."""
from __future__ import annotations

from sqlalchemy import select, update

from mapapp import clock
from mapapp.changes import journal
from mapapp.changes.model import Actor
from mapapp.errors import ChangeRefused, NotFound, VersionConflict
from mapapp.refusals import Choices, Reason
from mapapp.store import figure_versions, schema
from mapapp.store.backend import Store

DIRECTIVE_STATUSES = ("not_started", "in_progress", "ongoing", "done", "overdue")


def set_directive_status(store: Store, item: int, status: str, actor: Actor, if_version: int | None = None) -> int:
    """Set directive ``item``'s status; returns its new version.

    Raises :class:`NotFound`, :class:`ChangeRefused` (a status not in
    :data:`DIRECTIVE_STATUSES`) or :class:`VersionConflict` (the form was opened on
    an older version); nothing is stored then.
    """
    status = (status or "").strip()
    if status not in DIRECTIVE_STATUSES:
        raise ChangeRefused(Reason("value.not_choice", value=repr(status), choices=Choices("status", DIRECTIVE_STATUSES)),
                            layer="directives", code=str(item), field="status")
    table = schema.directives
    with store.writing() as conn:
        row = conn.execute(select(table).where(table.c.item == item)).mappings().first()
        if row is None:
            raise NotFound(Reason("notfound.directive_item", item=item))
        version = int(row["version"] or 1)
        if if_version is not None and version != int(if_version):
            raise VersionConflict("directives", str(item), version, row["changed_by"], row["changed_at"])
        if row["status"] == status:
            return version
        stamp = clock.stamp()
        conn.execute(update(table).where(table.c.item == item).values(
            status=status, version=version + 1, changed_at=stamp, changed_by=actor.name))
        journal.write(conn, [journal.entry(journal.new_change_id(), actor, "directive", layer="directives", code=str(item),
                                           before={"status": row["status"]}, after={"status": status})])
        figure_versions.declare(conn, ())  # directives are not in the clearance figures
        store._set_meta(conn, "data_changed_at", stamp)
    return version + 1
