"""Contiguous cleared blocks on hand-built geometry (built in EPSG:5897 metres, passed in WGS84)."""
from __future__ import annotations

from datetime import date as D

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from mapapp.analysis.measure import to_storage
from mapapp.clearance.blocks import (
    cleared_blocks,
    common_segments,
    components,
    contiguous,
    lot_readiness,
    shared_bound,
    zone_clearance,
)

X0, Y0 = 560_000.0, 1_100_000.0  # a point of the province in EPSG:5897


def mbox(x0, y0, x1, y1):
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def frame(rows, geoms):
    return gpd.GeoDataFrame(rows, geometry=list(to_storage(geoms)), crs="EPSG:4326")


def parcels(*specs, zone="Z"):
    """specs: (code, status, (x0, y0, x1, y1))."""
    return frame([{"code": c, "zone_code": zone, "status": s} for c, s, _ in specs], [mbox(*b) for _, _, b in specs])


# two cleared halves (140 x 100 m = 1.4 ha each) split by one uncleared 20 m strip
HALVES = parcels(("L", "cleared", (0, 0, 140, 100)), ("S", "negotiating", (140, 0, 160, 100)),
                 ("R", "cleared", (160, 0, 300, 100)))


def test_two_halves_split_by_a_strip_are_two_blocks():
    b = cleared_blocks(HALVES)
    assert b["parcel_codes"].tolist() == [["L"], ["R"]]
    assert b["area_ha"].round(3).tolist() == [1.4, 1.4] and b["block"].tolist() == [1, 2]
    assert b.crs.to_epsg() == 4326


def test_the_strip_cleared_joins_them():
    joined = parcels(("L", "cleared", (0, 0, 140, 100)), ("S", "cleared", (140, 0, 160, 100)),
                     ("R", "cleared", (160, 0, 300, 100)))
    b = cleared_blocks(joined)
    assert b["parcel_codes"].tolist() == [["L", "R", "S"]] and round(b["area_ha"][0], 3) == 3.0


@pytest.mark.parametrize("gap, blocks", [(0.0, 1), (0.8, 1), (1.5, 2)])
def test_within_one_metre_counts_as_sharing_an_edge(gap, blocks):
    p = parcels(("A", "cleared", (0, 0, 100, 100)), ("B", "cleared", (100 + gap, 0, 200, 100)))
    assert len(cleared_blocks(p)) == blocks


def test_a_corner_touch_is_not_an_edge():
    p = parcels(("A", "cleared", (0, 0, 100, 100)), ("B", "cleared", (100, 100, 200, 200)))
    assert len(cleared_blocks(p)) == 2


