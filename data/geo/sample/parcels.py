"""Land-clearance parcels: Mekong-style strips; statuses, households and money per parcel."""
from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np

from .common import AS_OF, vnd

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
