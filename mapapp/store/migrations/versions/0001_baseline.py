"""Baseline: mapapp's schema as the first migration found it (issues 1–13).

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-29

A frozen copy of the tables, not an import of :mod:`mapapp.store.schema` (which moves on with
later migrations). Databases made before migrations existed (``create_all`` plus added columns)
are brought to this schema too: missing tables are created and missing nullable columns added,
existing rows are left alone; Alembic then stamps them at this revision.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def _tables(md: sa.MetaData) -> None:
    sa.Table('admin_units', md,
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('parent', sa.Text(), nullable=True),
        sa.Column('valid_from', sa.String(length=10), nullable=True),
        sa.Column('valid_to', sa.String(length=10), nullable=True),
        sa.Column('illustrative', sa.Integer(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('code')
    )
    sa.Table('audit_log', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('change_id', sa.String(length=32), nullable=False),
        sa.Column('at', sa.String(length=32), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        sa.Column('via', sa.String(length=16), nullable=False),
        sa.Column('source', sa.Text(), nullable=True),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('layer', sa.String(length=32), nullable=True),
        sa.Column('code', sa.Text(), nullable=True),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.Column('warnings', sa.JSON(), nullable=True),
        sa.Column('reverts', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_audit_log_actor', md.tables['audit_log'].c.actor, unique=False)
    sa.Index('ix_audit_log_at', md.tables['audit_log'].c.at, unique=False)
    sa.Index('ix_audit_log_change_id', md.tables['audit_log'].c.change_id, unique=False)
    sa.Index('ix_audit_log_code', md.tables['audit_log'].c.code, unique=False)
    sa.Index('ix_audit_log_layer', md.tables['audit_log'].c.layer, unique=False)
    sa.Table('blockers', md,
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('zone_code', sa.Text(), nullable=True),
        sa.Column('problem', sa.Text(), nullable=False),
        sa.Column('task', sa.Text(), nullable=False),
        sa.Column('deadline', sa.String(length=10), nullable=False),
        sa.Column('unit', sa.Text(), nullable=False),
        sa.Column('leader', sa.Text(), nullable=False),
        sa.Column('opened', sa.String(length=10), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('holds_up', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.String(length=32), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('code')
    )
    sa.Table('boundaries', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('level', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=True),
        sa.Column('props', sa.JSON(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=True),
        sa.Column('search_personal', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.String(length=32), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.Column('retired_at', sa.String(length=32), nullable=True),
        sa.Column('geom', sa.LargeBinary(), nullable=False),
        sa.Column('geom_type', sa.String(length=20), nullable=False),
        sa.Column('minx', sa.Float(), nullable=False),
        sa.Column('miny', sa.Float(), nullable=False),
        sa.Column('maxx', sa.Float(), nullable=False),
        sa.Column('maxy', sa.Float(), nullable=False),
        sa.Column('area_m2', sa.Float(), nullable=True),
        sa.Column('length_m', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code', name='uq_boundaries_code')
    )
    sa.Index('ix_boundaries_bbox', md.tables['boundaries'].c.minx, md.tables['boundaries'].c.maxx, md.tables['boundaries'].c.miny, md.tables['boundaries'].c.maxy, unique=False)
    sa.Table('clearance', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('zone_code', sa.Text(), nullable=False),
        sa.Column('owner', sa.Text(), nullable=True),
        sa.Column('status', sa.Text(), nullable=False),
        sa.Column('compensation_vnd', sa.Float(), nullable=True),
        sa.Column('paid_vnd', sa.Float(), nullable=True),
        sa.Column('households', sa.Integer(), nullable=True),
        sa.Column('props', sa.JSON(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=True),
        sa.Column('search_personal', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.String(length=32), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.Column('retired_at', sa.String(length=32), nullable=True),
        sa.Column('geom', sa.LargeBinary(), nullable=False),
        sa.Column('geom_type', sa.String(length=20), nullable=False),
        sa.Column('minx', sa.Float(), nullable=False),
        sa.Column('miny', sa.Float(), nullable=False),
        sa.Column('maxx', sa.Float(), nullable=False),
        sa.Column('maxy', sa.Float(), nullable=False),
        sa.Column('area_m2', sa.Float(), nullable=True),
        sa.Column('length_m', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code', name='uq_clearance_code')
    )
    sa.Index('ix_clearance_bbox', md.tables['clearance'].c.minx, md.tables['clearance'].c.maxx, md.tables['clearance'].c.miny, md.tables['clearance'].c.maxy, unique=False)
    sa.Index('ix_clearance_zone', md.tables['clearance'].c.zone_code, unique=False)
    sa.Table('conflicts', md,
        sa.Column('id', sa.Text(), nullable=False),
        sa.Column('type', sa.Text(), nullable=False),
        sa.Column('codes', sa.JSON(), nullable=False),
        sa.Column('layers', sa.JSON(), nullable=False),
        sa.Column('zone_code', sa.Text(), nullable=True),
        sa.Column('area_m2', sa.Float(), nullable=True),
        sa.Column('length_m', sa.Float(), nullable=True),
        sa.Column('severity', sa.Text(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('description_en', sa.Text(), nullable=False),
        sa.Column('geom', sa.LargeBinary(), nullable=False),
        sa.Column('minx', sa.Float(), nullable=False),
        sa.Column('miny', sa.Float(), nullable=False),
        sa.Column('maxx', sa.Float(), nullable=False),
        sa.Column('maxy', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_conflicts_type', md.tables['conflicts'].c.type, unique=False)
    sa.Index('ix_conflicts_zone_code', md.tables['conflicts'].c.zone_code, unique=False)
    sa.Table('directives', md,
        sa.Column('item', sa.Integer(), nullable=False),
        sa.Column('text_vi', sa.Text(), nullable=False),
        sa.Column('text_en', sa.Text(), nullable=False),
        sa.Column('responsible', sa.Text(), nullable=False),
        sa.Column('status', sa.Text(), nullable=False),
        sa.Column('links', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.String(length=32), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('item')
    )
    sa.Table('households', md,
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('members', sa.Integer(), nullable=True),
        sa.Column('lookup_code', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.String(length=32), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('code'),
        sa.UniqueConstraint('lookup_code')
    )
    sa.Table('lots', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('zone_code', sa.Text(), nullable=False),
        sa.Column('land_use', sa.Text(), nullable=False),
        sa.Column('status', sa.Text(), nullable=False),
        sa.Column('tenant', sa.Text(), nullable=True),
        sa.Column('price_usd_m2', sa.Float(), nullable=True),
        sa.Column('props', sa.JSON(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=True),
        sa.Column('search_personal', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.String(length=32), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.Column('retired_at', sa.String(length=32), nullable=True),
        sa.Column('geom', sa.LargeBinary(), nullable=False),
        sa.Column('geom_type', sa.String(length=20), nullable=False),
        sa.Column('minx', sa.Float(), nullable=False),
        sa.Column('miny', sa.Float(), nullable=False),
        sa.Column('maxx', sa.Float(), nullable=False),
        sa.Column('maxy', sa.Float(), nullable=False),
        sa.Column('area_m2', sa.Float(), nullable=True),
        sa.Column('length_m', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code', name='uq_lots_code')
    )
    sa.Index('ix_lots_bbox', md.tables['lots'].c.minx, md.tables['lots'].c.maxx, md.tables['lots'].c.miny, md.tables['lots'].c.maxy, unique=False)
    sa.Index('ix_lots_zone', md.tables['lots'].c.zone_code, unique=False)
    sa.Table('meta', md,
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('key')
    )
    sa.Table('projects', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('name_en', sa.Text(), nullable=True),
        sa.Column('kind', sa.Text(), nullable=False),
        sa.Column('zone_code', sa.Text(), nullable=True),
        sa.Column('status', sa.Text(), nullable=False),
        sa.Column('planned_start', sa.String(length=10), nullable=True),
        sa.Column('planned_end', sa.String(length=10), nullable=True),
        sa.Column('progress_pct', sa.Float(), nullable=True),
        sa.Column('planned_curve', sa.Text(), nullable=True),
        sa.Column('responsible', sa.Text(), nullable=True),
        sa.Column('budget_vnd', sa.Float(), nullable=True),
        sa.Column('directive', sa.Integer(), nullable=True),
        sa.Column('props', sa.JSON(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=True),
        sa.Column('search_personal', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.String(length=32), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.Column('retired_at', sa.String(length=32), nullable=True),
        sa.Column('geom', sa.LargeBinary(), nullable=False),
        sa.Column('geom_type', sa.String(length=20), nullable=False),
        sa.Column('minx', sa.Float(), nullable=False),
        sa.Column('miny', sa.Float(), nullable=False),
        sa.Column('maxx', sa.Float(), nullable=False),
        sa.Column('maxy', sa.Float(), nullable=False),
        sa.Column('area_m2', sa.Float(), nullable=True),
        sa.Column('length_m', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code', name='uq_projects_code')
    )
    sa.Index('ix_projects_bbox', md.tables['projects'].c.minx, md.tables['projects'].c.maxx, md.tables['projects'].c.miny, md.tables['projects'].c.maxy, unique=False)
    sa.Index('ix_projects_zone', md.tables['projects'].c.zone_code, unique=False)
    sa.Table('users', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('password_hash', sa.Text(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('disabled', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
        sa.UniqueConstraint('token_hash')
    )
    sa.Table('zones', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('name_en', sa.Text(), nullable=True),
        sa.Column('kind', sa.Text(), nullable=False),
        sa.Column('status', sa.Text(), nullable=False),
        sa.Column('district', sa.Text(), nullable=True),
        sa.Column('planned_area_ha', sa.Float(), nullable=True),
        sa.Column('allowed_land_uses', sa.Text(), nullable=True),
        sa.Column('developer', sa.Text(), nullable=True),
        sa.Column('props', sa.JSON(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=True),
        sa.Column('search_personal', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.String(length=32), nullable=True),
        sa.Column('changed_by', sa.Text(), nullable=True),
        sa.Column('retired_at', sa.String(length=32), nullable=True),
        sa.Column('geom', sa.LargeBinary(), nullable=False),
        sa.Column('geom_type', sa.String(length=20), nullable=False),
        sa.Column('minx', sa.Float(), nullable=False),
        sa.Column('miny', sa.Float(), nullable=False),
        sa.Column('maxx', sa.Float(), nullable=False),
        sa.Column('maxy', sa.Float(), nullable=False),
        sa.Column('area_m2', sa.Float(), nullable=True),
        sa.Column('length_m', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code', name='uq_zones_code')
    )
    sa.Index('ix_zones_bbox', md.tables['zones'].c.minx, md.tables['zones'].c.maxx, md.tables['zones'].c.miny, md.tables['zones'].c.maxy, unique=False)
    sa.Table('blocker_history', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('blocker_code', sa.Text(), nullable=False),
        sa.Column('on', sa.String(length=10), nullable=False),
        sa.Column('field', sa.String(length=16), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('previous', sa.Text(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('by', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['blocker_code'], ['blockers.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_blocker_history_blocker_code', md.tables['blocker_history'].c.blocker_code, unique=False)
    sa.Table('clearance_events', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('parcel_code', sa.Text(), nullable=False),
        sa.Column('date', sa.String(length=10), nullable=False),
        sa.Column('status', sa.Text(), nullable=False),
        sa.Column('paid_vnd', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['parcel_code'], ['clearance.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_clearance_events_parcel_code', md.tables['clearance_events'].c.parcel_code, unique=False)
    sa.Table('clearance_parcels', md,
        sa.Column('parcel_code', sa.Text(), nullable=False),
        sa.Column('land_kind', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['parcel_code'], ['clearance.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('parcel_code')
    )
    sa.Table('clearance_steps', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('parcel_code', sa.Text(), nullable=False),
        sa.Column('step', sa.String(length=32), nullable=False),
        sa.Column('date', sa.String(length=10), nullable=True),
        sa.Column('doc_type', sa.Text(), nullable=False),
        sa.Column('doc_number', sa.Text(), nullable=False),
        sa.Column('doc_date', sa.String(length=10), nullable=True),
        sa.Column('signer', sa.Text(), nullable=False),
        sa.Column('scan', sa.Text(), nullable=True),
        sa.Column('conditions', sa.Text(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.String(length=32), nullable=True),
        sa.Column('recorded_by', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['parcel_code'], ['clearance.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('parcel_code', 'step', name='uq_clearance_steps_parcel_step')
    )
    sa.Index('ix_clearance_steps_parcel_code', md.tables['clearance_steps'].c.parcel_code, unique=False)
    sa.Table('complaints', md,
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('parcel_code', sa.Text(), nullable=False),
        sa.Column('household_code', sa.Text(), nullable=True),
        sa.Column('filed', sa.String(length=10), nullable=True),
        sa.Column('settled', sa.String(length=10), nullable=True),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['parcel_code'], ['clearance.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('code')
    )
    sa.Index('ix_complaints_parcel_code', md.tables['complaints'].c.parcel_code, unique=False)
    sa.Table('household_parcels', md,
        sa.Column('household_code', sa.Text(), nullable=False),
        sa.Column('parcel_code', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['household_code'], ['households.code'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['parcel_code'], ['clearance.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('household_code', 'parcel_code')
    )
    sa.Index('ix_household_parcels_parcel_code', md.tables['household_parcels'].c.parcel_code, unique=False)
    sa.Table('payments', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('parcel_code', sa.Text(), nullable=False),
        sa.Column('household_code', sa.Text(), nullable=False),
        sa.Column('approved_vnd', sa.Float(), nullable=True),
        sa.Column('approval_date', sa.String(length=10), nullable=True),
        sa.Column('due_date', sa.String(length=10), nullable=True),
        sa.Column('paid_vnd', sa.Float(), nullable=True),
        sa.Column('paid_date', sa.String(length=10), nullable=True),
        sa.Column('deposited_vnd', sa.Float(), nullable=True),
        sa.Column('deposit_date', sa.String(length=10), nullable=True),
        sa.Column('interest_vnd', sa.Float(), nullable=True),
        sa.Column('recorded_at', sa.String(length=32), nullable=True),
        sa.Column('recorded_by', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['household_code'], ['households.code'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['parcel_code'], ['clearance.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_payments_household_code', md.tables['payments'].c.household_code, unique=False)
    sa.Index('ix_payments_parcel_code', md.tables['payments'].c.parcel_code, unique=False)
    sa.Table('progress_reports', md,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_code', sa.Text(), nullable=False),
        sa.Column('date', sa.String(length=10), nullable=False),
        sa.Column('percent', sa.Float(), nullable=False),
        sa.Column('disbursed_vnd', sa.Float(), nullable=True),
        sa.Column('reached_m', sa.Float(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('reported_by', sa.Text(), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.Column('withdrawn_at', sa.String(length=32), nullable=True),
        sa.Column('withdrawn_by', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['project_code'], ['projects.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_progress_reports_project_code', md.tables['progress_reports'].c.project_code, unique=False)
    sa.Table('unit_placements', md,
        sa.Column('feature_code', sa.Text(), nullable=False),
        sa.Column('unit_code', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['unit_code'], ['admin_units.code'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('feature_code', 'unit_code')
    )


def upgrade() -> None:
    md = sa.MetaData()
    _tables(md)
    bind = op.get_bind()
    md.create_all(bind, checkfirst=True)
    inspector = sa.inspect(bind)
    for table in md.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have and column.nullable:
                op.add_column(table.name, column._copy())


def downgrade() -> None:
    md = sa.MetaData()
    _tables(md)
    md.drop_all(op.get_bind())
