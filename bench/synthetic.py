"""A synthetic Hậu Giang-like province in mapapp's own schema, for benchmarks.

``province(n)`` returns GeoDataFrames ``zones``, ``lots``, ``clearance`` and
``projects`` in EPSG:4326 (like imported data) with exactly ``n`` lots and ``n``
clearance parcels:

* zones laid out on a coarse grid, each a rectangle of lots (8-25 x 8-25, lots of
  40-120 m x 40-100 m) sharing edges with their neighbours, inside a 20 m margin;
  optionally rotated by up to ±40° (real zones follow canals and roads);
* a cadastre grid of clearance parcels over each zone and a 50 m band around it,
  not aligned with the lots; status by zone stage: operating zones are ~all
  cleared, zones under construction are cleared behind a "clearance front",
  proposed zones are mostly not started;
* lot status following the same front, so most committed lots stand on cleared
  land and the conflicts are the exceptions;
* realistic defects: ~1.5 % of lots overlap a neighbour by 2 m or more, ~5 % carry
  sub-tolerance slivers (2 mm), some reach beyond the zone or carry another
  zone's code, some land uses are not allowed, ~1.5 % of zones overlap a
  neighbour, some roads cut through lots or leave their zone.

Generation is vectorised (numpy + shapely array constructors): N=500k takes a
few seconds, mostly in the reprojection to WGS84.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mapapp.analysis.measure import STORAGE_CRS, to_storage  # noqa: E402
from mapapp.layers import CLEARANCE_STATUSES, LAND_USES  # noqa: E402

import datetime as dt  # noqa: E402

import pandas as pd  # noqa: E402

E_CENTRE, N_CENTRE = 580_000.0, 1_100_000.0  # near Vị Thanh, EPSG:5897
MARGIN = 20.0  # zone boundary to first lot (perimeter road)
CADASTRE_BAND = 50.0  # parcels extend this far around each zone
GAP = 150.0

ZONE_STATUS = np.array(["operating", "under_construction", "proposed"])
ZONE_STATUS_P = [0.60, 0.25, 0.15]
ALLOWED_PRESETS = [
    "",
    "factory,warehouse,logistics,utility,green",
    "factory,warehouse,utility,green",
    "factory,logistics,warehouse,commercial,utility,green",
]
ALLOWED_P = [0.30, 0.40, 0.15, 0.15]
DISTRICTS = ["Vị Thanh", "Châu Thành", "Châu Thành A", "Phụng Hiệp", "Long Mỹ", "Ngã Bảy", "Vị Thủy"]
INDUSTRIAL_USES = ["factory", "warehouse", "logistics", "utility", "green"]

# Rows: operating, under construction behind the front, ahead of it, proposed.
LOT_STATUS = np.array(["leased", "reserved", "available"])
LOT_STATUS_P = np.array([
    [0.70, 0.10, 0.20],
    [0.60, 0.20, 0.20],
    [0.01, 0.02, 0.97],
    [0.005, 0.01, 0.985],
])
PARCEL_STATUS = np.array(CLEARANCE_STATUSES)  # not_started negotiating compensated cleared disputed
PARCEL_STATUS_P = np.array([
    [0.0005, 0.0005, 0.0005, 0.998, 0.0005],
    [0.000, 0.003, 0.004, 0.990, 0.003],
    [0.200, 0.300, 0.300, 0.100, 0.100],
    [0.600, 0.200, 0.100, 0.050, 0.050],
])


def _pick(rng: np.random.Generator, choices: np.ndarray, probs: np.ndarray, category: np.ndarray) -> np.ndarray:
    """Draw one of ``choices`` per row with the probability row ``probs[category]``."""
    cum = np.cumsum(probs, axis=1)[category]
    k = (rng.random(len(category))[:, None] > cum[:, :-1]).sum(axis=1)
    return choices[k]


def _codes(prefix: np.ndarray, number: np.ndarray, letter: str) -> list[str]:
    return [f"{p}-{letter}{k:04d}" for p, k in zip(prefix, number)]


class _Placement:
    """Zone-local coordinates -> EPSG:5897: rotation about the zone centre, then offset."""

    def __init__(self, origin: np.ndarray, centre: np.ndarray, angle: np.ndarray):
        self.origin, self.centre = origin, centre
        self.cos, self.sin = np.cos(angle), np.sin(angle)

    def points(self, zone: np.ndarray, xy: np.ndarray) -> np.ndarray:
        """xy: (n, k, 2) local coordinates of features in ``zone`` (n,)."""
        c = self.centre[zone][:, None, :]
        d = xy - c
        cos, sin = self.cos[zone][:, None], self.sin[zone][:, None]
        rx = d[..., 0] * cos - d[..., 1] * sin
        ry = d[..., 0] * sin + d[..., 1] * cos
        return np.stack([rx, ry], axis=-1) + c + self.origin[zone][:, None, :]

    def rects(self, zone: np.ndarray, x0, y0, x1, y1) -> np.ndarray:
        ring = np.stack([
            np.stack([x0, y0], -1), np.stack([x1, y0], -1), np.stack([x1, y1], -1),
            np.stack([x0, y1], -1), np.stack([x0, y0], -1),
        ], axis=1)
        return shapely.polygons(self.points(zone, ring))

    def lines(self, zone: np.ndarray, x0, y0, x1, y1) -> np.ndarray:
        return shapely.linestrings(self.points(zone, np.stack([np.stack([x0, y0], -1), np.stack([x1, y1], -1)], 1)))

    def point(self, zone: np.ndarray, x, y) -> np.ndarray:
        return shapely.points(self.points(zone, np.stack([x, y], -1)[:, None, :])[:, 0, :])


def _zone_sizes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grid rows, columns and lot count per zone so that the counts add up to n."""
    m = n // 100 + 8
    rows, cols = rng.integers(8, 26, m), rng.integers(8, 26, m)
    total = np.cumsum(rows * cols)
    k = int(np.searchsorted(total, n) + 1)
    count = (rows * cols)[:k].copy()
    count[-1] -= total[k - 1] - n
    return rows[:k], cols[:k], count