def test_shared_bound_holds_the_shared_edge_and_rules_out_corner_touches():
    rng = np.random.default_rng(3)
    # a grid of jittered quadrilaterals (some with a hole): neighbours share edges, diagonal ones touch at corners
    geoms = []
    for i in range(6):
        for j in range(6):
            x, y = X0 + 20 * i, Y0 + 20 * j
            corners = [(x, y), (x + 20, y), (x + 20, y + 20), (x, y + 20)] + rng.uniform(-0.4, 0.4, (4, 2))
            hole = [(x + 8, y + 8), (x + 12, y + 8), (x + 12, y + 12), (x + 8, y + 12)] if (i + j) % 5 == 0 else None
            geoms.append(shapely.Polygon(corners, [hole] if hole else None))
    geoms = np.array(geoms, dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=1.0)
    bound = shared_bound(geoms, left, right, 1.0)
    exact = shapely.length(shapely.intersection(shapely.boundary(geoms[left]), shapely.buffer(geoms[right], 1.0)))
    assert (bound >= exact - 1e-9).all()
    diagonal = (np.abs(left // 6 - right // 6) == 1) & (np.abs(left % 6 - right % 6) == 1)
    assert diagonal.any() and (bound[diagonal] < 5).all() and (exact[~diagonal] >= 5).all()


def test_common_segments_are_a_lower_bound_of_the_shared_edge():
    # a strip split in three on shared vertices, a fourth piece 0.5 m off (no common vertex) and a bow-tie (invalid)
    geoms = np.array([mbox(0, 0, 30, 20), mbox(30, 0, 50, 20), shapely.Polygon([(X0 + 50, Y0), (X0 + 80, Y0), (X0 + 80, Y0 + 20),
                      (X0 + 50, Y0 + 20), (X0 + 50, Y0 + 10)]), mbox(80.5, 0, 90, 20),
                      shapely.Polygon([(X0 + 30, Y0 + 20), (X0 + 50, Y0 + 40), (X0 + 50, Y0 + 20), (X0 + 30, Y0 + 40)])], dtype=object)
    left, right = np.array([0, 1, 1, 2, 2, 3, 4]), np.array([1, 0, 2, 1, 3, 2, 1])
    common = common_segments(geoms, left, right)
    exact = shapely.length(shapely.intersection(shapely.boundary(geoms[left]), shapely.buffer(geoms[right], 1.0)))
    # piece 2's side has a vertex at 10 m: no whole segment in common with piece 1, which the exact length then decides
    assert common.round(9).tolist() == [20.0, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert (common <= exact + 1e-9).all() and exact[2] >= 20 and exact[3] >= 20 and exact[4] >= 5


def test_components_and_groups():
    assert components(5, [0, 3], [1, 4]).tolist() == [0, 0, 2, 3, 3]
    assert components(4, [2, 1, 0], [3, 2, 1]).tolist() == [0, 0, 0, 0]
    g = [mbox(0, 0, 10, 10), mbox(10, 0, 20, 10)]
    assert contiguous(g).tolist() == [0, 0]
    assert contiguous(g, ["Z1", "Z2"]).tolist() == [0, 1]  # never across zones


def test_zone_land_outside_the_parcels_joins_the_halves():
    # zone 300 x 200 m; the parcels fill its north band; the south band (3 ha) is the zone's
    zones = frame([{"code": "Z", "status": "operating"}], [mbox(0, -100, 300, 100)])
    b = cleared_blocks(HALVES, zones)
    assert len(b) == 1 and round(b["area_ha"][0], 2) == 5.8 and b["parcel_codes"][0] == ["L", "R"]
    z = zone_clearance(HALVES, zones, b).iloc[0]
    assert (z["zone_code"], round(z["area_ha"], 2), round(z["cleared_ha"], 2)) == ("Z", 6.0, 5.8)
    assert round(z["cleared_share"], 4) == round(5.8 / 6.0, 4) and round(z["largest_cleared_block_ha"], 2) == 5.8
    # a proposed zone has no land of its own: only the parcels count
    proposed = frame([{"code": "Z", "status": "proposed"}], [mbox(0, -100, 300, 100)])
    z = zone_clearance(HALVES, proposed).iloc[0]
    assert (round(z["cleared_ha"], 2), round(z["largest_cleared_block_ha"], 2), z["blocks"]) == (2.8, 1.4, 2)


def test_mostly_cleared_but_not_in_one_piece():
    # 93 % of the zone is cleared, the largest piece is 1.4 of its 3 ha
    zones = frame([{"code": "Z"}], [mbox(0, 0, 300, 100)])
    z = zone_clearance(HALVES, zones).iloc[0]
    assert round(z["cleared_share"], 4) == 0.9333 and round(z["largest_cleared_block_ha"], 2) == 1.4


def test_lot_readiness():
    lots = frame([{"code": "IN-L"}, {"code": "ACROSS"}, {"code": "BOTH"}],
                 [mbox(10, 10, 130, 90), mbox(100, 10, 200, 90), mbox(10, 10, 290, 90)])
    b = cleared_blocks(HALVES)
    r = lot_readiness(lots, HALVES, b, expected={"S": D(2019, 6, 30)})
    assert r["ready"].tolist() == [True, False, False]
    assert r["missing"].tolist() == [[], ["S"], ["S"]]
    assert r["reason"].tolist() == [None, "uncleared_parcels", "uncleared_parcels"]
    assert r["ready_expected"].tolist() == [None, D(2019, 6, 30), D(2019, 6, 30)]
    assert lot_readiness(lots, HALVES, b)["ready_expected"].tolist() == [None, None, None]
    # a lot half outside any cleared land, overlapping no parcel: not one block
    out = frame([{"code": "OUT"}], [mbox(250, 50, 350, 90)])
    assert lot_readiness(out, HALVES, b)[["ready", "reason"]].values.tolist() == [[False, "not_one_block"]]


def test_a_proposed_zone_beside_zones_with_land_of_their_own():
    zones = frame([{"code": "A", "status": "operating"}, {"code": "P", "status": "proposed"}, {"code": "E", "status": "operating"}],
                  [mbox(0, 0, 300, 100), mbox(0, 200, 300, 300), mbox(0, 400, 100, 500)])
    halves = parcels(("L", "cleared", (0, 0, 140, 100)), ("S", "negotiating", (140, 0, 160, 100)),
                     ("R", "cleared", (160, 0, 300, 100)), zone="A")
    both = pd.concat([halves, parcels(("Q", "cleared", (0, 200, 100, 300)), zone="P")], ignore_index=True)
    b = cleared_blocks(both, zones).set_index(["zone_code", "block"])
    assert b.loc[("P", 1), "parcel_codes"] == ["Q"] and len(b.loc["P"]) == 1  # a proposed zone: its cleared parcels only
    assert b.loc["A", "area_ha"].round(3).tolist() == [1.4, 1.4] and round(b.loc[("E", 1), "area_ha"], 3) == 1.0
    only_proposed = cleared_blocks(parcels(("Q", "cleared", (0, 200, 100, 300)), zone="P"), zones).set_index("zone_code")
    assert sorted(only_proposed.index) == ["A", "E", "P"]  # zones without parcels: all their land is theirs
