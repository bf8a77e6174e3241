"""Lot readiness rows: each lot's readiness at the dataset's date, kept for every app process.

Revision ID: 0010_lot_readiness
Revises: 0009_search_across_words
Create Date: 2026-11-30

A zoom-14 view or an OGC page whose lots are all kept reads their readiness from these rows instead of
decoding the figures of the zones around them (:mod:`mapapp.store.lot_rows`). Left empty here: the
first reads (or ``mapapp figures warm``) fill them (a row is a cache of what the stored records give,
checked by its key).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_lot_readiness"
down_revision = "0009_search_across_words"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database made before migrations by create_all of today's schema may have the table already
    if sa.inspect(op.get_bind()).has_table("lot_readiness"):
        return
    op.create_table(
        "lot_readiness",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("ready_expected", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )


def downgrade() -> None:
    op.drop_table("lot_readiness")
