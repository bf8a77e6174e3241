"""Persistence: the :class:`Store` and access to the app's instance of it."""
from __future__ import annotations

from mapapp.store.backend import Store


def current_store() -> Store:
    """The store of the running Flask app."""
    # Flask is imported here, not with the package: the command line (an import of a cadastre) never needs it.
    from flask import current_app

    return current_app.extensions["mapapp.store"]


__all__ = ["Store", "current_store"]
