"""The conflict types a planner is shown, their labels and default severities, and shared constants."""
from __future__ import annotations

from dataclasses import dataclass

HIGH, MEDIUM, LOW = "high", "medium", "low"
SNAP_M = 0.01  # lines closer than this to a polygon edge are taken to run along it
_CHUNK = 65_536  # query geometries per STRtree bulk query: bounds the pair arrays' memory

COLUMNS = (
    "id", "type", "codes", "layers", "zone_code", "area_m2", "length_m",
    "severity", "description", "description_en", "geometry",
)


@dataclass(frozen=True)
class Rule:
    """Metadata of one conflict type, for legends, filters and help texts."""

    type: str
    label_vi: str
    label_en: str
    severity: str  # default (most common) severity; rows carry their own
    description: str


RULES: dict[str, Rule] = {
    r.type: r
    for r in (
        Rule("lot_overlap", "Chồng lấn lô đất", "Overlapping lots", MEDIUM,
             "Two lots whose interiors overlap by more than the area tolerance."),
        Rule("lot_on_uncleared_land", "Lô đất trên đất chưa giải phóng mặt bằng",
             "Lot on uncleared land", HIGH,
             "A leased or reserved lot overlapping a clearance parcel that is not cleared."),
        Rule("outside_zone", "Vượt ra ngoài ranh giới khu", "Outside its zone", MEDIUM,
             "A lot or project reaching beyond the zone named by its zone_code "
             "(area, length, or a point outside)."),
        Rule("project_on_uncleared_land", "Dự án trên đất chưa giải phóng mặt bằng",
             "Project on uncleared land", HIGH,
             "A project line crossing, polygon overlapping, or point inside a parcel "
             "that is not cleared."),
        Rule("project_through_lot", "Dự án đi qua lô đất đã cho thuê",
             "Project through a leased lot", HIGH,
             "A project line crossing, polygon overlapping, or point inside a leased "
             "or reserved lot."),
        Rule("land_use_mismatch", "Sai mục đích sử dụng đất", "Land use not allowed in zone",
             MEDIUM, "A lot whose land_use is not among its zone's allowed_land_uses."),
        Rule("lot_in_proposed_zone", "Lô đã giao trong khu mới đề xuất",
             "Lot committed in a proposed zone", HIGH,
             "A leased or reserved lot in a zone whose status is still proposed."),
        Rule("zone_overlap", "Chồng lấn ranh giới khu", "Overlapping zones", MEDIUM,
             "Two zones whose boundaries overlap by more than the area tolerance."),
    )
}

_VI = {
    # lots
    "leased": "đã cho thuê", "reserved": "đã đặt chỗ", "available": "còn trống",
    # clearance
    "not_started": "chưa triển khai", "negotiating": "đang thỏa thuận",
    "compensated": "đã bồi thường", "cleared": "đã giải phóng", "disputed": "đang tranh chấp",
    # land uses
    "factory": "nhà máy", "warehouse": "kho bãi", "logistics": "logistics",
    "utility": "hạ tầng kỹ thuật", "green": "cây xanh", "commercial": "thương mại - dịch vụ",
    "housing": "nhà ở",
}
_EN = {"not_started": "not started"}

# The columns the rules read, per layer (True: an enum, compared lower-case); a change to any other
# column (a tenant, a price, a name) cannot change a conflict.
INPUT_COLUMNS: dict[str, dict[str, bool]] = {
    "zones": {"code": False, "status": True, "allowed_land_uses": True},
    "lots": {"code": False, "zone_code": False, "status": True, "land_use": True},
    "clearance": {"code": False, "zone_code": False, "status": True},
    "projects": {"code": False, "zone_code": False, "status": True},
}

_LOT_COMMITTED = ("leased", "reserved")
_CLEARED = "cleared"
