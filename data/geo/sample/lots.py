"""Lots: rectangular grids per zone, a few merged or split; tenants, land uses, statuses and prices."""
from __future__ import annotations

import random

from .zones import Zone

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


ZONE_MIX = {  # lot status weights (leased, reserved, available) and price range (USD/m²)
    "KCN-SH": ((0.52, 0.1, 0.38), (62, 68)),
    "KCN-TPT": ((0.42, 0.1, 0.48), (52, 60)),
    "CCN-DP": ((0.40, 0.1, 0.50), (45, 50)),
    "CCN-PHA": ((0.40, 0.15, 0.45), (48, 55)),
    "CCN-VT": ((0.35, 0.1, 0.55), (45, 50)),
    "CCN-PH": ((0.5, 0.1, 0.4), (45, 48)),
}


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
