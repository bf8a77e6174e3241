"""The geometry of the dataset: each zone's lots, parcels and works, with the planted conflicts drawn in."""
from __future__ import annotations

import random

from .lots import HTML_TENANT, LEE_MAN, LEE_MAN_M2, LotGrid, layout_lots
from .parcels import cut, strips
from .zones import build_zones, intervals


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
    # An irrigation canal with the households along it, still to be recovered: an 11 m strip
    # across the whole cluster in the road gap south of row B. It splits the cluster's
    # cleared land in two (mostly cleared, but not in one piece).
    parcels.append(dict(zone=cdp, geom=cdp.rect(0.0, 183.0, cdp.width, 194.0),
                        planted_status="negotiating", planted_households=6, canal=True))
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
