"""Active codes index: a page of a layer (OGC items, ``ORDER BY code LIMIT … OFFSET …``) and its count
walk an index of the active features' codes, never the table.

Revision ID: 0007_active_code_index
Revises: 0006_zone_figure_rows
Create Date: 2026-11-30

A partial index ``ix_<layer>_active_code`` on ``code`` ``WHERE retired_at IS NULL``, on both backends:
``COUNT(*) … WHERE retired_at IS NULL`` counts its entries, and an offset is skipped over its entries
(SQLite defers reading a row until it is returned) instead of reading every skipped row to test
``retired_at``. Frozen like every migration: the layer names are written out here.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_active_code_index"
down_revision = "0006_zone_figure_rows"
branch_labels = None
depends_on = None

LAYERS = ("boundaries", "zones", "lots", "clearance", "projects")


def upgrade() -> None:
    for layer in LAYERS:
        # a database made before migrations by create_all of today's schema may have it already
        existing = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes(layer)}
        if f"ix_{layer}_active_code" not in existing:
            where = sa.text("retired_at IS NULL")
            op.create_index(f"ix_{layer}_active_code", layer, ["code"], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for layer in LAYERS:
        op.drop_index(f"ix_{layer}_active_code", table_name=layer)
