"""The one write path: every change to the board's data goes through here.

Import, PATCH, ``mapapp set``, progress reports, clearance status, directive status
and reverts all end in :func:`mapapp.changes.features.apply_features` (features) or
the report and directive services beside it. Each change: values parsed strictly
(:mod:`mapapp.values`), the feature checked as a whole (:mod:`mapapp.changes.rules`),
one transaction holding the write lock, optimistic locking on the feature's
version, only the changed columns written, warnings confirmed or refused, and one
audit entry per feature with its values before and after (:mod:`mapapp.changes.journal`).
"""
from mapapp.changes.model import Actor, ChangeResult, Edit

__all__ = ["Actor", "ChangeResult", "Edit"]
