"""The seven zones and clusters of notice 19/TB-VP.UBND, as rectangles in metres (positions are estimates)."""
from __future__ import annotations

import shapely
from shapely.geometry import LineString, Polygon, box

from .common import BQL, ll2m


class Zone:
    """A rectangle-based zone in metric coordinates; local (0, 0) is its SW corner."""

    def __init__(self, code, center_ll, width, height, props):
        cx, cy = ll2m(*center_ll)
        self.code = code
        self.x0 = cx - width / 2.0
        self.y0 = cy - height / 2.0
        self.width = width
        self.height = height
        self.props = props
        self.poly = self.rect(0, 0, width, height)

    def rect(self, lx0, ly0, lx1, ly1) -> Polygon:
        return box(self.x0 + lx0, self.y0 + ly0, self.x0 + lx1, self.y0 + ly1)

    def pt(self, lx, ly) -> tuple[float, float]:
        return (self.x0 + lx, self.y0 + ly)

    def line(self, *pts) -> LineString:
        return LineString([self.pt(x, y) for x, y in pts])


def intervals(start: float, size: float, gap: float, n: int) -> list[tuple[float, float]]:
    return [(start + i * (size + gap), start + i * (size + gap) + size) for i in range(n)]


def build_zones() -> dict[str, Zone]:
    zones: dict[str, Zone] = {}
    usual = "factory,warehouse,logistics,utility,green"
    zones["KCN-SH"] = Zone(
        "KCN-SH", (105.810, 9.950), 1800.0, 2_907_900.0 / 1800.0,
        dict(name="KCN Sông Hậu", name_en="Song Hau Industrial Zone", kind="industrial_zone",
             status="operating", district="Huyện Châu Thành", planned_area_ha=290.79,
             allowed_land_uses=usual,
             developer="Công ty Phát triển hạ tầng các KCN tỉnh Hậu Giang"))
    zones["KCN-TPT"] = Zone(
        "KCN-TPT", (105.730, 9.960), 1500.0, 2_008_500.0 / 1500.0,
        dict(name="KCN Tân Phú Thạnh", name_en="Tan Phu Thanh Industrial Zone",
             kind="industrial_zone", status="operating", district="Huyện Châu Thành A",
             planned_area_ha=200.85, allowed_land_uses=usual, developer=BQL))
    zones["CCN-DP"] = Zone(
        "CCN-DP", (105.800, 9.930), 800.0, 750.0,
        dict(name="Cụm CNTT Đông Phú", name_en="Dong Phu Industrial Cluster",
             kind="industrial_cluster", status="under_construction", district="Huyện Châu Thành",
             planned_area_ha=60.0, allowed_land_uses="factory,warehouse,utility,green",
             developer=BQL))
    zones["CCN-PHA"] = Zone(
        "CCN-PHA", (105.858, 9.883), 1000.0, 1000.0,
        dict(name="CCN Phú Hữu A", name_en="Phu Huu A Industrial Cluster",
             kind="industrial_cluster", status="operating", district="Huyện Châu Thành",
             planned_area_ha=100.0, allowed_land_uses="factory,warehouse,logistics,utility",
             developer=BQL))
    zones["CCN-VT"] = Zone(
        "CCN-VT", (105.485, 9.790), 1100.0, 800.0,
        dict(name="CCN Vị Thanh", name_en="Vi Thanh Industrial Cluster",
             kind="industrial_cluster", status="operating", district="Thành phố Vị Thanh",
             planned_area_ha=88.0, allowed_land_uses="factory,warehouse,commercial,utility,green",
             developer="UBND thành phố Vị Thanh"))
    zones["CCN-PH"] = Zone(
        "CCN-PH", (105.720, 9.790), 500.0, 247_000.0 / 500.0,
        dict(name="Trung tâm CN-TTCN Phụng Hiệp", name_en="Phung Hiep Small-Industry Centre",
             kind="industrial_cluster", status="operating", district="Huyện Phụng Hiệp",
             planned_area_ha=24.7, allowed_land_uses="factory,warehouse,utility,green",
             developer="UBND huyện Phụng Hiệp"))
    # KCN Đông Phú (proposed, 120 ha): a U around the cluster, 20 m apart from it.
    cdp = zones["CCN-DP"]
    gap, south = 20.0, 350.0
    notch_w, notch_h = cdp.width + 2 * gap, cdp.height + gap
    outer_h = cdp.height + south
    outer_w = (1_200_000.0 + notch_w * notch_h) / outer_h
    kdp = Zone.__new__(Zone)
    kdp.code = "KCN-DP"
    kdp.x0 = cdp.x0 + cdp.width / 2.0 - outer_w / 2.0
    kdp.y0 = cdp.y0 - south
    kdp.width, kdp.height = outer_w, outer_h
    kdp.props = dict(
        name="KCN Đông Phú", name_en="Dong Phu Industrial Zone (proposed)",
        kind="industrial_zone", status="proposed", district="Huyện Châu Thành",
        planned_area_ha=120.0, allowed_land_uses=usual,
        developer="Công ty CP Đầu tư KCN Đông Phú")
    notch_lx0 = (outer_w - notch_w) / 2.0
    kdp.notch = (notch_lx0, south - gap, notch_lx0 + notch_w, outer_h)
    kdp.poly = kdp.rect(0, 0, outer_w, outer_h).difference(kdp.rect(*kdp.notch))
    kdp.poly = shapely.normalize(kdp.poly)
    zones["KCN-DP"] = kdp
    return zones
