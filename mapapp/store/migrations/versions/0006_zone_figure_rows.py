"""Zone figure rows: each zone's clearance figures at the dataset's date, kept for every app process.

Revision ID: 0006_zone_figure_rows
Revises: 0005_zone_summaries
Create Date: 2026-11-30

``/api/layers/zones`` reads these rows instead of working out every zone's clearance figures
in each new app process (:mod:`mapapp.store.figure_rows`). Left empty here: the first read
fills them (a row is a cache of what the stored records give, checked by its fingerprint).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_zone_figure_rows"
down_revision = "0005_zone_summaries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database made before migrations by create_all of today's schema may have the table already
    if sa.inspect(op.get_bind()).has_table("zone_figure_rows"):
        return
    op.create_table(
        "zone_figure_rows",
        sa.Column("zone_code", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=10), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("steps", sa.Text(), nullable=True),
        sa.Column("paces", sa.Text(), nullable=False),
        sa.Column("area_ha", sa.Float(), nullable=False),
        sa.Column("cleared_ha", sa.Float(), nullable=False),
        sa.Column("cleared_share", sa.Float(), nullable=False),
        sa.Column("largest_cleared_block_ha", sa.Float(), nullable=False),
        sa.Column("blocks", sa.Integer(), nullable=False),
        sa.Column("parcels_open", sa.Integer(), nullable=False),
        sa.Column("expected_handover", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("zone_code", "at"),
    )


def downgrade() -> None:
    op.drop_table("zone_figure_rows")
