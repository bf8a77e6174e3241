#!/usr/bin/env python
"""Build mapapp's bundled sample dataset for the industrial zones of Hậu Giang.

    .venv/bin/python data/geo/make_sample.py [--out DIR]

Everything here is ILLUSTRATIVE. Facts taken from public sources (zone names,
planned areas, districts, the items of notice 19/TB-VP.UBND of 5 Feb 2018) are
listed in data/geo/PROVENANCE.md; positions are estimates, and all geometry,
lots, tenants, parcels, owners, schedules and progress figures are invented.
A few planning conflicts are planted on purpose (see PLANTED_CONFLICTS) so the
app's spatial checks have something to find; everything else is conflict-free,
and the script verifies both before it writes anything.

Geometry is built in VN-2000 / TM-3 105°00' (EPSG:5897, metres), so lots are
neat rectangles with real hectares, then written as RFC 7946 GeoJSON (WGS84,
7 decimals, UTF-8). The script is deterministic: a fixed seed and a fixed
feature order, so two runs give byte-identical files.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Polygon, box

SEED = 20180205  # the notice's date
STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:5897"
DECIMALS = 7
TOLERANCE_M2 = 1.0  # what counts as a real overlap (the app's tolerance)
# The sample's "today" (mapapp.sources.sample.SAMPLE_AS_OF): reports and clearance
# events end by then; plans run on into 2019.
AS_OF = date(2018, 12, 31)

_TO_M = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)
_TO_LL = Transformer.from_crs(METRIC_CRS, STORAGE_CRS, always_xy=True)

BQL = "Ban Quản lý các KCN tỉnh Hậu Giang"
# Item 11 of the notice asks for one named leader of the board to follow land
# clearance. The name is INVENTED for the sample.
CLEARANCE_LEADER = "Phó Trưởng ban Võ Minh Triều"

OUTPUT_FILES = (
    "boundaries.geojson",
    "zones.geojson",
    "lots.geojson",
    "clearance.geojson",
    "projects.geojson",
    "progress_reports.csv",
    "clearance_events.csv",
    "directives.json",
    "expected_conflicts.json",
)

# --------------------------------------------------------------------------- helpers


def ll2m(lon: float, lat: float) -> tuple[float, float]:
    x, y = _TO_M.transform(lon, lat)
    return float(x), float(y)


def _xy(tr: Transformer):
    def f(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return f


def to_storage(geom):
    """Metric geometry -> WGS84, rounded to DECIMALS, polygons oriented per RFC 7946."""
    g = shapely.transform(geom, _xy(_TO_LL))
    g = shapely.transform(g, lambda c: np.round(c, DECIMALS))
    if g.geom_type in ("Polygon", "MultiPolygon"):
        g = shapely.orient_polygons(g, exterior_cw=False)
    if not g.is_valid:
        raise ValueError(f"invalid geometry after rounding: {g.wkt[:120]}")
    return g


def to_metric(geom):
    return shapely.transform(geom, _xy(_TO_M))


def _coords(seq) -> list:
    return [[float(x), float(y)] for x, y in seq]


def geojson_geometry(g) -> dict:
    if g.geom_type == "Polygon":
        rings = [g.exterior] + list(g.interiors)
        return {"type": "Polygon", "coordinates": [_coords(r.coords) for r in rings]}
    if g.geom_type == "LineString":
        return {"type": "LineString", "coordinates": _coords(g.coords)}
    raise TypeError(g.geom_type)


def vnd(x: float) -> float:
    """Round an amount to the million dong, as a float (the schema's type)."""
    return float(round(x / 1e6) * 1e6)


# --------------------------------------------------------------------------- zones


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
        "KCN-TPT", (105.730, 9.970), 1500.0, 2_008_500.0 / 1500.0,
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


# --------------------------------------------------------------------------- boundaries

PROVINCE_OUTLINE = [  # lon, lat; simplified and illustrative, clockwise from the west
    (105.335, 9.785), (105.40, 9.845), (105.46, 9.885), (105.56, 9.922), (105.63, 9.962),
    (105.69, 9.9895), (105.78, 9.9895),
    # the Hậu River bank (north-east edge), a few hundred metres off KCN Sông Hậu / CCN Phú Hữu A
    (105.8205, 9.9600), (105.8655, 9.8895), (105.898, 9.855),
    (105.88, 9.83), (105.85, 9.80), (105.795, 9.735), (105.74, 9.66), (105.67, 9.585),
    (105.60, 9.595), (105.52, 9.635), (105.45, 9.69), (105.37, 9.735),
]

DISTRICT_LINES = [  # internal boundaries; ends overshoot and are trimmed by polygonize
    [(105.757, 10.01), (105.757, 9.94), (105.77, 9.88)],
    [(105.77, 9.88), (105.82, 9.862), (105.86, 9.852), (105.95, 9.84)],
    [(105.77, 9.88), (105.70, 9.882), (105.625, 9.895), (105.60, 9.98)],
    [(105.625, 9.895), (105.61, 9.80), (105.63, 9.70), (105.66, 9.64), (105.69, 9.55)],
    [(105.79, 9.89), (105.795, 9.80), (105.83, 9.775), (105.90, 9.765)],
    [(105.30, 9.825), (105.42, 9.82), (105.50, 9.81), (105.61, 9.80)],
    [(105.50, 9.81), (105.505, 9.74)],
    [(105.30, 9.745), (105.45, 9.74), (105.505, 9.74), (105.58, 9.68), (105.63, 9.70)],
]

DISTRICTS = [  # code, name, a point inside (lon, lat)
    ("HG-CTA", "Huyện Châu Thành A", (105.6419, 9.9306)),
    ("HG-CTH", "Huyện Châu Thành", (105.81, 9.93)),
    ("HG-LMH", "Huyện Long Mỹ", (105.58, 9.64)),
    ("HG-LMT", "Thị xã Long Mỹ", (105.56, 9.75)),
    ("HG-NBA", "Thị xã Ngã Bảy", (105.8197, 9.8164)),
    ("HG-PHI", "Huyện Phụng Hiệp", (105.70, 9.75)),
    ("HG-VTA", "Thành phố Vị Thanh", (105.467, 9.783)),
    ("HG-VTY", "Huyện Vị Thủy", (105.50, 9.86)),
]


def build_boundaries():
    outline = Polygon([ll2m(*p) for p in PROVINCE_OUTLINE])
    lines = [outline.exterior] + [LineString([ll2m(*p) for p in ln]) for ln in DISTRICT_LINES]
    noded = shapely.union_all(lines)
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    faces = [f for f in faces if outline.contains(f.representative_point())]
    if len(faces) != len(DISTRICTS):
        raise AssertionError(f"expected {len(DISTRICTS)} district faces, got {len(faces)}")
    districts = {}
    for code, name, inside in DISTRICTS:
        p = shapely.Point(ll2m(*inside))
        hit = [f for f in faces if f.contains(p)]
        if len(hit) != 1:
            raise AssertionError(f"district {code}: {len(hit)} faces")
        districts[code] = (name, shapely.normalize(hit[0]))
    # the province is the union of its districts, so it carries the same vertices
    # where district limits meet the outline (and tiles exactly once projected to WGS84)
    province = shapely.normalize(shapely.union_all([g for _, g in districts.values()]))
    if province.geom_type != "Polygon" or abs(province.area - outline.area) > 1.0:
        raise AssertionError("districts do not tile the outline")
    return province, districts


# --------------------------------------------------------------------------- lots

ROWS = "ABCDEFGH"  # row letters count from the south (A = southernmost row)

TENANTS = [
    "Công ty TNHH Thực phẩm Phú Lộc Xanh",
    "Công ty CP Bao bì Tân Hưng Phát",
    "Công ty TNHH Chế biến Nông sản Mê Kông Vàng",
    "Công ty TNHH Giày da Hòa Thuận Hậu Giang",
    "Công ty CP Dược phẩm Sông Xanh",
    "Công ty TNHH Cơ khí Đông Phú Thịnh",
    "Công ty CP Thủy sản Kênh Xáng Mới",
    "Công ty TNHH Vật liệu xây dựng Cái Côn",
    "Công ty TNHH Kho vận Tây Sông Hậu",
    "Công ty TNHH May mặc Ánh Dương Mekong",
    "Công ty CP Thức ăn chăn nuôi Bảy Ngàn",
    "Công ty TNHH Nhựa kỹ thuật Phú Thạnh",
    "Công ty CP Gỗ Minh Phát Hậu Giang",
    "Công ty TNHH Điện tử Hikari Mekong",
    "Công ty TNHH Dệt Hanul Việt Nam",
    "Công ty TNHH Thép hình Kim Long Phát",
    "Công ty TNHH Kho lạnh Cửu Long Xanh",
    "Mekong Fresh Foods Co., Ltd.",
    "Delta Bio-Fertilizer JSC",
    "Sunrise Rice Bran Oil Co., Ltd.",
    "Công ty CP Phân bón Lúa Vàng Miền Tây",
    "Công ty TNHH Chế biến Dừa Phương Nam Xanh",
    "Công ty TNHH Nước giải khát Hậu Giang Xanh",
    "Công ty CP Bê tông Đúc sẵn Đông Phú",
    "Công ty TNHH Sợi Phú Hữu Thành",
    "Công ty TNHH Bao bì Giấy Nam Sông Hậu",
    "Công ty CP Chế biến Gạo Ngọc Thủy",
    "Công ty TNHH Linh kiện Ô tô Tân Đại Phát",
    "Công ty TNHH In ấn Bao bì Hưng Thịnh Tây",
    "Công ty CP Năng lượng Sinh khối Trấu Vàng",
    "Công ty TNHH Cơ điện lạnh Bình Minh Tây",
    "Công ty TNHH Hóa mỹ phẩm Sen Hồng Mekong",
    "Công ty CP Logistics Cảng Cái Cui Xanh",
    "Công ty TNHH Thức ăn thủy sản Thái Dương Tây",
    "Công ty TNHH Gốm sứ Vị Thanh Mới",
    "Công ty TNHH Chế biến Khóm Cầu Đúc",
    "Công ty TNHH Đóng tàu sà lan Tam Phát",
    "Công ty CP Kết cấu thép Phụng Hiệp",
    "Công ty TNHH Bánh kẹo Ngọc Mai Tây",
    "Công ty TNHH Phụ gia Thực phẩm Green Delta",
]
HTML_TENANT = 'Công ty A&B <Việt> "Test"'
LEE_MAN = "Công ty TNHH Giấy Lee & Man Việt Nam"
LEE_MAN_M2 = 83_140.7  # leased area quoted in the data brief

LAND_USE_WEIGHTS = {"factory": 0.7, "warehouse": 0.17, "logistics": 0.1, "commercial": 0.03}


class LotGrid:
    """Rectangular lot cells of one zone, keyed by (row letter, column number)."""

    def __init__(self, zone: Zone, xs, ys):
        self.zone = zone
        self.xs, self.ys = xs, ys
        self.cells = {(ROWS[r], c + 1): (x0, y0, x1, y1)
                      for r, (y0, y1) in enumerate(ys) for c, (x0, x1) in enumerate(xs)}


def layout_lots(grid: LotGrid, rng: random.Random, remove=(), protect=(), no_merge_after=(),
                p_merge=0.12, p_split=0.15, split_ok=True):
    """Return [(code, local box)] for a grid: a few cells merged with their east
    neighbour (never across a column in no_merge_after), a few split in two."""
    prefix = grid.zone.lot_prefix
    out = []
    ncols = len(grid.xs)
    for r in range(len(grid.ys)):
        row = ROWS[r]
        c = 1
        while c <= ncols:
            key = (row, c)
            if key in remove:
                c += 1
                continue
            x0, y0, x1, y1 = grid.cells[key]
            code = f"{prefix}-{row}{c:02d}"
            nxt = (row, c + 1)
            u1, u2 = rng.random(), rng.random()
            can_merge = (c < ncols and key not in protect and nxt not in protect
                         and nxt not in remove and c not in no_merge_after)
            if can_merge and u1 < p_merge:
                out.append((code, (x0, y0, grid.cells[nxt][2], y1)))
                c += 2
                continue
            if split_ok and key not in protect and u2 < p_split:
                xm = (x0 + x1) / 2.0
                out.append((code + "A", (x0, y0, xm, y1)))
                out.append((code + "B", (xm, y0, x1, y1)))
            else:
                out.append((code, (x0, y0, x1, y1)))
            c += 1
    return out


# --------------------------------------------------------------------------- parcels

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Châu", "Thạch", "Danh", "Trương", "Phan", "Lâm", "Tô"]
MALE_MID = ["Văn", "Minh", "Thanh", "Hoàng", "Văn", "Hữu"]
FEMALE_MID = ["Thị", "Ngọc", "Kim", "Thị"]
MALE_GIVEN = ["Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Út", "Hùng",
              "Dũng", "Phúc", "Lộc", "Tài", "Hiền", "Sang", "Thành", "Nghĩa", "Khanh"]
FEMALE_GIVEN = ["Hoa", "Lan", "Cúc", "Mai", "Hồng", "Nga", "Thu", "Hạnh", "Loan", "Tuyết"]


def owner_name(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return f"Hộ ông {rng.choice(SURNAMES)} {rng.choice(MALE_MID)} {rng.choice(MALE_GIVEN)}"
    return f"Hộ bà {rng.choice(SURNAMES)} {rng.choice(FEMALE_MID)} {rng.choice(FEMALE_GIVEN)}"


def cut(start: float, end: float, lo: float, hi: float, rng: random.Random) -> list[float]:
    """Break points from start to end, pieces between lo and hi long (the last absorbs the rest)."""
    pts = [start]
    while end - pts[-1] > hi:
        step = rng.uniform(lo, hi)
        if end - (pts[-1] + step) < lo:
            step = (end - pts[-1]) / 2.0
        pts.append(round(pts[-1] + step, 1))
    pts.append(end)
    return pts


def strips(xb, yb) -> list[tuple[float, float, float, float]]:
    return [(x0, y0, x1, y1) for x0, x1 in zip(xb, xb[1:]) for y0, y1 in zip(yb, yb[1:])]


# --------------------------------------------------------------------------- the dataset


def build(rng: random.Random):
    zones = build_zones()
    prefixes = {"KCN-SH": "SH", "KCN-TPT": "TPT", "CCN-DP": "CDP", "KCN-DP": "KDP",
                "CCN-PHA": "PHA", "CCN-VT": "VT", "CCN-PH": "PH"}
    for z in zones.values():
        z.lot_prefix = prefixes[z.code]

    lots: list[dict] = []  # code, zone, box (local) or geom, planted status etc.
    parcels: list[dict] = []
    projects: list[dict] = []

    def add_lot(zone, code, lb, **kw):
        lots.append(dict(code=code, zone=zone, geom=zone.rect(*lb), **kw))

    # ---- KCN Sông Hậu: 8 columns x 7 rows of 195 x 160 m, a 36 m central road,
    # the riverside strip (north) still being cleared.
    sh = zones["KCN-SH"]
    sh_x = intervals(30, 195, 24, 4) + intervals(918, 195, 24, 4)
    sh_grid = LotGrid(sh, sh_x, intervals(30, 160, 24, 7))
    protect = {("D", 2), ("D", 3), ("C", 6)}
    for code, lb in layout_lots(sh_grid, rng, remove={("A", 8)}, protect=protect,
                                no_merge_after={4}):
        if code == "SH-D02":  # planted lot_overlap: drawn 42 m into SH-D03
            lb = (lb[0], lb[1], lb[2] + 66.0, lb[3])
            add_lot(sh, code, lb, planted="overlap")
        elif code == "SH-C06":
            add_lot(sh, code, lb, status="leased", tenant=HTML_TENANT, land_use="factory")
        else:
            add_lot(sh, code, lb)
    add_lot(sh, "SH-H03", (468, 1318, 663, 1478), status="reserved",
            tenant="Công ty TNHH Cảng cạn Sông Hậu Xanh", land_use="logistics",
            planted="uncleared")
    sh_strip = (12.0, 1305.0, 1788.0, sh.height - 12.0)
    for lb in strips(cut(sh_strip[0], sh_strip[2], 45, 75, rng), [sh_strip[1], sh_strip[3]]):
        parcels.append(dict(zone=sh, geom=sh.rect(*lb)))
    projects.append(dict(
        code="PRJ-SH-ROAD", zone=sh, kind="road",
        geom=sh.line((900, 1300), (900, 15), (780, -340)),
        name="Đường giao thông KCN Sông Hậu", name_en="Song Hau IZ road"))
    projects.append(dict(
        code="PRJ-SH-WWTP", zone=sh, kind="wastewater_plant",
        geom=sh.rect(1590, 45, 1755, 175),
        name="Trạm xử lý nước thải KCN Sông Hậu",
        name_en="Song Hau IZ wastewater treatment plant"))

    # ---- KCN Tân Phú Thạnh: 6 columns (36 m central road), 7 rows; the north-east
    # corner is still being cleared.
    tpt = zones["KCN-TPT"]
    tpt_x = intervals(30, 208, 24, 3) + intervals(738, 228, 24, 3)
    tpt_grid = LotGrid(tpt, tpt_x, intervals(30, 160, 24, 7))
    protect = {("A", 2), ("B", 2), ("A", 6), ("F", 5)}
    for code, lb in layout_lots(tpt_grid, rng, remove={("G", 5), ("G", 6), ("F", 6)},
                                protect=protect, no_merge_after={3, 4}):
        if code == "TPT-B02":  # planted lot_overlap: drawn 30 m down into TPT-A02
            lb = (lb[0], lb[1] - 54.0, lb[2], lb[3])
            add_lot(tpt, code, lb, planted="overlap")
        elif code == "TPT-A06":  # planted land_use_mismatch
            add_lot(tpt, code, lb, status="leased", land_use="housing",
                    tenant="Công ty TNHH Nhà lưu trú Công nhân Phú Thạnh", planted="mismatch")
        elif code == "TPT-F05":  # planted lot_on_uncleared_land (negotiating parcel)
            add_lot(tpt, code, lb, status="leased", land_use="factory",
                    tenant="Công ty TNHH Chế biến Thủy sản Ba Láng", planted="uncleared")
        else:
            add_lot(tpt, code, lb)
    xb = cut(980.0, 1485.0, 45, 70, rng)
    for lb in strips(xb, [940.0, 1116.0, 1200.0, tpt.height - 15.0]):
        parcels.append(dict(zone=tpt, geom=tpt.rect(*lb)))
    tpt_roads = [
        ("PRJ-TPT-R1", [(15, 1122), (1485, 1122)], "Đường số 1 KCN Tân Phú Thạnh",
         "Road 1, Tan Phu Thanh IZ"),
        ("PRJ-TPT-R3", [(15, 754), (1485, 754)], "Nâng cấp, cải tạo đường số 3 KCN Tân Phú Thạnh",
         "Upgrade of road 3, Tan Phu Thanh IZ"),
        ("PRJ-TPT-R4", [(15, 386), (1485, 386)], "Nâng cấp, cải tạo đường số 4 KCN Tân Phú Thạnh",
         "Upgrade of road 4, Tan Phu Thanh IZ"),
        ("PRJ-TPT-R6", [(978, 15), (978, 930)], "Phần còn lại đường số 6 KCN Tân Phú Thạnh",
         "Remaining section of road 6, Tan Phu Thanh IZ"),
    ]
    for code, pts, name, name_en in tpt_roads:
        projects.append(dict(code=code, zone=tpt, kind="road", geom=tpt.line(*pts),
                             name=name, name_en=name_en))

    # ---- Cụm CNTT Đông Phú: 3 x 4 cells; the east side still being cleared.
    cdp = zones["CCN-DP"]
    cdp_grid = LotGrid(cdp, intervals(25, 234, 24, 3), intervals(25, 157, 24, 4))
    for code, lb in layout_lots(cdp_grid, rng, remove={("C", 3)}, protect={("B", 3)},
                                p_merge=0.0, p_split=0.3):
        if code == "CDP-B03":  # planted lot_on_uncleared_land (compensated parcel)
            add_lot(cdp, code, lb, status="reserved", land_use="warehouse",
                    tenant="Công ty CP Kho bãi Đông Phú Tín", planted="uncleared")
        else:
            add_lot(cdp, code, lb)
    for lb in strips([530.0, 660.0, 788.0], [195.0, 240.0, 290.0, 330.0, 368.0, 412.0,
                                            460.0, 510.0, 560.0]):
        parcels.append(dict(zone=cdp, geom=cdp.rect(*lb)))
    projects.append(dict(
        code="PRJ-CDP-3B", zone=cdp, kind="road", geom=cdp.line((271, 375), (788, 375)),
        name="Đường số 3B (đợt 2) Cụm CNTT Đông Phú",
        name_en="Road 3B (phase 2), Dong Phu Industrial Cluster"))

    # ---- KCN Đông Phú (proposed): no lots; the app flags any leased/reserved lot in a
    # proposed zone (lot_in_proposed_zone), so the brief's "3 projects on 11 ha" are not
    # drawn. Parcels fill the arms and the south band.
    kdp = zones["KCN-DP"]
    nx0, ny0, nx1, _ = kdp.notch
    regions = [
        ("y", (20.0, ny0 + 20.0, nx0 - 20.0, kdp.height - 20.0), 60, 110),
        ("y", (nx1 + 20.0, ny0 + 20.0, kdp.width - 20.0, kdp.height - 20.0), 60, 110),
        ("x", (20.0, 20.0, kdp.width - 20.0, ny0 - 20.0), 70, 120),
    ]
    for axis, (x0, y0, x1, y1), lo, hi in regions:
        if axis == "y":
            cells = strips([x0, x1], cut(y0, y1, lo, hi, rng))
        else:
            cells = strips(cut(x0, x1, lo, hi, rng), [y0, y1])
        for lb in cells:
            parcels.append(dict(zone=kdp, geom=kdp.rect(*lb)))

    # ---- CCN Phú Hữu A: 4 x 4 cells; the Lee & Man mill in the north-west corner.
    pha = zones["CCN-PHA"]
    pha_grid = LotGrid(pha, intervals(25, 219.5, 24, 4), intervals(25, 219.5, 24, 4))
    protect = {("A", 1)}
    for code, lb in layout_lots(pha_grid, rng, remove={("D", 1), ("D", 2)}, protect=protect):
        if code == "PHA-A01":  # planted outside_zone: 30 m past the south edge
            lb = (lb[0], lb[1] - 55.0, lb[2], lb[3])
            add_lot(pha, code, lb, planted="outside")
        else:
            add_lot(pha, code, lb)
    lm_w = 463.0
    add_lot(pha, "PHA-D01", (25.0, 975.0 - LEE_MAN_M2 / lm_w, 25.0 + lm_w, 975.0),
            status="leased", tenant=LEE_MAN, land_use="factory")

    # ---- CCN Vị Thanh: 5 x 4 cells.
    vt = zones["CCN-VT"]
    vt_grid = LotGrid(vt, intervals(25, 190.8, 24, 5), intervals(25, 169.5, 24, 4))
    for code, lb in layout_lots(vt_grid, rng, protect={("C", 5)}, p_split=0.25):
        if code == "VT-C05":  # planted outside_zone: 40 m past the east edge
            lb = (lb[0], lb[1], lb[2] + 65.0, lb[3])
            add_lot(vt, code, lb, planted="outside")
        else:
            add_lot(vt, code, lb)

    # ---- Phụng Hiệp small-industry centre: 3 x 3 small lots.
    ph = zones["CCN-PH"]
    ph_grid = LotGrid(ph, intervals(20, 412 / 3, 24, 3), intervals(20, (ph.height - 88) / 3, 24, 3))
    for code, lb in layout_lots(ph_grid, rng, protect={("B", 2)}, split_ok=False, p_merge=0.1):
        if code == "PH-B02":  # planted land_use_mismatch
            add_lot(ph, code, lb, status="leased", land_use="commercial",
                    tenant="Công ty TNHH Siêu thị Vật tư Cây Dương", planted="mismatch")
        else:
            add_lot(ph, code, lb)

    return zones, lots, parcels, projects


# --------------------------------------------------------------------------- attributes

ZONE_MIX = {  # lot status weights (leased, reserved, available) and price range (USD/m²)
    "KCN-SH": ((0.52, 0.1, 0.38), (62, 68)),
    "KCN-TPT": ((0.42, 0.1, 0.48), (52, 60)),
    "CCN-DP": ((0.40, 0.1, 0.50), (45, 50)),
    "CCN-PHA": ((0.40, 0.15, 0.45), (48, 55)),
    "CCN-VT": ((0.35, 0.1, 0.55), (45, 50)),
    "CCN-PH": ((0.5, 0.1, 0.4), (45, 48)),
}
PARCEL_MIX = {  # not_started, negotiating, compensated, cleared, disputed
    "KCN-SH": (0.28, 0.36, 0.2, 0.0, 0.16),
    "KCN-TPT": (0.15, 0.3, 0.25, 0.2, 0.1),
    "CCN-DP": (0.2, 0.3, 0.2, 0.2, 0.1),
    "KCN-DP": (0.42, 0.25, 0.08, 0.1, 0.15),
}
STATUSES = ("not_started", "negotiating", "compensated", "cleared", "disputed")
COMP_RATE = {"KCN-SH": 185_000, "KCN-TPT": 175_000, "CCN-DP": 170_000, "KCN-DP": 160_000}
SUPPORT_PER_HOUSEHOLD = 40_000_000
SH_HOUSEHOLDS = 310  # households affected by clearance in KCN Sông Hậu (data brief)


def pick(rng, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def assign_lots(lots, zones, rng):
    tenants = list(TENANTS)
    rng.shuffle(tenants)
    it = iter(tenants * 3)
    lots.sort(key=lambda l: l["code"])
    for lot in lots:
        z = lot["zone"]
        (pl, pr, pa), (lo, hi) = ZONE_MIX[z.code]
        allowed = z.props["allowed_land_uses"].split(",")
        if "status" not in lot:
            lot["status"] = rng.choices(["leased", "reserved", "available"], [pl, pr, pa])[0]
        if "land_use" not in lot:
            w = {k: v for k, v in LAND_USE_WEIGHTS.items() if k in allowed}
            lot["land_use"] = pick(rng, w)
        if "tenant" not in lot:
            lot["tenant"] = next(it) if lot["status"] != "available" else None
        lot["price_usd_m2"] = (float(round(rng.uniform(lo, hi) * 2) / 2)
                               if lot["status"] == "available" else None)
    # a utility lot (substation) kept by the developer in the two big zones
    for code in ("SH-A07", "TPT-A01"):
        for lot in lots:
            if lot["code"] == code and "planted" not in lot:
                lot.update(status="reserved", land_use="utility",
                           tenant=None, price_usd_m2=None)


def assign_parcels(parcels, projects, lots, rng):
    """Statuses: random per zone, then the planted ones, then 'cleared' wherever a
    road or a leased/reserved lot would otherwise make an unplanned conflict."""
    by_zone: dict[str, list] = {}
    for p in parcels:
        by_zone.setdefault(p["zone"].code, []).append(p)
    for zc, ps in by_zone.items():
        ps.sort(key=lambda p: (-round(p["geom"].centroid.y, 1), round(p["geom"].centroid.x, 1)))
        short = {"KCN-SH": "SH", "KCN-TPT": "TPT", "CCN-DP": "CDP", "KCN-DP": "KDP"}[zc]
        for i, p in enumerate(ps, 1):
            p["code"] = f"GP-{short}-{i:02d}"
            p["status"] = rng.choices(STATUSES, PARCEL_MIX[zc])[0]
            p["owner"] = owner_name(rng)

    def biggest_overlap(geom, cands):
        return max(cands, key=lambda p: (p["geom"].intersection(geom).area
                                         if geom.geom_type != "LineString"
                                         else p["geom"].intersection(geom).length))

    planted = {}  # parcel code -> status
    lot = {l["code"]: l for l in lots}
    prj = {p["code"]: p for p in projects}
    for lcode, status in (("SH-H03", "disputed"), ("TPT-F05", "negotiating"),
                          ("CDP-B03", "compensated")):
        g = lot[lcode]["geom"]
        p = biggest_overlap(g, [p for p in parcels if p["geom"].intersects(g)])
        planted[p["code"]] = status
        lot[lcode]["planted_parcel"] = p["code"]
    for pcode, status in (("PRJ-CDP-3B", "disputed"), ("PRJ-TPT-R1", "negotiating")):
        g = prj[pcode]["geom"]
        cands = [p for p in parcels if p["geom"].intersection(g).length > 0
                 and p["code"] not in planted]
        # the last parcel along the road: the stretch the builders have not reached yet
        p = max(cands, key=lambda p: g.project(p["geom"].centroid))
        planted[p["code"]] = status
        prj[pcode]["planted_parcel"] = p["code"]
    for p in parcels:
        if p["code"] in planted:
            p["status"] = planted[p["code"]]
            continue
        g = p["geom"]
        hit_lot = any(l["status"] in ("leased", "reserved") and l["geom"].intersection(g).area > 0
                      for l in lots)
        hit_road = any(pr["geom"].intersection(g.buffer(2.0)).length > 0 for pr in projects)
        if hit_lot or hit_road:
            p["status"] = "cleared"

    # households and money
    for zc, ps in by_zone.items():
        if zc == "KCN-SH":
            areas = np.array([p["geom"].area for p in ps])
            hh = np.maximum(1, np.floor(areas / areas.sum() * SH_HOUSEHOLDS)).astype(int)
            order = np.argsort(-areas, kind="stable")
            i = 0
            while hh.sum() < SH_HOUSEHOLDS:
                hh[order[i % len(ps)]] += 1
                i += 1
            for p, h in zip(ps, hh):
                p["households"] = int(h)
        else:
            for p in ps:
                p["households"] = rng.randint(1, 6)
        for p in ps:
            comp = p["geom"].area * COMP_RATE[zc] * rng.uniform(0.9, 1.1)
            comp += p["households"] * SUPPORT_PER_HOUSEHOLD
            p["compensation_vnd"] = vnd(comp)
            s = p["status"]
            if s in ("compensated", "cleared"):
                p["paid_vnd"] = p["compensation_vnd"]
            elif s == "negotiating":
                p["paid_vnd"] = vnd(comp * rng.choice([0, 0, 0.1, 0.2]))
            elif s == "disputed":
                p["paid_vnd"] = vnd(comp * rng.choice([0, 0.3, 0.5]))
            else:
                p["paid_vnd"] = 0.0


def clearance_events(parcels, rng) -> list[tuple]:
    rows = []
    for p in sorted(parcels, key=lambda p: p["code"]):
        s, paid, comp = p["status"], p["paid_vnd"], p["compensation_vnd"]
        start = date(2016, 1, 4) + timedelta(days=rng.randint(0, 400))
        steps = [("not_started", 0.0)]
        if s != "not_started":
            steps.append(("negotiating", paid if s == "negotiating" else 0.0))
        if s == "disputed":
            steps.append(("disputed", paid))
        if s in ("compensated", "cleared"):
            if rng.random() < 0.15:  # a dispute settled on the way
                steps.append(("disputed", 0.0))
            steps.append(("compensated", comp))
        if s == "cleared":
            steps.append(("cleared", comp))
        last = (AS_OF - start).days - 5
        offsets = [0] + sorted(rng.sample(range(30, last), len(steps) - 1))
        for (status, amount), off in zip(steps, offsets):
            rows.append((p["code"], (start + timedelta(days=off)).isoformat(), status, amount))
    return rows


# --------------------------------------------------------------------------- projects

PROJECT_PLANS = {
    # code: status, start, end, budget (VND), responsible, reports [(date, %, note)]
    # As of AS_OF: SH-ROAD, TPT-R1, TPT-R3 on track; SH-WWTP and CDP-3B late;
    # TPT-R6 done four months early; TPT-R4 on track at its last report but stale.
    "PRJ-SH-ROAD": ("in_progress", "2017-07-01", "2019-06-30", 120e9, BQL, [
        ("2017-10-05", 12, "Hoàn thành san lấp, đắp nền đoạn đầu tuyến."),
        ("2018-01-10", 25, "Thi công móng cấp phối đá dăm đoạn 1."),
        ("2018-05-15", 45, "Trải nhựa đoạn 1; đang thi công cống ngang đường."),
        ("2018-09-20", 62, "Thi công nền, móng đoạn 2; đúng tiến độ."),
        ("2018-12-14", 73, "Hoàn thành lớp móng đoạn 2; chuẩn bị thảm bê tông nhựa."),
    ]),
    "PRJ-SH-WWTP": ("in_progress", "2017-01-02", "2018-06-30", 95e9, BQL, [
        ("2017-04-12", 10, "Khởi công, đào hố móng bể điều hòa."),
        ("2017-09-08", 24, "Thi công bể lắng, bể hiếu khí; chậm do mưa kéo dài."),
        ("2018-01-16", 38, "Nhà thầu thiếu nhân lực; đã nhắc nhở tiến độ."),
        ("2018-06-25", 55, "Lắp đặt thiết bị đợt 1; trễ so với kế hoạch hoàn thành."),
        ("2018-09-24", 63, "Lắp đặt đường ống thu gom; chờ thiết bị nhập khẩu."),
        ("2018-12-17", 70, "Lắp đặt thiết bị đợt 2; dự kiến chạy thử quý II/2019."),
    ]),
    "PRJ-CDP-3B": ("in_progress", "2017-06-01", "2018-10-31", 35e9, CLEARANCE_LEADER, [
        ("2017-09-11", 9, "Khởi công đoạn đầu tuyến đợt 2."),
        ("2018-01-22", 16, "Vướng mặt bằng cuối tuyến (hộ dân khiếu nại)."),
        ("2018-06-18", 28, "Thi công được phần đã bàn giao mặt bằng."),
        ("2018-10-15", 36, "Còn vướng 01 thửa đang tranh chấp; chậm tiến độ."),
        ("2018-12-17", 40, "Chờ giải quyết khiếu nại để thi công đoạn cuối."),
    ]),
    "PRJ-TPT-R1": ("in_progress", "2018-03-01", "2019-12-31", 60e9, CLEARANCE_LEADER, [
        ("2018-04-16", 5, "Khởi công, san lấp mặt bằng đoạn 1."),
        ("2018-07-09", 16, "Thi công cống hộp đoạn 1."),
        ("2018-10-08", 30, "Thi công nền đường đoạn 1; đoạn cuối đang thương lượng bồi thường."),
        ("2018-12-20", 43, "Thi công móng đoạn 2; đúng tiến độ."),
    ]),
    "PRJ-TPT-R3": ("in_progress", "2018-03-01", "2019-03-31", 18e9, BQL, [
        ("2018-05-14", 12, "Cào bóc mặt đường cũ."),
        ("2018-08-20", 35, "Gia cố móng, nâng cao độ."),
        ("2018-10-22", 55, "Thảm bê tông nhựa đoạn 1."),
        ("2018-12-24", 76, "Thảm bê tông nhựa đoạn 2; đúng tiến độ."),
    ]),
    "PRJ-TPT-R4": ("in_progress", "2018-04-01", "2019-12-31", 15e9, BQL, [
        ("2018-05-14", 8, "Khảo sát hiện trạng, lập phương án tổ chức giao thông."),
        ("2018-07-02", 20, "Cào bóc mặt đường cũ đoạn đầu."),
        ("2018-09-10", 40, "Gia cố móng đoạn 1."),
    ]),
    "PRJ-TPT-R6": ("completed", "2017-09-01", "2018-12-31", 25e9, BQL, [
        ("2017-11-13", 20, "Thi công nền đường."),
        ("2018-02-12", 45, "Thi công móng, cống thoát nước dọc."),
        ("2018-05-14", 75, "Thảm bê tông nhựa."),
        ("2018-08-20", 100, "Hoàn thành sớm hơn kế hoạch hơn 4 tháng."),
    ]),
}
REPORTERS = ["Ban QLDA – Ban Quản lý các KCN tỉnh", "Tư vấn giám sát", "Nhà thầu thi công"]


def assign_projects(projects, rng) -> list[tuple]:
    rows = []
    for p in sorted(projects, key=lambda p: p["code"]):
        status, start, end, budget, resp, reports = PROJECT_PLANS[p["code"]]
        p.update(status=status, planned_start=start, planned_end=end, budget_vnd=float(budget),
                 responsible=resp, progress_pct=float(reports[-1][1]), directive=10)
        length = p["length_m"]
        if reports[-1][0] > AS_OF.isoformat():
            raise AssertionError(f"{p['code']}: report after AS_OF")
        last_disbursed = 0.0
        for i, (d, pct, note) in enumerate(reports):
            disbursed = max(last_disbursed, vnd(budget * min(1.0, pct / 100.0 * rng.uniform(0.85, 1.05))))
            if pct == 100:
                disbursed = vnd(budget * 0.97)
            last_disbursed = disbursed
            reached = "" if p["kind"] != "road" else str(int(length * pct / 100.0))
            rows.append((p["code"], d, pct, int(disbursed), note, REPORTERS[i % len(REPORTERS)],
                         reached))
    return rows


# --------------------------------------------------------------------------- conflicts

PLANTED_CONFLICTS = [
    # kind, layer, code, other layer, other code, what
    ("lot_overlap", "lots", "SH-D02", "lots", "SH-D03",
     "SH-D02 drawn 42 m across the road into SH-D03"),
    ("lot_overlap", "lots", "TPT-A02", "lots", "TPT-B02",
     "TPT-B02 drawn 30 m across the road into TPT-A02"),
    ("lot_on_uncleared_land", "lots", "SH-H03", "clearance", None,
     "reserved lot in the riverside strip on a disputed parcel"),
    ("lot_on_uncleared_land", "lots", "TPT-F05", "clearance", None,
     "leased lot on a parcel still under negotiation"),
    ("lot_on_uncleared_land", "lots", "CDP-B03", "clearance", None,
     "reserved lot on a compensated (paid, not yet handed over) parcel"),
    ("outside_zone", "lots", "PHA-A01", "zones", "CCN-PHA",
     "lot reaching 30 m beyond the cluster's south edge, towards the Nam Sông Hậu road"),
    ("outside_zone", "lots", "VT-C05", "zones", "CCN-VT",
     "lot reaching 40 m beyond the cluster's east edge"),
    ("outside_zone", "projects", "PRJ-SH-ROAD", "zones", "KCN-SH",
     "the road runs about 360 m beyond the zone to the Nam Sông Hậu road"),
    ("project_on_uncleared_land", "projects", "PRJ-CDP-3B", "clearance", None,
     "road 3B phase 2 crosses a disputed parcel"),
    ("project_on_uncleared_land", "projects", "PRJ-TPT-R1", "clearance", None,
     "road 1 crosses a parcel still under negotiation"),
    ("land_use_mismatch", "lots", "TPT-A06", "zones", "KCN-TPT",
     "housing (workers' lodging) where the plan allows industry only"),
    ("land_use_mismatch", "lots", "PH-B02", "zones", "CCN-PH",
     "commercial lot in a cluster that allows factory/warehouse/utility/green"),
]


def detect_conflicts(layers: dict) -> list[dict]:
    """Find the planning conflicts in written (WGS84) features, measured in metres.

    layers: name -> list of (properties, metric geometry).
    """
    out = []
    zones = {p["code"]: (p, g) for p, g in layers["zones"]}
    lots = layers["lots"]
    uncleared = [(p, g) for p, g in layers["clearance"] if p["status"] != "cleared"]
    for i, (pa, ga) in enumerate(lots):
        for pb, gb in lots[i + 1:]:
            a = ga.intersection(gb).area
            if a > TOLERANCE_M2:
                (c1, c2) = sorted([pa["code"], pb["code"]])
                out.append(("lot_overlap", "lots", c1, "lots", c2, a))
    for p, g in lots:
        zp, zg = zones[p["zone_code"]]
        a = g.difference(zg).area
        if a > TOLERANCE_M2:
            out.append(("outside_zone", "lots", p["code"], "zones", zp["code"], a))
        allowed = [u for u in (zp.get("allowed_land_uses") or "").split(",") if u]
        if allowed and p["land_use"] not in allowed:
            out.append(("land_use_mismatch", "lots", p["code"], "zones", zp["code"], 0.0))
        if p["status"] in ("leased", "reserved"):
            for cp, cg in uncleared:
                a = g.intersection(cg).area
                if a > TOLERANCE_M2:
                    out.append(("lot_on_uncleared_land", "lots", p["code"], "clearance",
                                cp["code"], a))
    for p, g in layers["projects"]:
        measure = (lambda x: x.area) if g.geom_type.endswith("Polygon") else (lambda x: x.length)
        limit = TOLERANCE_M2 if g.geom_type.endswith("Polygon") else 1.0
        if p.get("zone_code"):
            zp, zg = zones[p["zone_code"]]
            m = measure(g.difference(zg))
            if m > limit:
                out.append(("outside_zone", "projects", p["code"], "zones", zp["code"], m))
        for cp, cg in uncleared:
            m = measure(g.intersection(cg))
            if m > limit:
                out.append(("project_on_uncleared_land", "projects", p["code"], "clearance",
                            cp["code"], m))
    return [dict(kind=k, layer=l, code=c, other_layer=ol, other_code=oc, measure=round(m, 1))
            for k, l, c, ol, oc, m in sorted(out, key=lambda t: t[:5])]


# --------------------------------------------------------------------------- writing


def feature(props: dict, geom) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geojson_geometry(geom)}


def dump_geojson(path: Path, features: list[dict]) -> None:
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def dump_csv(path: Path, header, rows) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def directives(lots_conf, zones_conf, disputed, uncleared, project_codes) -> list[dict]:
    L = lambda layer, codes: [{"layer": layer, "code": c} for c in codes]  # noqa: E731
    items = [
        (1, "Bảo đảm nguyên tắc tập trung dân chủ, đoàn kết, thống nhất nội bộ; nêu cao trách "
            "nhiệm trong lãnh đạo, điều hành công việc được giao.",
         "Uphold democratic centralism, unity and responsibility inside the board when "
         "directing and carrying out assigned work.", BQL, "ongoing", []),
        (2, "Lập kế hoạch đào tạo, quy hoạch cán bộ Phó Trưởng ban để bổ sung khi các Phó "
            "Trưởng ban hiện hữu nghỉ hưu; điều động, luân chuyển cán bộ phù hợp vị trí việc làm.",
         "Plan the training and succession of deputy heads to replace those retiring; rotate "
         "staff to fit job positions and qualifications.", f"{BQL}; Sở Nội vụ", "in_progress",
         []),
        (3, "Phối hợp Trung tâm Hành chính công cải cách, đơn giản hóa thủ tục hành chính liên "
            "quan doanh nghiệp; đề xuất tiếp tục nhận hồ sơ tại bộ phận một cửa của Ban, liên "
            "thông với Trung tâm Hành chính công tỉnh.",
         "With the Public Administration Centre, simplify procedures for businesses; propose "
         "that the board keep receiving files at its one-stop desk, linked to the provincial "
         "Public Administration Centre.",
         f"{BQL}; Trung tâm Hành chính công tỉnh; Văn phòng UBND tỉnh", "in_progress", []),
        (4, "Tăng cường kêu gọi, thu hút đầu tư vào các khu, cụm công nghiệp.",
         "Step up investment promotion for the industrial zones and clusters.", BQL, "ongoing",
         []),
        (5, "Tiếp tục tăng cường, phát huy mối quan hệ gắn bó giữa doanh nghiệp với Ban Quản lý "
            "các KCN tỉnh và địa phương.",
         "Keep strengthening the ties between businesses, the board and local authorities.",
         f"{BQL}; UBND các huyện", "ongoing", []),
        (6, "Thường xuyên rà soát, tổng hợp các kết luận, chỉ đạo của Thường trực Tỉnh ủy, UBND "
            "tỉnh giao cho Ban để khẩn trương triển khai thực hiện.",
         "Regularly review the conclusions and instructions of the provincial Party Standing "
         "Committee and People's Committee assigned to the board, and act on them promptly.",
         BQL, "ongoing", []),
        (7, "Phối hợp Công an tỉnh bảo đảm an ninh trật tự khu vực; nắm sát tình hình lao động "
            "người nước ngoài trong các khu, cụm công nghiệp.",
         "Work with the provincial police on public order; keep close track of foreign workers "
         "in the zones and clusters.", f"{BQL}; Công an tỉnh", "ongoing", []),
        (8, "Phối hợp Sở Xây dựng, Sở Tài nguyên và Môi trường tăng cường quản lý quy hoạch xây "
            "dựng, quy hoạch sử dụng đất, thiết kế cơ sở trong các khu, cụm công nghiệp để tránh "
            "tranh chấp giữa doanh nghiệp với doanh nghiệp, giữa doanh nghiệp với người dân.",
         "With the Departments of Construction and of Natural Resources and Environment, "
         "tighten the management of construction and land-use plans and basic designs in the "
         "zones and clusters, to avoid disputes between businesses and between businesses and "
         "residents.", f"{BQL}; Sở Xây dựng; Sở Tài nguyên và Môi trường", "in_progress",
         L("zones", zones_conf) + L("lots", lots_conf)),
        (9, "Theo dõi, đôn đốc các nội dung trình xin ý kiến Bộ, ngành Trung ương: Đề án bổ sung "
            "KCN Đông Phú (huyện Châu Thành) vào Quy hoạch tổng thể phát triển các KCN Việt Nam; "
            "tạm ứng ngân quỹ Nhà nước 100 tỷ đồng để giải phóng mặt bằng tại các khu, cụm công "
            "nghiệp tập trung nhằm thu hút nhà đầu tư.",
         "Follow up the matters submitted to central ministries: adding Dong Phu IZ (Chau "
         "Thanh district) to Vietnam's IZ master plan, and a 100 billion VND state-treasury "
         "advance for land clearance in the concentrated zones and clusters to attract "
         "investors.", f"{BQL}; các sở, ngành liên quan", "in_progress",
         L("zones", ["KCN-DP"]) + L("clearance", disputed)),
        (10, "Đẩy nhanh tiến độ các dự án do Ban quản lý trong năm 2018: đường giao thông KCN "
             "Sông Hậu; đường số 3B – đợt 2 Cụm CNTT Đông Phú; đường số 1, phần còn lại đường số "
             "6, nâng cấp, cải tạo đường số 3, đường số 4 KCN Tân Phú Thạnh; đặc biệt sớm hoàn "
             "thành, đưa vào hoạt động Trạm xử lý nước thải KCN Sông Hậu đúng quy định.",
         "Speed up the board's projects in 2018: the Song Hau IZ road; road 3B phase 2 of Dong "
         "Phu cluster; road 1, the rest of road 6 and the upgrade of roads 3 and 4 of Tan Phu "
         "Thanh IZ; above all, finish the Song Hau IZ wastewater treatment plant and put it "
         "into operation as required.", BQL, "in_progress", L("projects", project_codes)),
        (11, "Xây dựng kế hoạch giải quyết vướng mắc trong giải phóng mặt bằng và xử lý dứt điểm "
             "vướng mắc của doanh nghiệp, nêu cụ thể công việc, thời gian thực hiện và hoàn "
             "thành; phân công 01 lãnh đạo Ban trực tiếp theo dõi chi tiết tiến độ.",
         "Draw up a plan to resolve land-clearance problems and settle businesses' problems for "
         "good, with tasks and start and finish dates; assign one leader of the board to follow "
         "its progress in detail.", f"{BQL} – {CLEARANCE_LEADER}", "in_progress",
         L("clearance", uncleared)),
        (12, "Nghiên cứu, đề xuất UBND tỉnh điều chỉnh, bổ sung Quy chế phối hợp quản lý KCN "
             "ban hành theo Quyết định số 50/2016/QĐ-UBND ngày 29/12/2016.",
         "Study and propose amendments to the coordination rules for managing industrial "
         "zones (Decision 50/2016/QĐ-UBND of 29 Dec 2016) to the provincial People's "
         "Committee.", f"{BQL}; các sở, ngành, địa phương liên quan", "not_started", []),
    ]
    return [dict(item=i, text_vi=vi, text_en=en, responsible=r, status=s, links=links)
            for i, vi, en, r, s, links in items]


def generate(out: Path) -> dict:
    rng = random.Random(SEED)
    outline, districts = build_boundaries()
    zones, lots, parcels, projects = build(rng)
    for z in zones.values():
        dcode = next(c for c, (n, _) in districts.items() if n == z.props["district"])
        if not z.poly.within(districts[dcode][1].buffer(-200)):
            raise AssertionError(f"{z.code} is not well inside {dcode}")
    for p in projects:  # measured on the geometry as written
        p["length_m"] = to_metric(to_storage(p["geom"])).length
    assign_lots(lots, zones, rng)
    assign_parcels(parcels, projects, lots, rng)
    events = clearance_events(parcels, rng)
    reports = assign_projects(projects, rng)

    # ---- features (geometry in WGS84, rounded)
    written: dict[str, list] = {}
    feats = {}
    fb = [({"code": "HG", "name": "Tỉnh Hậu Giang", "level": "province",
            "source": "illustrative (simplified outline, not surveyed; 2018 limits)"},
           to_storage(outline))]
    for code, (name, g) in sorted(districts.items()):
        fb.append(({"code": code, "name": name, "level": "district",
                    "source": "illustrative (simplified, not surveyed; 2018 districts)"},
                   to_storage(g)))
    feats["boundaries"] = fb
    feats["zones"] = [({"code": z.code, **z.props}, to_storage(z.poly))
                      for z in sorted(zones.values(), key=lambda z: z.code)]
    feats["lots"] = [({"code": l["code"], "zone_code": l["zone"].code, "land_use": l["land_use"],
                       "status": l["status"], "tenant": l["tenant"],
                       "price_usd_m2": l["price_usd_m2"]}, to_storage(l["geom"]))
                     for l in sorted(lots, key=lambda l: l["code"])]
    feats["clearance"] = [({"code": p["code"], "zone_code": p["zone"].code, "owner": p["owner"],
                            "status": p["status"], "compensation_vnd": p["compensation_vnd"],
                            "paid_vnd": p["paid_vnd"], "households": p["households"]},
                           to_storage(p["geom"]))
                          for p in sorted(parcels, key=lambda p: p["code"])]
    feats["projects"] = [({k: p[k] for k in ("code", "name", "name_en", "kind")}
                          | {"zone_code": p["zone"].code}
                          | {k: p[k] for k in ("status", "planned_start", "planned_end",
                                               "progress_pct", "responsible", "budget_vnd",
                                               "directive")}, to_storage(p["geom"]))
                         for p in sorted(projects, key=lambda p: p["code"])]
    for name, fs in feats.items():
        written[name] = [(props, to_metric(g)) for props, g in fs]

    # ---- check: the conflicts found are exactly the planted ones
    found = detect_conflicts(written)
    planted_lot_parcel = {l["code"]: l["planted_parcel"] for l in lots if "planted_parcel" in l}
    planted_prj_parcel = {p["code"]: p["planted_parcel"] for p in projects
                          if "planted_parcel" in p}
    expected = []
    for kind, layer, code, olayer, ocode, what in PLANTED_CONFLICTS:
        if ocode is None:
            ocode = (planted_lot_parcel if layer == "lots" else planted_prj_parcel)[code]
        expected.append((kind, layer, code, olayer, ocode))
    got = sorted((c["kind"], c["layer"], c["code"], c["other_layer"], c["other_code"])
                 for c in found)
    if got != sorted(expected):
        raise AssertionError("conflicts differ from the planted set:\n"
                             f" unexpected: {sorted(set(got) - set(expected))}\n"
                             f" missing: {sorted(set(expected) - set(got))}")
    whats = {(k, l, c): w for k, l, c, _, _, w in PLANTED_CONFLICTS}
    for c in found:
        c["note"] = whats[(c["kind"], c["layer"], c["code"])]
        is_line = c["layer"] == "projects"  # the planted project conflicts are roads (metres)
        if c["kind"] != "land_use_mismatch" and c["measure"] < (20 if is_line else 100):
            raise AssertionError(f"planted conflict too small to see: {c}")
    # lots that are meant to be conflict-free sit at least 10 m inside their zone
    conflict_lots = {c["code"] for c in found if c["layer"] == "lots"} | {
        c["other_code"] for c in found if c["other_layer"] == "lots"}
    zgeom = {p["code"]: g for p, g in written["zones"]}
    for p, g in written["lots"]:
        if p["code"] not in conflict_lots and not g.within(zgeom[p["zone_code"]].buffer(-10)):
            raise AssertionError(f"lot {p['code']} too close to its zone edge")

    # ---- write
    out.mkdir(parents=True, exist_ok=True)
    for name, fs in feats.items():
        dump_geojson(out / f"{name}.geojson", [feature(p, g) for p, g in fs])
    dump_csv(out / "progress_reports.csv",
             ["project_code", "date", "percent", "disbursed_vnd", "note", "reported_by",
              "reached_m"], reports)
    dump_csv(out / "clearance_events.csv", ["parcel_code", "date", "status", "paid_vnd"],
             [(c, d, s, int(p)) for c, d, s, p in events])
    disputed = [p["code"] for p, _ in written["clearance"] if p["status"] == "disputed"]
    uncleared = [p["code"] for p, _ in written["clearance"] if p["status"] != "cleared"]
    zones_conf = sorted({c["other_code"] for c in found if c["other_layer"] == "zones"} | {
        p["zone_code"] for p, _ in written["lots"] if p["code"] in conflict_lots})
    dirs = directives(sorted(conflict_lots), zones_conf, disputed, uncleared,
                      [p["code"] for p, _ in written["projects"]])
    (out / "directives.json").write_text(
        json.dumps(dirs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "expected_conflicts.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    return {
        "counts": {k: len(v) for k, v in feats.items()},
        "conflicts": found,
        "province_km2": outline.area / 1e6,
        "district_km2": {c: round(g.area / 1e6, 1) for c, (_, g) in districts.items()},
        "sh_uncleared_ha": sum(g.area for p, g in written["clearance"]
                               if p["zone_code"] == "KCN-SH" and p["status"] != "cleared") / 1e4,
        "lot_status_ha": {z: {s: round(sum(g.area for p, g in written["lots"]
                                           if p["zone_code"] == z and p["status"] == s) / 1e4, 1)
                              for s in ("leased", "reserved", "available")}
                          for z in sorted(zones)},
        "reports": len(reports),
        "events": len(events),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                    help="output folder (default: this script's folder)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print a summary")
    args = ap.parse_args(argv)
    summary = generate(args.out)
    print("wrote", ", ".join(OUTPUT_FILES), "to", args.out)
    print("features:", ", ".join(f"{k} {v}" for k, v in summary["counts"].items()),
          f"| reports {summary['reports']} | clearance events {summary['events']}")
    if args.verbose:
        print(json.dumps({k: v for k, v in summary.items() if k != "conflicts"},
                         ensure_ascii=False, indent=1))
        for c in summary["conflicts"]:
            print(f"  {c['kind']:26} {c['layer']}/{c['code']} x {c['other_layer']}/"
                  f"{c['other_code']}  {c['measure']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
