"""The engine's overlapping pairs match geopandas' spatial join plus intersection areas on a synthetic
province (bench/synthetic.py), axis-aligned and rotated: what its candidate pruning must never change."""
from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from mapapp.analysis import measure
from mapapp.analysis.conflicts import find_conflicts

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic import province

TOL_M2 = 1.0
SLIVER_M = 0.1


def metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in EPSG:5897 by the engine's own transformation (the national shift)."""
    return frame.set_geometry(measure.to_metric(frame.geometry.values), crs=measure.METRIC_CRS)


def overlaps(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame, same: bool) -> dict[tuple[str, str], float]:
    """(left code, right code) -> overlap area (m²), for pairs overlapping by more than TOL_M2 and wider than a
    sliver, by ``geopandas.sjoin`` and shapely intersections."""
    joined = gpd.sjoin(left, right, predicate="intersects", lsuffix="l", rsuffix="r")
    a = joined["code_l"].to_numpy()
    b = right["code"].to_numpy()[right.index.get_indexer(joined["index_r"])]
    geom_b = right.geometry.values[right.index.get_indexer(joined["index_r"])]
    if same:
        first = a < b
        a, b, geom_a, geom_b = a[first], b[first], joined.geometry.values[first], geom_b[first]
    else:
        geom_a = joined.geometry.values
    inter = shapely.intersection(np.asarray(geom_a, dtype=object), np.asarray(geom_b, dtype=object))
    area = shapely.area(inter)
    wide = ~shapely.is_empty(shapely.buffer(inter, -SLIVER_M / 2, quad_segs=2, join_style="mitre"))
    keep = (area > TOL_M2) & wide
    return dict(zip(zip(a[keep], b[keep]), area[keep]))


def found(result: gpd.GeoDataFrame, kind: str) -> dict[tuple[str, str], float]:
    rows = result[result["type"] == kind]
    return dict(zip(map(tuple, rows["codes"]), rows["area_m2"]))


@pytest.mark.parametrize("rotate", [False, True])
def test_overlapping_pairs_and_areas_match_sjoin(rotate):
    data = province(4000, seed=5, rotate=rotate)
    result = find_conflicts(data["zones"], data["lots"], data["clearance"], data["projects"], tolerance_m2=TOL_M2)
    lots = metric(data["lots"]).reset_index(drop=True)
    committed = lots[lots["status"].isin(["leased", "reserved"])]
    uncleared = metric(data["clearance"]).reset_index(drop=True)
    uncleared = uncleared[uncleared["status"] != "cleared"]
    for kind, expected in (("lot_overlap", overlaps(lots, lots, same=True)),
                           ("lot_on_uncleared_land", overlaps(committed, uncleared, same=False))):
        got = found(result, kind)
        assert len(expected) > 20
        assert got.keys() == expected.keys(), kind
        assert np.allclose([got[k] for k in expected], list(expected.values()), rtol=1e-7), kind
