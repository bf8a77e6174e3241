"""Zone summaries: each zone's lots and leasable hectares by status, kept current by every write.

Revision ID: 0005_zone_summaries
Revises: 0004_search_index
Create Date: 2026-11-29

``/api/layers/zones`` and the zone popups read these few rows instead of every lot
(:mod:`mapapp.store.summaries` refreshes the zones a write touches, in its transaction).
Filled here from the stored lots; frozen like every migration (the rule is written out).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_zone_summaries"
down_revision = "0004_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database made before migrations by create_all of today's schema may have the table already
    if not sa.inspect(op.get_bind()).has_table("zone_summaries"):
        _create()
    op.execute("DELETE FROM zone_summaries")
    # green space and utilities are not leasable (mapapp.analysis.zones.NOT_LEASABLE)
    op.execute(
        "INSERT INTO zone_summaries (zone_code, status, lots, leasable_ha) "
        "SELECT zone_code, status, COUNT(*), "
        "COALESCE(SUM(CASE WHEN land_use IN ('green', 'utility') THEN 0.0 ELSE area_m2 / 10000.0 END), 0.0) "
        "FROM lots WHERE retired_at IS NULL AND zone_code IS NOT NULL GROUP BY zone_code, status"
    )


def _create() -> None:
    op.create_table(
        "zone_summaries",
        sa.Column("zone_code", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("lots", sa.Integer(), nullable=False),
        sa.Column("leasable_ha", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("zone_code", "status"),
    )


def downgrade() -> None:
    op.drop_table("zone_summaries")