def province(n: int, seed: int = 0, rotate: bool = False) -> dict[str, gpd.GeoDataFrame]:
    """zones, lots, clearance (n each for lots and parcels) and projects, in EPSG:4326."""
    rng = np.random.default_rng(seed)
    metric = _metric_province(rng, n, rotate)
    return {
        name: gpd.GeoDataFrame(attrs, geometry=to_storage(geom), crs=STORAGE_CRS)
        for name, (attrs, geom) in metric.items()
    }


def _metric_province(rng: np.random.Generator, n: int, rotate: bool) -> dict[str, tuple[dict, np.ndarray]]:
    rows, cols, count = _zone_sizes(rng, n)
    k = len(count)
    w, h = rng.uniform(40, 120, k), rng.uniform(40, 100, k)
    width, height = cols * w + 2 * MARGIN, rows * h + 2 * MARGIN
    cell = float(max(np.hypot(width, height).max() if rotate else max(width.max(), height.max()), 1.0)) + GAP
    per_row = int(np.ceil(np.sqrt(k)))
    origin = np.column_stack([np.arange(k) % per_row, np.arange(k) // per_row]) * cell
    origin += [E_CENTRE - per_row * cell / 2, N_CENTRE - per_row * cell / 2]
    centre = np.column_stack([width, height]) / 2
    angle = np.radians(rng.uniform(-40, 40, k)) if rotate else np.zeros(k)
    place = _Placement(origin, centre, angle)

    status_i = rng.choice(3, k, p=ZONE_STATUS_P)
    front = rng.uniform(0.3, 0.8, k)  # under construction: cleared and leased left of this fraction
    kind = np.where(rng.random(k) < 0.75, "industrial_zone", "industrial_cluster")
    zcode = np.array([f"{'KCN' if kd == 'industrial_zone' else 'CCN'}-{i:04d}" for i, kd in enumerate(kind)],
                     dtype=object)
    preset = rng.choice(len(ALLOWED_PRESETS), k, p=ALLOWED_P)

    # ~1.5 % of zones: planned boundary runs 30-200 m into the next zone of the grid
    reach = np.where(rng.random(k) < 0.015, cell + rng.uniform(30, 200, k), width)
    zone_idx = np.arange(k)
    zones = ({
        "code": zcode,
        "name": [f"{'Khu' if c.startswith('KCN') else 'Cụm'} công nghiệp {c}" for c in zcode],
        "name_en": [f"Industrial {'zone' if c.startswith('KCN') else 'cluster'} {c}" for c in zcode],
        "kind": kind,
        "status": ZONE_STATUS[status_i],
        "district": rng.choice(DISTRICTS, k),
        "planned_area_ha": width * height / 1e4,
        "allowed_land_uses": np.array(ALLOWED_PRESETS)[preset],
    }, place.rects(zone_idx, np.zeros(k), np.zeros(k), reach, height))

    lots = _lots(rng, n, place, rows, cols, count, w, h, width, status_i, front, zcode, preset)
    parcels = _parcels(rng, n, place, count, width, height, status_i, front, zcode)
    projects = _projects(rng, place, rows, cols, w, h, width, height, status_i, zcode)
    return {"zones": zones, "lots": lots, "clearance": parcels, "projects": projects}


def _stage(status_i: np.ndarray, front: np.ndarray, zone: np.ndarray, frac: np.ndarray) -> np.ndarray:
    """Row of the status tables: operating 0, building behind the front 1, ahead 2, proposed 3."""
    return np.select([status_i[zone] == 0, (status_i[zone] == 1) & (frac < front[zone]), status_i[zone] == 1],
                     [0, 1, 2], 3)


def _lots(rng, n, place, rows, cols, count, w, h, width, status_i, front, zcode, preset):
    zone = np.repeat(np.arange(len(count)), count)
    k = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
    r, c = k // cols[zone], k % cols[zone]
    x0 = MARGIN + c * w[zone]
    y0 = MARGIN + r * h[zone]
    x1, y1 = x0 + w[zone], y0 + h[zone]
    overlap = rng.random(n) < 0.015  # a neighbour's land drawn into this lot
    x1 = np.where(overlap, x1 + 2 + rng.uniform(0, 0.3, n) * w[zone], x1)
    sliver = rng.random(n) < 0.05  # digitising noise, below tolerance
    y1 = np.where(sliver, y1 + 0.002, y1)
    beyond = (r == rows[zone] - 1) & (rng.random(n) < 0.06)  # top row spilling over the zone edge
    y1 = np.where(beyond, y1 + MARGIN + rng.uniform(5, 40, n), y1)

    # a lot counts as behind the clearance front only if a parcel's width behind it
    stage = _stage(status_i, front, zone, (x1 + w[zone]) / width[zone])
    status = _pick(rng, LOT_STATUS, LOT_STATUS_P, stage)
    uses = [p.split(",") if p else INDUSTRIAL_USES for p in ALLOWED_PRESETS]
    table = np.array([u + [u[0]] * (8 - len(u)) for u in uses], dtype=object)
    size = np.array([len(u) for u in uses])
    land_use = table[preset[zone], (rng.random(n) * size[preset[zone]]).astype(int)]
    land_use = np.where(rng.random(n) < 0.004, rng.choice(np.array(LAND_USES, dtype=object), n), land_use)
    zone_code = zcode[zone].copy()
    wrong = rng.random(n) < 0.0005
    zone_code[wrong] = zcode[(zone[wrong] + 1) % len(zcode)]
    attrs = {
        "code": _codes(zcode[zone], k, "L"), "zone_code": zone_code, "land_use": land_use, "status": status,
        "tenant": np.where(status == "leased", "Công ty TNHH Sản xuất", None),
        "price_usd_m2": np.round(rng.uniform(45, 120, n), 1),
    }
    return attrs, place.rects(zone, x0, y0, x1, y1)


def _parcels(rng, n, place, count, width, height, status_i, front, zcode):
    """A cadastre grid over each zone and its band, one parcel per lot, not aligned with lots."""
    zone = np.repeat(np.arange(len(count)), count)
    k = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
    wp, hp = width + 2 * CADASTRE_BAND, height + 2 * CADASTRE_BAND
    pc = np.ceil(np.sqrt(count * wp / hp)).astype(int)
    pr = np.ceil(count / pc).astype(int)
    pw, ph = (wp / pc)[zone], (hp / pr)[zone]
    r, c = k // pc[zone], k % pc[zone]
    x0, y0 = -CADASTRE_BAND + c * pw, -CADASTRE_BAND + r * ph
    stage = _stage(status_i, front, zone, (x0 + pw / 2) / width[zone])
    status = _pick(rng, PARCEL_STATUS, PARCEL_STATUS_P, stage)
    households = rng.integers(0, 4, n)
    compensation = np.round(pw * ph * rng.uniform(0.3e6, 1.5e6, n), -6)
    attrs = {
        "code": _codes(zcode[zone], k, "T"), "zone_code": zcode[zone], "owner": "Hộ gia đình", "status": status,
        "compensation_vnd": compensation,
        "paid_vnd": np.where(np.isin(status, ["cleared", "compensated"]), compensation, 0.0),
        "households": households,
    }
    return attrs, place.rects(zone, x0, y0, x0 + pw, y0 + ph)


def _projects(rng, place, rows, cols, w, h, width, height, status_i, zcode):
    """Per zone: a road along a lot row edge, a perimeter road, a treatment plant; a few
    planned roads cut diagonally through lots, a few roads or plants leave their zone."""
    k = len(zcode)
    z = np.arange(k)
    road_status = np.array(["completed", "in_progress", "planned"])[status_i]
    ys = MARGIN + (rows // 2) * h
    spill = np.where(rng.random(k) < 0.03, rng.uniform(20, 200, k), 0.0)
    inner = place.lines(z, np.full(k, MARGIN), ys, MARGIN + cols * w + spill, ys)
    perimeter = place.lines(z, np.zeros(k) + MARGIN / 2, np.full(k, MARGIN / 2), width - MARGIN / 2,
                            np.full(k, MARGIN / 2))
    diag = np.flatnonzero(rng.random(k) < 0.08)
    cut = place.lines(diag, np.full(len(diag), MARGIN), np.full(len(diag), MARGIN), width[diag] - MARGIN,
                      height[diag] - MARGIN)
    outside = rng.random(k) < 0.02
    plant_xy = np.where(outside, -30.0, MARGIN / 2)
    plant = place.point(z, plant_xy, plant_xy)
    pad = np.flatnonzero(rng.random(k) < 0.2)  # a small pumping station pad in the margin
    pad_geom = place.rects(pad, np.full(len(pad), 2.0), np.full(len(pad), 2.0), np.full(len(pad), 17.0),
                           np.full(len(pad), 17.0))
    parts = [
        (z, "R1", "road", road_status, inner),
        (z, "R2", "road", road_status, perimeter),
        (diag, "R3", "road", np.full(len(diag), "planned"), cut),
        (z, "W1", "wastewater_plant", road_status, plant),
        (pad, "B1", "other", road_status[pad], pad_geom),
    ]
    zone = np.concatenate([p[0] for p in parts])
    code = [f"{zcode[i]}-{p[1]}" for p in parts for i in p[0]]
    attrs = {
        "code": code, "name": [f"Dự án {c}" for c in code], "name_en": [f"Project {c}" for c in code],
        "kind": np.concatenate([np.full(len(p[0]), p[2]) for p in parts]),
        "zone_code": zcode[zone],
        "status": np.concatenate([np.asarray(p[3]) for p in parts]),
        "progress_pct": rng.uniform(0, 100, len(zone)).round(),
    }
    return attrs, np.concatenate([p[4] for p in parts])


#: Dated steps of a parcel recorded the new way: (step, the step it follows, fewest and most days after it).
DATED_CHAIN = [("meeting", None, 0, 0), ("notice", "meeting", 10, 20), ("inventory", "notice", 20, 40),
               ("plan_posted", "inventory", 15, 30), ("consultation", "plan_posted", 35, 60),
               ("appraisal", "consultation", 20, 45), ("approval", "appraisal", 3, 8), ("publication", "approval", 2, 5),
               ("payment", "publication", 5, 20), ("decision", "approval", 5, 10), ("handover", "payment", 40, 60)]


def clearance_records(clearance: gpd.GeoDataFrame, seed: int = 0, dated_share: float = 0.2,
                      first: dt.date = dt.date(2025, 3, 1)) -> dict[str, pd.DataFrame]:
    """The clearance records of ``province()``'s parcels, as a board converting to the new records holds them.

    Every parcel gets its old-style records (:func:`mapapp.clearance.derive.from_old_parcels`: one
    household, undated steps); ``dated_share`` of the negotiating, compensated and cleared ones have
    their steps recorded with dates instead (from ``first`` on, within the Land Law's time limits,
    documents numbered), so the forecast has paces and deadlines to work from.
    """
    from mapapp.clearance.derive import STEPS_FOR_STATUS, from_old_parcels

    rng = np.random.default_rng(seed)
    records = from_old_parcels(clearance)
    records["complaints"]["code"] = records["complaints"]["parcel_code"] + "-KN1"  # as the write path names them
    status = clearance["status"].to_numpy()
    dated = np.isin(status, ["negotiating", "compensated", "cleared"]) & (rng.random(len(status)) < dated_share)
    codes, kinds = clearance["code"].to_numpy()[dated], status[dated]
    days = {None: rng.integers(0, 300, len(codes))}
    for step, after, low, high in DATED_CHAIN:
        days[step] = days[after] + rng.integers(low, high + 1, len(codes))
    days["handover"] = np.maximum(days["handover"], days["decision"] + 10)
    frames = []
    for step, *_ in DATED_CHAIN:
        has = np.isin(kinds, [k for k, done in STEPS_FOR_STATUS.items() if step in done])
        when = pd.Series(pd.Timestamp(first) + pd.to_timedelta(days[step][has], unit="D")).dt.strftime("%Y-%m-%d")
        frames.append(pd.DataFrame({"parcel_code": codes[has], "step": step, "date": when.to_numpy(),
                                    "doc_type": "Quyết định", "doc_number": [f"{c}/{step}" for c in codes[has]]}))
    steps = records["steps"]
    records["steps"] = pd.concat([steps[~steps["parcel_code"].isin(codes)], *frames], ignore_index=True)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--rotate", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    data = province(args.n, rotate=args.rotate)
    print(f"generated in {time.perf_counter() - start:.1f} s")
    for name, frame in data.items():
        print(f"{name:10s} {len(frame):8d}  " + "  ".join(
            f"{s}={c}" for s, c in frame["status"].value_counts().items()))


if __name__ == "__main__":
    main()
