"""The clearance figures of the zones a write touched, worked out as soon as it commits, before it answers.

A write gives the zones it touched new figure versions (:mod:`mapapp.store.figure_versions`); their
kept figures no longer hold. Left to the readers, the first ``/api/layers/zones`` or map view after
an edit would wait for them. So a write that touched a few zones works them out right after its
transaction commits (outside it: the write lock is not held meanwhile) through the readers' own code
(:func:`mapapp.queries.figure_warm.keep_zones`), under the versions then stored: they are kept under
exactly the key a reader in any app process looks them up by. The new versions also give every lot those
zones can reach a new readiness key: their readiness is worked out and kept next, the same way
(:func:`mapapp.queries.reached_lots.keep`, at most :data:`mapapp.queries.reached_lots.MAX_LOTS` lots), so the
first view of the edited place finds it kept. A write touching more zones (an import) leaves them to
``mapapp figures warm`` or to their readers.
"""
from __future__ import annotations

from collections.abc import Collection

from mapapp.clearance.procedure import ProcedureError
from mapapp.store.backend import Store

#: A write touching more zones than this leaves their figures to the readers (or to ``mapapp figures warm``).
MAX_ZONES = 8


def keep_touched(store: Store, zones: Collection[str]) -> bool:
    """Work out and keep the figures of ``zones`` (codes a committed write touched), and the readiness of the lots
    they can reach, at the date kept in the database; False when left to the readers (none, too many, or
    records that break a rule)."""
    if not zones or len(zones) > MAX_ZONES:
        return False
    from mapapp.queries import reached_lots
    from mapapp.queries.figure_warm import keep_zones

    try:
        reached_lots.keep(store, zones, keep_zones(store, zones))
    except ProcedureError:
        # the change is committed; only a hand-edited database holds such records, and its readers report them
        return False
    return True
