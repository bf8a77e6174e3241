"""Land-clearance parcels: Mekong-style strips; statuses, households and money per parcel."""
from __future__ import annotations

import random

import numpy as np

from .common import vnd

# The first sample drew an invented personal name for each parcel's owner here. People are
# now named by role or placeholder only ("Hộ gia đình GP-SH-01-1"); the same random draws
# are still made, so that every later random choice (statuses, households, amounts) stays
# as it was: lengths of the surname, middle-name and given-name lists (men's, women's).
_NAME_DRAWS = ((20, 6, 20), (20, 4, 10))


def household_name(parcel_code: str, n: int = 1, organisation: bool = False) -> str:
    """A placeholder name: ``Hộ gia đình GP-SH-01-1`` (or ``Tổ chức GP-KDP-05-1``), never a person's."""
    return f"{'Tổ chức' if organisation else 'Hộ gia đình'} {parcel_code}-{n}"


def skip_name_draws(rng: random.Random) -> None:
    """Make the draws the former owner-name generator made (see _NAME_DRAWS)."""
    for n in _NAME_DRAWS[0] if rng.random() < 0.75 else _NAME_DRAWS[1]:
        rng.randrange(n)


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
            if "planted_status" in p:  # drawn after the others: no random draw for it
                p["status"] = p["planted_status"]
            else:
                p["status"] = rng.choices(STATUSES, PARCEL_MIX[zc])[0]
                skip_name_draws(rng)
            p["owner"] = household_name(p["code"])

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
                p["households"] = p.get("planted_households") or rng.randint(1, 6)
        for p in ps:
            if "planted_status" in p:  # no random draw, paid nothing yet
                p["compensation_vnd"] = vnd(p["geom"].area * COMP_RATE[zc] + p["households"] * SUPPORT_PER_HOUSEHOLD)
                p["paid_vnd"] = 0.0
                continue
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
