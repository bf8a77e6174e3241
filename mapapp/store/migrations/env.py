"""Alembic environment: run on the connection :func:`mapapp.store.migrate.upgrade` hands over.

mapapp runs its migrations itself (``init_schema``, ``mapapp init``); the ``alembic`` command
line also works for writing new ones: ``alembic -c mapapp/store/migrations/alembic.ini revision -m "…"``.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from mapapp.store import schema
from mapapp.store.migrate import include_object

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # the alembic command line: the database from MAPAPP_DATABASE
    from mapapp.config import Settings

    connection = create_engine(Settings.from_env().database).connect()
context.configure(connection=connection, target_metadata=schema.metadata, include_object=include_object,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
