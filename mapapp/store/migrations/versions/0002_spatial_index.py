"""Spatial indexes: SQLite's R*Tree, PostGIS geometry with GiST indexes.

Revision ID: 0002_spatial_index
Revises: 0001_baseline
Create Date: 2026-11-29

SQLite: one R*Tree virtual table per layer table and for ``conflicts`` (``rtree_<table>(id, minx,
maxx, miny, maxy)``, keyed by the row's ``id``, or its ``rowid`` for ``conflicts``, whose key is
text), filled from the rows there are and kept current by triggers on insert, update and delete,
so every write keeps it current whatever code writes.

PostgreSQL: PostGIS is now required. Each of those tables gets ``geom_pg geometry(Geometry, 4326)``,
generated from the WKB ``geom`` (which stays the app's portable storage) and so always current,
with a GiST index ``gix_<table>_geom_pg``.

The plain B-tree indexes on the bounding box columns (``ix_<table>_bbox``) are dropped on both:
they never served a bbox query (a range on ``minx`` alone) and cost every write.

Frozen: the table names and DDL are written out here, not taken from mapapp.store.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mapapp.errors import MapappError

revision = "0002_spatial_index"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

LAYER_TABLES = ("boundaries", "zones", "lots", "clearance", "projects")
TABLES = (*LAYER_TABLES, "conflicts")


def _key(table: str) -> str:
    """The integer key the R*Tree mirrors: ``id``, or ``rowid`` where the key is text."""
    return "rowid" if table == "conflicts" else "id"


def _sqlite_up(table: str) -> list[str]:
    rtree, key = f"rtree_{table}", _key(table)
    values = f"new.{key}, new.minx, new.maxx, new.miny, new.maxy"
    # INSERT OR REPLACE: a row deleted by REPLACE fires no delete trigger, its entry may linger
    return [
        f'CREATE VIRTUAL TABLE "{rtree}" USING rtree(id, minx, maxx, miny, maxy)',
        f'INSERT INTO "{rtree}" (id, minx, maxx, miny, maxy) SELECT {key}, minx, maxx, miny, maxy FROM "{table}"',
        (f'CREATE TRIGGER "{rtree}_insert" AFTER INSERT ON "{table}" BEGIN '
         f'INSERT OR REPLACE INTO "{rtree}" (id, minx, maxx, miny, maxy) VALUES ({values}); END'),
        (f'CREATE TRIGGER "{rtree}_update" AFTER UPDATE OF minx, maxx, miny, maxy ON "{table}" BEGIN '
         f'DELETE FROM "{rtree}" WHERE id = old.{key}; '
         f'INSERT OR REPLACE INTO "{rtree}" (id, minx, maxx, miny, maxy) VALUES ({values}); END'),
        (f'CREATE TRIGGER "{rtree}_delete" AFTER DELETE ON "{table}" BEGIN '
         f'DELETE FROM "{rtree}" WHERE id = old.{key}; END'),
    ]


def _require_postgis(bind) -> None:
    """PostGIS in this database, created if the role may; else a one-line error saying what to do."""
    if bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").first():
        return
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        return
    except sa.exc.DBAPIError:
        pass
    database = bind.exec_driver_sql("SELECT current_database()").scalar_one()
    raise MapappError(
        f"PostgreSQL database {database} has no PostGIS, which mapapp needs (plain PostgreSQL is no longer supported): "
        f"install it (Debian: apt-get install postgresql-<version>-postgis-3) and, as a superuser, "
        f"run CREATE EXTENSION postgis; in {database}, then start mapapp again"
    )


def _require_rtree(bind) -> None:
    if not bind.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_RTREE')").scalar():
        raise MapappError(
            "this SQLite library was built without its R*Tree module, which mapapp needs: "
            "use a Python whose sqlite3 has it (python.org and Debian builds do)"
        )


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "postgresql":
        _require_postgis(bind)
    elif dialect == "sqlite":
        _require_rtree(bind)
    for table in LAYER_TABLES:
        op.execute(f'DROP INDEX IF EXISTS "ix_{table}_bbox"')
    for table in TABLES:
        if dialect == "sqlite":
            for statement in _sqlite_up(table):
                op.execute(statement)
        elif dialect == "postgresql":
            op.execute(
                f'ALTER TABLE "{table}" ADD COLUMN geom_pg geometry(Geometry, 4326) '
                "GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromWKB(geom), 4326)) STORED"
            )
            op.execute(f'CREATE INDEX "gix_{table}_geom_pg" ON "{table}" USING gist (geom_pg)')


def downgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    for table in TABLES:
        if dialect == "sqlite":
            for suffix in ("insert", "update", "delete"):
                op.execute(f'DROP TRIGGER IF EXISTS "rtree_{table}_{suffix}"')
            op.execute(f'DROP TABLE IF EXISTS "rtree_{table}"')
        elif dialect == "postgresql":
            op.execute(f'DROP INDEX IF EXISTS "gix_{table}_geom_pg"')
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS geom_pg')
    for table in LAYER_TABLES:
        op.execute(f'CREATE INDEX IF NOT EXISTS "ix_{table}_bbox" ON "{table}" (minx, maxx, miny, maxy)')
