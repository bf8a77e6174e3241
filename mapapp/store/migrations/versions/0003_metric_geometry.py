"""Metric geometry stored on write: ``geom_m``, WKB in EPSG:5897 (VN-2000 / TM-3 105°00′).

Revision ID: 0003_metric_geometry
Revises: 0002_spatial_index
Create Date: 2026-11-29

Each layer table gets a nullable ``geom_m``: the feature's geometry in the province's metric grid,
computed by :func:`mapapp.analysis.measure.to_metric` (the same transformation, EPSG:6960, that
gives ``area_m2`` and ``length_m``), so the conflict analysis reads metres instead of reprojecting
every feature each time. Rows there are get it here, in batches.
"""
from __future__ import annotations

import numpy as np
import shapely
import sqlalchemy as sa
from alembic import op

revision = "0003_metric_geometry"
down_revision = "0002_spatial_index"
branch_labels = None
depends_on = None

LAYER_TABLES = ("boundaries", "zones", "lots", "clearance", "projects")
BATCH = 20_000


def _fill(bind, table: str) -> None:
    from mapapp.analysis.measure import to_metric

    last = -1
    while True:
        rows = bind.execute(
            sa.text(f'SELECT id, geom FROM "{table}" WHERE geom_m IS NULL AND id > :last ORDER BY id LIMIT {BATCH}'),
            {"last": last},
        ).all()
        if not rows:
            return
        metric = shapely.to_wkb(to_metric(shapely.from_wkb(np.array([bytes(r[1]) for r in rows], dtype=object))))
        bind.execute(
            sa.text(f'UPDATE "{table}" SET geom_m = :geom_m WHERE id = :id'),
            [{"id": r[0], "geom_m": m} for r, m in zip(rows, metric)],
        )
        last = rows[-1][0]


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table in LAYER_TABLES:
        # a database from before migrations, made by a newer mapapp's create_all, may have it
        if "geom_m" not in {c["name"] for c in inspector.get_columns(table)}:
            op.add_column(table, sa.Column("geom_m", sa.LargeBinary(), nullable=True))
        _fill(bind, table)


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite >= 3.35): a batch copy of the table would lose 0002's triggers
    for table in LAYER_TABLES:
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN geom_m')
