"""Zone figure parts: each zone's whole clearance figures at the dataset's date, kept for every app process.

Revision ID: 0008_zone_figure_parts
Revises: 0007_active_code_index
Create Date: 2026-11-30

A zoom-14 view, a tile or an OGC page reads the figures of the zones it shows from these rows
instead of working them out in each new app process (:mod:`mapapp.store.figure_parts`). Left empty
here: the first read (or ``mapapp figures warm``) fills them (a row is a cache of what the stored
records give, checked by its fingerprint).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_zone_figure_parts"
down_revision = "0007_active_code_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database made before migrations by create_all of today's schema may have the table already
    if sa.inspect(op.get_bind()).has_table("zone_figure_parts"):
        return
    op.create_table(
        "zone_figure_parts",
        sa.Column("zone_code", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=10), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("paces", sa.Text(), nullable=False),
        sa.Column("parcels", sa.LargeBinary(), nullable=False),
        sa.Column("zones", sa.LargeBinary(), nullable=False),
        sa.Column("blocks", sa.LargeBinary(), nullable=False),
        sa.Column("current", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("zone_code", "at"),
    )


def downgrade() -> None:
    op.drop_table("zone_figure_parts")
