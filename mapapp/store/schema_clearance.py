"""The tables of land clearance as the board runs it (issue 13; :mod:`mapapp.clearance`): households, their
parcels, the procedure's steps, payments, complaints, blockers and the administrative units; part of
:data:`mapapp.store.schema.metadata` (every table is reached through :mod:`mapapp.store.schema`).

Personal data (Decree 13/2023/NĐ-CP): households' names, lookup codes, amounts, documents — read through
:mod:`mapapp.queries.clearance`, which hands them to staff only.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mapapp.store.metadata import metadata

households = Table(
    "households",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False, default="household"),  # household | organisation
    Column("members", Integer),
    Column("lookup_code", Text, unique=True),
    Column("note", Text, nullable=False, default=""),
    Column("version", Integer, default=1),
    Column("changed_at", String(32)),
    Column("changed_by", Text),
)

household_parcels = Table(
    "household_parcels",
    metadata,
    Column("household_code", Text, ForeignKey("households.code", ondelete="CASCADE"), primary_key=True),
    Column("parcel_code", Text, ForeignKey("clearance.code", ondelete="CASCADE"), primary_key=True, index=True),
)

clearance_parcels = Table(
    "clearance_parcels",
    metadata,
    Column("parcel_code", Text, ForeignKey("clearance.code", ondelete="CASCADE"), primary_key=True),
    Column("land_kind", String(20), nullable=False, default="agricultural"),
)

clearance_steps = Table(
    "clearance_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parcel_code", Text, ForeignKey("clearance.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("step", String(32), nullable=False),
    Column("date", String(10)),  # None: done, date unknown (an old-style import)
    Column("doc_type", Text, nullable=False, default=""),
    Column("doc_number", Text, nullable=False, default=""),
    Column("doc_date", String(10)),
    Column("signer", Text, nullable=False, default=""),
    Column("scan", Text),
    Column("conditions", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("recorded_at", String(32)),
    Column("recorded_by", Text),
    UniqueConstraint("parcel_code", "step", name="uq_clearance_steps_parcel_step"),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parcel_code", Text, ForeignKey("clearance.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("household_code", Text, ForeignKey("households.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("approved_vnd", Float),
    Column("approval_date", String(10)),
    Column("due_date", String(10)),
    Column("paid_vnd", Float),
    Column("paid_date", String(10)),
    Column("deposited_vnd", Float),
    Column("deposit_date", String(10)),
    Column("interest_vnd", Float),
    Column("recorded_at", String(32)),
    Column("recorded_by", Text),
)

complaints = Table(
    "complaints",
    metadata,
    Column("code", Text, primary_key=True),
    Column("parcel_code", Text, ForeignKey("clearance.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("household_code", Text),
    Column("filed", String(10)),
    Column("settled", String(10)),
    Column("summary", Text, nullable=False, default=""),
)

blockers = Table(
    "blockers",
    metadata,
    Column("code", Text, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("subject", Text, nullable=False),
    Column("zone_code", Text),
    Column("problem", Text, nullable=False, default=""),
    Column("task", Text, nullable=False),
    Column("deadline", String(10), nullable=False),
    Column("unit", Text, nullable=False),
    Column("leader", Text, nullable=False),
    Column("opened", String(10), nullable=False),
    Column("state", String(16), nullable=False),
    Column("holds_up", JSON, nullable=False, default=list),
    Column("version", Integer, default=1),
    Column("changed_at", String(32)),
    Column("changed_by", Text),
)

blocker_history = Table(
    "blocker_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("blocker_code", Text, ForeignKey("blockers.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("on", String(10), nullable=False),
    Column("field", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("previous", Text, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("by", Text, nullable=False, default=""),
)

admin_units = Table(
    "admin_units",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent", Text),
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
    Column("illustrative", Integer, nullable=False, default=0),
    Column("source", Text, nullable=False, default=""),
)

unit_placements = Table(
    "unit_placements",
    metadata,
    Column("feature_code", Text, primary_key=True),
    Column("unit_code", Text, ForeignKey("admin_units.code", ondelete="CASCADE"), primary_key=True),
)

#: The clearance record tables, in load order (parents first), as mapapp.clearance names them.
CLEARANCE_RECORD_TABLES = {
    "households": households,
    "household_parcels": household_parcels,
    "clearance_parcels": clearance_parcels,
    "steps": clearance_steps,
    "payments": payments,
    "complaints": complaints,
}
