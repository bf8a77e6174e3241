"""The layers mapapp knows: their attributes, allowed values and geometry kinds.

One declarative table drives validation on import, the database schema, the API
filters and the export, so a new attribute is added in one place.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

POLYGONAL = ("Polygon", "MultiPolygon")
ANY_GEOMETRY = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


@dataclass(frozen=True)
class Field:
    """One attribute of a layer.

    ``type`` is one of ``str``, ``float``, ``int``, ``date`` (ISO ``YYYY-MM-DD``) or
    ``curve`` (a planned S-curve: ``YYYY-MM-DD:percent;YYYY-MM-DD:percent;…``).
    ``max_length`` bounds text (codes 64 characters, other text 300 unless set).
    ``choices`` restricts a ``str`` field to an enumeration; ``ref`` names the
    layer whose ``code`` this field must match. ``personal`` marks personal data
    (Decree 13/2023/NĐ-CP; Personal Data Protection Law, in force 1 January 2026):
    shown to signed-in staff and the command line only (see :mod:`mapapp.privacy`).
    """

    name: str
    type: str = "str"
    required: bool = False
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    ref: str | None = None
    personal: bool = False
    # Text fields: at most this many characters (a 10 MB tenant name would be served in every map view).
    max_length: int | None = 300


@dataclass(frozen=True)
class Layer:
    name: str
    geometry_types: tuple[str, ...]
    fields: tuple[Field, ...]
    affects_conflicts: bool = True
    title_field: str = "name"
    status_field: str | None = "status"
    extra: dict = field(default_factory=dict)

    @functools.cached_property
    def field_names(self) -> tuple[str, ...]:
        """The fields' names in order (kept: the write path asks for them per feature)."""
        return tuple(f.name for f in self.fields)

    @property
    def personal_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.personal)

    @property
    def public_extra_attributes(self) -> bool:
        """Whether attributes beyond the spec (kept from imported files) may be shown to the public."""
        return self.extra.get("public_extra_attributes", True)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


ZONE_KINDS = ("industrial_zone", "industrial_cluster")
ZONE_STATUSES = ("operating", "under_construction", "proposed")
LAND_USES = (
    "factory",
    "warehouse",
    "logistics",
    "utility",
    "green",
    "commercial",
    "housing",
)
LOT_STATUSES = ("leased", "available", "reserved")
CLEARANCE_STATUSES = ("not_started", "negotiating", "compensated", "cleared", "disputed")
PROJECT_KINDS = ("road", "wastewater_plant", "other")
PROJECT_STATUSES = ("planned", "in_progress", "suspended", "completed")
BOUNDARY_LEVELS = ("province", "district")

LAYERS: dict[str, Layer] = {
    "boundaries": Layer(
        "boundaries",
        POLYGONAL,
        (
            Field("code", required=True, max_length=64),
            Field("name", required=True),
            Field("level", required=True, choices=BOUNDARY_LEVELS),
            Field("source"),
        ),
        affects_conflicts=False,
        status_field=None,
    ),
    "zones": Layer(
        "zones",
        POLYGONAL,
        (
            Field("code", required=True, max_length=64),
            Field("name", required=True),
            Field("name_en"),
            Field("kind", required=True, choices=ZONE_KINDS),
            Field("status", required=True, choices=ZONE_STATUSES),
            Field("district"),
            Field("planned_area_ha", "float", minimum=0),
            # Comma-separated land uses the zone's detailed plan allows; empty means any.
            Field("allowed_land_uses"),
            Field("developer"),
        ),
    ),
    "lots": Layer(
        "lots",
        POLYGONAL,
        (
            Field("code", required=True, max_length=64),
            Field("zone_code", required=True, ref="zones"),
            Field("land_use", required=True, choices=LAND_USES),
            Field("status", required=True, choices=LOT_STATUSES),
            Field("tenant"),
            Field("price_usd_m2", "float", minimum=0),
        ),
        title_field="code",
    ),
    "clearance": Layer(
        "clearance",
        POLYGONAL,
        (
            Field("code", required=True, max_length=64),
            Field("zone_code", required=True, ref="zones"),
            Field("owner", personal=True),
            Field("status", required=True, choices=CLEARANCE_STATUSES),
            Field("compensation_vnd", "float", minimum=0, personal=True),
            Field("paid_vnd", "float", minimum=0, personal=True),
            Field("households", "int", minimum=0, personal=True),
        ),
        title_field="code",
        # attributes beyond the spec may name people too: the public sees none of them
        extra={"public_extra_attributes": False},
    ),
    "projects": Layer(
        "projects",
        ANY_GEOMETRY,
        (
            Field("code", required=True, max_length=64),
            Field("name", required=True),
            Field("name_en"),
            Field("kind", required=True, choices=PROJECT_KINDS),
            Field("zone_code", ref="zones"),
            Field("status", required=True, choices=PROJECT_STATUSES),
            Field("planned_start", "date"),
            Field("planned_end", "date"),
            Field("progress_pct", "float", minimum=0, maximum=100),
            # The project's own planned S-curve; without it the plan is linear from start to end.
            Field("planned_curve", "curve", max_length=2000),
            Field("responsible"),
            Field("budget_vnd", "float", minimum=0),
            Field("directive", "int", minimum=1, maximum=12),
        ),
    ),
}


def get_layer(name: str) -> Layer:
    """Return the layer spec, or raise ``KeyError`` with the known names."""
    try:
        return LAYERS[name]
    except KeyError:
        raise KeyError(f"unknown layer {name!r}; known layers: {', '.join(LAYERS)}") from None
