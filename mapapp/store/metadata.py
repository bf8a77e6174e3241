"""The one :class:`sqlalchemy.MetaData` every mapapp table belongs to (what the migrations compare the database
with): :mod:`mapapp.store.schema` and :mod:`mapapp.store.schema_clearance` declare their tables in it."""
from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData()
