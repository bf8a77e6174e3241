"""Database tables, derived from the layer specs in :mod:`mapapp.layers`.

Geometry is kept as WKB (WGS84) next to its bounding box and, for layers, its
metric copy (``geom_m``, WKB in EPSG:5897); areas and lengths in metres are computed
once on write. The spatial indexes are not declared here: they differ per backend
(SQLite's R*Tree tables kept by triggers, PostGIS's generated ``geom_pg`` column with
a GiST index; migration ``0002_spatial_index``, :mod:`mapapp.store.spatial`).
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mapapp.layers import LAYERS, Field
from mapapp.store.metadata import metadata
from mapapp.store.schema_clearance import (  # the land clearance tables, reached here as every other table
    CLEARANCE_RECORD_TABLES,
    admin_units,
    blocker_history,
    blockers,
    clearance_parcels,
    clearance_steps,
    complaints,
    household_parcels,
    households,
    payments,
    unit_placements,
)


_TYPES = {"str": Text, "float": Float, "int": Integer, "date": String(10), "curve": Text}


def _column(f: Field) -> Column:
    return Column(f.name, _TYPES[f.type], nullable=not f.required)


def _geometry_columns() -> list[Column]:
    return [
        Column("geom", LargeBinary, nullable=False),
        # the geometry in EPSG:5897 (mapapp.analysis.measure), what the analysis reads
        Column("geom_m", LargeBinary),
        Column("geom_type", String(20), nullable=False),
        Column("minx", Float, nullable=False),
        Column("miny", Float, nullable=False),
        Column("maxx", Float, nullable=False),
        Column("maxy", Float, nullable=False),
        Column("area_m2", Float),
        Column("length_m", Float),
    ]


def _layer_table(name: str) -> Table:
    spec = LAYERS[name]
    cols = [Column("id", Integer, primary_key=True)]
    cols += [_column(f) for f in spec.fields]
    cols.append(Column("props", JSON, nullable=False, default=dict))
    # code, names, tenant folded to unaccented lower case on write: search is a LIKE, not a scan;
    # personal fields (owner) folded apart, searched for staff only
    cols.append(Column("search_text", Text))
    cols.append(Column("search_personal", Text))
    # optimistic locking: every change of the row adds one (HTTP ETag / If-Match)
    cols.append(Column("version", Integer, default=1))
    cols.append(Column("changed_at", String(32)))
    cols.append(Column("changed_by", Text))
    # retired by an import with --replace (or by hand): kept, with its history, hidden from lists
    cols.append(Column("retired_at", String(32)))
    cols += _geometry_columns()
    table = Table(name, metadata, *cols, UniqueConstraint("code", name=f"uq_{name}_code"))
    if "zone_code" in spec.field_names:
        Index(f"ix_{name}_zone", table.c.zone_code)
    # pages in code order and their counts walk the active features' codes only (migration 0007); the index
    # holds its own condition's column so that SQLite never reads a table row to test it (migration 0012)
    active = table.c.retired_at.is_(None)
    Index(f"ix_{name}_active_code", table.c.code, table.c.retired_at, sqlite_where=active, postgresql_where=active)
    return table


layer_tables: dict[str, Table] = {name: _layer_table(name) for name in LAYERS}

progress_reports = Table(
    "progress_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_code", Text, ForeignKey("projects.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("date", String(10), nullable=False),
    Column("percent", Float, nullable=False),
    Column("disbursed_vnd", Float),
    Column("reached_m", Float),
    Column("note", Text, nullable=False, default=""),
    Column("reported_by", Text, nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
    # a report is never deleted: reverting it marks it withdrawn (kept in the history)
    Column("withdrawn_at", String(32)),
    Column("withdrawn_by", Text),
)

clearance_events = Table(
    "clearance_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("parcel_code", Text, ForeignKey("clearance.code", ondelete="CASCADE"), nullable=False, index=True),
    Column("date", String(10), nullable=False),
    Column("status", Text, nullable=False),
    Column("paid_vnd", Float),
)

directives = Table(
    "directives",
    metadata,
    Column("item", Integer, primary_key=True),
    Column("text_vi", Text, nullable=False),
    Column("text_en", Text, nullable=False),
    Column("responsible", Text, nullable=False, default=""),
    Column("status", Text, nullable=False),
    Column("links", JSON, nullable=False, default=list),
    Column("version", Integer, default=1),
    Column("changed_at", String(32)),
    Column("changed_by", Text),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("type", Text, nullable=False, index=True),
    Column("codes", JSON, nullable=False),
    Column("layers", JSON, nullable=False),
    Column("zone_code", Text, index=True),
    Column("area_m2", Float),
    Column("length_m", Float),
    Column("severity", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("description_en", Text, nullable=False),
    Column("geom", LargeBinary, nullable=False),
    Column("minx", Float, nullable=False),
    Column("miny", Float, nullable=False),
    Column("maxx", Float, nullable=False),
    Column("maxy", Float, nullable=False),
)
# Each zone's conflicts counted by type from the index alone (mapapp.store.summaries.read, after every write).
Index("ix_conflicts_zone_type", conflicts.c.zone_code, conflicts.c.type)

# Each zone's active lots and leasable hectares by lot status, refreshed by every write for the zones it
# touches (mapapp.store.summaries): the zone figures are read from these rows, not from every lot.
zone_summaries = Table(
    "zone_summaries",
    metadata,
    Column("zone_code", Text, primary_key=True),
    Column("status", Text, primary_key=True),
    Column("lots", Integer, nullable=False),
    Column("leasable_ha", Float, nullable=False),
)

# Each zone's clearance figure row at the dataset's date (mapapp.store.figure_rows), so a fresh app process
# (or a second one) reads the zones' figures instead of working every zone out again; a row is used only
# while its fingerprint (the zone's figure versions, the date, the settings, the code) and paces still hold.
zone_figure_rows = Table(
    "zone_figure_rows",
    metadata,
    Column("zone_code", Text, primary_key=True),
    Column("at", String(10), primary_key=True),
    Column("fingerprint", Text, nullable=False),
    Column("steps", Text),
    Column("paces", Text, nullable=False),
    Column("area_ha", Float, nullable=False),
    Column("cleared_ha", Float, nullable=False),
    Column("cleared_share", Float, nullable=False),
    Column("largest_cleared_block_ha", Float, nullable=False),
    Column("blocks", Integer, nullable=False),
    Column("parcels_open", Integer, nullable=False),
    Column("expected_handover", String(10)),
)

# Each zone's whole clearance figures (parcels, zone row, cleared blocks, current parcels: each frame as Arrow IPC
# bytes, mapapp.store.frame_bytes) at the dataset's date (mapapp.store.figure_parts), so no reader in any app
# process works a zone out cold once it has been worked out; used only while its fingerprint and paces hold.
zone_figure_parts = Table(
    "zone_figure_parts",
    metadata,
    Column("zone_code", Text, primary_key=True),
    Column("at", String(10), primary_key=True),
    Column("fingerprint", Text, nullable=False),
    Column("paces", Text, nullable=False),
    Column("parcels", LargeBinary, nullable=False),
    Column("zones", LargeBinary, nullable=False),
    Column("blocks", LargeBinary, nullable=False),
    Column("current", LargeBinary, nullable=False),
)

# Each lot's readiness at the dataset's date (mapapp.store.lot_rows), so a view or an OGC page whose lots are all
# kept reads these rows instead of decoding the figures of the zones around them; a row is used only while its
# key (a digest of the lot's geometry and of what the zones that can reach it were worked out from) holds.
lot_readiness = Table(
    "lot_readiness",
    metadata,
    Column("code", Text, primary_key=True),
    Column("key", String(32), nullable=False),
    Column("ready", Boolean, nullable=False),
    Column("missing", Text, nullable=False),
    Column("reason", Text),
    Column("ready_expected", String(10)),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    # sha256 of the API token (the token itself is shown once, never stored)
    Column("token_hash", String(64), unique=True),
    Column("disabled", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
)

# Append-only: every change with who, when, how, the feature, and its values before and after.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("change_id", String(32), nullable=False, index=True),  # one write (an import is one change)
    Column("at", String(32), nullable=False, index=True),
    Column("actor", Text, nullable=False, index=True),
    Column("via", String(16), nullable=False),  # web, api, cli, import
    Column("source", Text),  # import: file name and sha256
    Column("action", String(16), nullable=False),  # insert, update, retire, restore, report, directive, load, revert
    Column("layer", String(32), index=True),
    Column("code", Text, index=True),
    Column("before", JSON),
    Column("after", JSON),
    Column("warnings", JSON),  # warnings the writer confirmed
    Column("reverts", Integer),  # the audit entry this change reverts
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
