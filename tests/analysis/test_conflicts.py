"""Conflict detection on hand-built geometries: one positive case per rule, plus noise,
touching, status filters, empty inputs and CRS invariance."""
from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString, Point, Polygon, box

from mapapp.analysis import measure
from mapapp.analysis.conflicts import (
    RULES,
    LayerColumns,
    find_conflicts,
    to_feature_collection,
)
from tests.helpers import gc_passes

E0, N0 = 580_000.0, 1_100_000.0  # near Vị Thanh, in EPSG:5897 metres


def rect(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return box(E0 + x0, N0 + y0, E0 + x1, N0 + y1)


def line(*xy: tuple[float, float]) -> LineString:
    return LineString([(E0 + x, N0 + y) for x, y in xy])


def point(x: float, y: float) -> Point:
    return Point(E0 + x, N0 + y)


def layer(rows: list[dict], crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """Rows with a metric ``geometry``, as a GeoDataFrame in ``crs`` (built in EPSG:5897)."""
    if not rows:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    geoms = np.array([r.pop("geometry") for r in rows], dtype=object)
    if crs == "EPSG:4326":
        geoms = measure.to_storage(geoms)
    return gpd.GeoDataFrame(rows, geometry=list(geoms), crs=crs)


def zone(code="Z1", geom=None, status="operating", allowed=""):
    return {"code": code, "name": code, "kind": "industrial_zone", "status": status,
            "allowed_land_uses": allowed, "geometry": geom if geom is not None else rect(-1000, -1000, 2000, 2000)}


def lot(code, geom, status="leased", zone_code="Z1", land_use="factory"):
    return {"code": code, "zone_code": zone_code, "land_use": land_use, "status": status, "geometry": geom}


def parcel(code, geom, status="not_started", zone_code="Z1"):
    return {"code": code, "zone_code": zone_code, "status": status, "geometry": geom}


def project(code, geom, kind="road", status="planned", zone_code="Z1"):
    return {"code": code, "name": code, "kind": kind, "status": status, "zone_code": zone_code, "geometry": geom}


def run(zones=None, lots=(), parcels=(), projects=(), crs="EPSG:4326", **tol) -> gpd.GeoDataFrame:
    zones = [zone()] if zones is None else zones
    return find_conflicts(layer(list(zones), crs), layer(list(lots), crs), layer(list(parcels), crs),
                          layer(list(projects), crs), **tol)


def only(result: gpd.GeoDataFrame, type_: str) -> gpd.GeoDataFrame:
    return result[result["type"] == type_]


def by_first_code(result: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return result.set_index(result["codes"].map(lambda c: c[0]))


def metric_area(geom) -> float:
    return float(measure.area_m2([geom])[0])


# --------------------------------------------------------------------------- lot_overlap

def test_lot_overlap_area_codes_severity():
    res = run(lots=[lot("SH-A02", rect(100, 0, 300, 50)), lot("SH-A01", rect(0, 0, 200, 50))])
    assert list(res["type"]) == ["lot_overlap"]
    row = res.iloc[0]
    assert row["codes"] == ["SH-A01", "SH-A02"] and row["layers"] == ["lots", "lots"]
    assert row["id"] == "lot_overlap:SH-A01:SH-A02"
    assert row["area_m2"] == pytest.approx(5000, rel=0.005)
    assert metric_area(row.geometry) == pytest.approx(5000, rel=0.005)
    assert np.isnan(row["length_m"])
    assert row["severity"] == "high"  # two leased lots
    assert row["zone_code"] == "Z1"
    assert row["description"] == "Lô SH-A01 chồng lấn lô SH-A02: 5.000 m²"
    assert row["description_en"] == "Lot SH-A01 overlaps lot SH-A02: 5,000 m²"
    assert res.crs.to_epsg() == 4326


@pytest.mark.parametrize(("a", "b", "severity"), [
    ("leased", "available", "medium"), ("reserved", "available", "medium"), ("available", "available", "low"),
])
def test_lot_overlap_severity(a, b, severity):
    res = run(lots=[lot("A", rect(0, 0, 200, 50), a), lot("B", rect(100, 0, 300, 50), b)])
    assert list(res["severity"]) == [severity]


def test_contained_lot_is_an_overlap():
    res = run(lots=[lot("A", rect(0, 0, 200, 200)), lot("B", rect(50, 50, 100, 100))])
    assert only(res, "lot_overlap")["area_m2"].iloc[0] == pytest.approx(2500, rel=0.005)


def test_overlap_tolerance():
    # 0.2 m x 2.5 m = 0.5 m² (wider than the 10 cm sliver width): noise at the default 1 m², a conflict at 0.1 m²
    assert run(lots=[lot("A", rect(0, 0, 100, 50)), lot("B", rect(99.8, 0, 200, 2.5))]).empty
    res = run(lots=[lot("A", rect(0, 0, 100, 50)), lot("B", rect(99.8, 0, 200, 2.5))], tolerance_m2=0.1)
    assert list(res["type"]) == ["lot_overlap"]
    assert res["area_m2"].iloc[0] == pytest.approx(0.5, rel=0.01)


def test_touching_lots_are_not_in_conflict():
    # B's shared edge carries an extra vertex: not bit-identical to A's edge after reprojection
    b = Polygon([(E0 + 100, N0), (E0 + 200, N0), (E0 + 200, N0 + 50), (E0 + 100, N0 + 50), (E0 + 100, N0 + 25)])
    corner = rect(100, 50, 150, 100)  # touches A at one point
    assert run(lots=[lot("A", rect(0, 0, 100, 50)), lot("B", b), lot("C", corner)]).empty


def test_rotated_grid_neighbours_and_overlap():
    """Rotated lots share edges (pruned without GEOS) while a real overlap is still found."""
    cells = [rect(c * 60, r * 40, (c + 1) * 60, (r + 1) * 40) for r in range(4) for c in range(5)]
    cells.append(rect(60 * 4 - 10, 0, 60 * 5 - 10, 40))  # 10 m x 40 m over the last cell of row 0
    geoms = shapely.affinity.rotate(shapely.GeometryCollection(cells), 33, origin=(E0, N0)).geoms
    res = run(lots=[lot(f"L{k:02d}", g) for k, g in enumerate(geoms)])
    assert list(res["codes"]) == [["L03", "L20"], ["L04", "L20"]]
    areas = dict(zip(map(tuple, res["codes"]), res["area_m2"]))
    assert areas[("L04", "L20")] == pytest.approx(50 * 40, rel=0.005)
    assert areas[("L03", "L20")] == pytest.approx(10 * 40, rel=0.005)


# --------------------------------------------------------------------------- lot_on_uncleared_land

def test_lot_on_uncleared_land():
    res = run(lots=[lot("L1", rect(0, 0, 200, 100))], parcels=[parcel("P1", rect(100, 50, 300, 300), "disputed")])
    assert list(res["type"]) == ["lot_on_uncleared_land"]
    row = res.iloc[0]
    assert row["codes"] == ["L1", "P1"] and row["layers"] == ["lots", "clearance"]
    assert row["area_m2"] == pytest.approx(5000, rel=0.005)
    assert row["severity"] == "high"
    assert "L1" in row["description"] and "P1" in row["description"] and "5.000 m²" in row["description"]
    assert "tranh chấp" in row["description"]


@pytest.mark.parametrize(("lot_status", "parcel_status", "expected"), [
    ("leased", "not_started", "high"),
    ("reserved", "negotiating", "medium"),
    ("reserved", "compensated", "low"),
    ("reserved", "disputed", "high"),
    ("leased", "cleared", None),
    ("available", "not_started", None),
    ("available", "disputed", None),
])
def test_lot_on_uncleared_land_statuses(lot_status, parcel_status, expected):
    res = run(lots=[lot("L1", rect(0, 0, 200, 100), lot_status)],
              parcels=[parcel("P1", rect(100, 50, 300, 300), parcel_status)])
    assert list(res["severity"]) == ([] if expected is None else [expected])


def test_lot_touching_uncleared_parcel():
    assert run(lots=[lot("L1", rect(0, 0, 100, 100))], parcels=[parcel("P1", rect(100, 0, 200, 100))]).empty


# --------------------------------------------------------------------------- outside_zone

def test_lot_outside_zone():
    zones = [zone("Z1", rect(0, 0, 1000, 1000))]
    res = run(zones, lots=[lot("L1", rect(990, 0, 1010, 50)), lot("L2", rect(0, 0, 100, 100))])
    assert list(res["type"]) == ["outside_zone"]
    row = res.iloc[0]
    assert row["codes"] == ["L1", "Z1"] and row["layers"] == ["lots", "zones"]
    assert row["area_m2"] == pytest.approx(500, rel=0.005)
    assert metric_area(row.geometry) == pytest.approx(500, rel=0.005)
    assert row["description"] == "Lô L1 vượt ra ngoài ranh giới khu Z1: 500 m²"


def test_outside_zone_unknown_or_empty_zone_code_skipped():
    zones = [zone("Z1", rect(0, 0, 1000, 1000))]
    lots = [lot("L1", rect(2000, 0, 2100, 50), zone_code=""), lot("L2", rect(2000, 0, 2100, 50), zone_code="ZX")]
    assert only(run(zones, lots=lots), "outside_zone").empty


def test_projects_outside_zone():
    zones = [zone("Z1", rect(0, 0, 1000, 1000))]
    projects = [
        project("R1", line((500, 500), (1030, 500))),                  # 30 m outside
        project("R2", line((0, 100), (0, 900))),                       # along the boundary
        project("W1", point(1100, 1100), kind="wastewater_plant"),     # outside
        project("W2", point(500, 500), kind="wastewater_plant"),       # inside
        project("W3", point(1000, 500), kind="wastewater_plant"),      # on the boundary
        project("P1", rect(950, 0, 1050, 100), kind="other"),          # 50 x 100 outside
    ]
    res = by_first_code(only(run(zones, projects=projects), "outside_zone"))
    assert sorted(res.index) == ["P1", "R1", "W1"]
    assert res.loc["R1", "length_m"] == pytest.approx(30, rel=0.005)
    assert np.isnan(res.loc["R1", "area_m2"])
    assert res.loc["P1", "area_m2"] == pytest.approx(5000, rel=0.005)
    assert res.loc["W1", "geometry"].geom_type == "Point"
    assert res.loc["W1", "description_en"] == "Project W1 lies outside zone Z1"
    assert res.loc["R1", "layers"] == ["projects", "zones"]


# --------------------------------------------------------------------------- project_on_uncleared_land

def test_road_crossing_uncleared_parcel():
    res = run(parcels=[parcel("P1", rect(0, 0, 100, 50), "negotiating")],
              projects=[project("R1", line((-50, 25), (150, 25)), status="in_progress")])
    assert list(res["type"]) == ["project_on_uncleared_land"]
    row = res.iloc[0]
    assert row["codes"] == ["R1", "P1"] and row["layers"] == ["projects", "clearance"]
    assert row["length_m"] == pytest.approx(100, rel=0.005)
    assert float(measure.length_m([row.geometry])[0]) == pytest.approx(100, rel=0.005)
    assert np.isnan(row["area_m2"])
    assert row["severity"] == "high"
    assert row["description"].endswith(": 100 m") and "R1" in row["description"] and "P1" in row["description"]


def test_project_on_uncleared_land_kinds_and_noise():
    parcels = [parcel("P1", rect(0, 0, 100, 50)), parcel("P2", rect(200, 0, 300, 50), "cleared")]
    projects = [
        project("R-edge", line((0, 50), (100, 50))),                  # along the edge
        project("R-touch", line((100, 60), (100, 100))),              # ends on the corner
        project("R-short", line((-10, 10), (0.5, 10))),               # 0.5 m in: noise
        project("R-cleared", line((150, 25), (350, 25))),             # only cleared land
        project("W-in", point(50, 25), kind="wastewater_plant"),
        project("W-edge", point(50, 0), kind="wastewater_plant"),
        project("B-over", rect(80, 30, 120, 80), kind="other", status="suspended"),  # 20 x 20
    ]
    res = by_first_code(only(run(parcels=parcels, projects=projects), "project_on_uncleared_land"))
    assert sorted(res.index) == ["B-over", "W-in"]
    assert res.loc["B-over", "area_m2"] == pytest.approx(400, rel=0.005)
    assert res.loc["B-over", "severity"] == "low"
    assert res.loc["W-in", "description_en"] == "Project W-in lies inside uncleared parcel P1 (not started)"


def test_crossing_length_tolerance():
    """0.5 m of road inside an uncleared parcel: noise at 1 m, a conflict at 0.1 m."""
    parcels, road = [parcel("P1", rect(0, 0, 100, 50))], line((-10, 10), (0.5, 10))
    assert run(parcels=parcels, projects=[project("R1", road)]).empty
    res = run(parcels=[parcel("P1", rect(0, 0, 100, 50))], projects=[project("R1", line((-10, 10), (0.5, 10)))],
              tolerance_m=0.1)
    assert list(res["type"]) == ["project_on_uncleared_land"]
    assert res["length_m"].iloc[0] == pytest.approx(0.5, abs=0.03)  # less the 1 cm edge corridor


# --------------------------------------------------------------------------- project_through_lot

def test_project_through_lot():
    lots = [lot("L1", rect(0, 0, 100, 100), "leased"), lot("L2", rect(100, 0, 200, 100), "available"),
            lot("L3", rect(200, 0, 300, 100), "reserved")]
    res = only(run(lots=lots, projects=[project("R1", line((-10, 50), (310, 50)))]), "project_through_lot")
    assert [c for c in res["codes"]] == [["R1", "L1"], ["R1", "L3"]]
    assert list(res["severity"]) == ["high", "medium"]
    assert res["length_m"].to_numpy() == pytest.approx([100, 100], rel=0.005)


# --------------------------------------------------------------------------- attribute rules

def test_land_use_mismatch():
    zones = [zone("Z1", allowed="factory, Warehouse"), zone("Z2", rect(5000, 0, 6000, 1000))]
    lots = [lot("L1", rect(0, 0, 50, 50), land_use="housing"), lot("L2", rect(100, 0, 150, 50), land_use="warehouse"),
            lot("L3", rect(5100, 0, 5200, 50), zone_code="Z2", land_use="housing")]
    res = run(zones, lots=lots)
    assert list(res["type"]) == ["land_use_mismatch"]
    row = res.iloc[0]
    assert row["codes"] == ["L1", "Z1"] and row["severity"] == "high"
    assert row["area_m2"] == pytest.approx(2500, rel=0.005)
    assert row["description"] == (
        "Lô L1 (2.500 m²) dùng làm nhà ở, không được phép trong khu Z1 (cho phép: nhà máy, kho bãi)")


def test_lot_in_proposed_zone():
    zones = [zone("Z1", status="proposed")]
    lots = [lot("L1", rect(0, 0, 50, 50), "leased"), lot("L2", rect(100, 0, 150, 50), "available"),
            lot("L3", rect(200, 0, 250, 50), "reserved")]
    res = run(zones, lots=lots)
    assert list(res["type"]) == ["lot_in_proposed_zone"] * 2
    assert list(res["codes"]) == [["L1", "Z1"], ["L3", "Z1"]]
    assert list(res["severity"]) == ["high", "medium"]


def test_zone_overlap():
    zones = [zone("Z2", rect(900, 0, 2000, 1000)), zone("Z1", rect(0, 0, 1000, 1000), status="proposed"),
             zone("Z3", rect(2000, 0, 3000, 1000))]  # Z3 only touches Z2
    res = run(zones)
    assert list(res["type"]) == ["zone_overlap"]
    row = res.iloc[0]
    assert row["codes"] == ["Z1", "Z2"] and row["layers"] == ["zones", "zones"]
    assert row["area_m2"] == pytest.approx(100_000, rel=0.005)
    assert row["severity"] == "medium"


# --------------------------------------------------------------------------- whole runs

def scene() -> dict:
    """One of everything, as fresh row dicts."""
    return dict(
        zones=[zone("Z1", rect(0, 0, 1000, 1000), allowed="factory"), zone("Z2", rect(990, 0, 2000, 1000), "proposed")],
        lots=[lot("A1", rect(0, 0, 200, 50)), lot("A2", rect(100, 0, 300, 50), "reserved"),
              lot("A3", rect(950, 100, 1050, 200), land_use="housing"),
              lot("B1", rect(1500, 0, 1600, 100), zone_code="Z2")],
        parcels=[parcel("P1", rect(0, 40, 50, 90), "disputed"), parcel("P2", rect(400, 400, 600, 600), "cleared")],
        projects=[project("R1", line((150, -20), (150, 500))), project("W1", point(20, 60), kind="wastewater_plant")],
    )


def test_all_rules_once_sorted_and_unique():
    res = run(**scene())
    assert res["id"].is_unique
    keys = list(zip(res["type"], res["codes"].map(tuple)))
    assert keys == sorted(keys)
    assert set(res["type"]) == set(RULES)
    assert set(res["severity"]) <= {"high", "medium", "low"}
    assert all("\n" not in d for d in res["description"])


def test_row_order_does_not_matter():
    a = run(**scene())
    s = scene()
    b = run(**{k: v[::-1] for k, v in s.items()})
    assert list(a["id"]) == list(b["id"])
    np.testing.assert_allclose(a["area_m2"], b["area_m2"], rtol=1e-9)


def test_same_conflicts_in_metric_and_wgs84():
    wgs = run(**scene(), crs="EPSG:4326")
    metric = run(**scene(), crs="EPSG:5897")
    assert list(wgs["id"]) == list(metric["id"])
    np.testing.assert_allclose(wgs["area_m2"], metric["area_m2"], rtol=1e-3)
    np.testing.assert_allclose(wgs["length_m"], metric["length_m"], rtol=1e-3)
    assert metric.crs.to_epsg() == 4326


def columns_of(frame: gpd.GeoDataFrame) -> LayerColumns:
    """A layer as the store reads it for a recompute: plain arrays, None for a missing value."""
    attrs = {c: np.array([None if pd.isna(v) else v for v in frame[c]], dtype=object)
             for c in frame.columns if c != frame.geometry.name}
    return LayerColumns(np.asarray(frame.geometry.values, dtype=object), attrs, frame.crs.to_string())


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:5897"])
def test_plain_columns_give_the_conflicts_of_frames(crs):
    s = scene()
    s["lots"][0]["status"] = " Leased "  # normalised alike: stripped, enums lower-cased
    s["lots"][1]["land_use"] = None
    frames = {k: layer([dict(r) for r in v], crs) for k, v in s.items()}
    expected = find_conflicts(*frames.values())
    got = find_conflicts(*(columns_of(f) for f in frames.values()))
    assert got.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    assert shapely.equals_exact(got.geometry.values, expected.geometry.values, tolerance=0).all()
    assert find_conflicts(None, columns_of(frames["lots"]), None, None)["type"].tolist() == ["lot_overlap"]


@pytest.mark.parametrize("which", ["zones", "lots", "parcels", "projects", "all"])
def test_empty_inputs(which):
    s = scene()
    bare = gpd.GeoDataFrame()  # no rows, no columns, no geometry, no CRS
    layers = {k: layer(v) for k, v in s.items()}
    for k in layers:
        if which in (k, "all"):
            layers[k] = bare if k in ("lots", "projects") else layer([])
    res = find_conflicts(layers["zones"], layers["lots"], layers["parcels"], layers["projects"])
    assert list(res.columns) == ["id", "type", "codes", "layers", "zone_code", "area_m2", "length_m",
                                 "severity", "description", "description_en", "geometry"]
    assert res.crs.to_epsg() == 4326
    if which == "all":
        assert res.empty


def test_missing_optional_columns():
    lots = layer([{"code": "A", "geometry": rect(0, 0, 200, 50)}, {"code": "B", "geometry": rect(100, 0, 300, 50)}])
    res = find_conflicts(layer([]), lots, layer([]), layer([]))
    assert list(res["type"]) == ["lot_overlap"] and res["severity"].iloc[0] == "low"


def test_feature_collection_is_rfc7946():
    res = run(**scene())
    fc = to_feature_collection(res)
    text = json.dumps(fc, allow_nan=False, ensure_ascii=False)
    back = json.loads(text)
    assert back["type"] == "FeatureCollection" and "crs" not in back
    assert len(back["features"]) == len(res)
    for feat, (_, row) in zip(back["features"], res.iterrows()):
        assert feat["type"] == "Feature" and feat["id"] == row["id"]
        assert feat["properties"]["codes"] == row["codes"]
        assert isinstance(feat["properties"]["layers"], list)
        assert feat["geometry"]["type"] in {"Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
        lon, lat = np.array(shapely.get_coordinates(shapely.from_geojson(json.dumps(feat["geometry"])))).mean(0)
        assert 105 < lon < 106.5 and 9 < lat < 11
        for key in ("area_m2", "length_m"):
            value = feat["properties"][key]
            assert value is None or isinstance(value, float)
    assert any(f["properties"]["length_m"] is None for f in back["features"])
    assert to_feature_collection(find_conflicts(layer([]), layer([]), layer([]), layer([]))) == {
        "type": "FeatureCollection", "features": []}


def test_rules_metadata():
    for type_, rule in RULES.items():
        assert rule.type == type_ and rule.label_vi and rule.label_en and rule.description
        assert rule.severity in {"high", "medium", "low"}


# --------------------------------------------------------------------------- robustness

def test_multipolygon_and_invalid_lots():
    multi = shapely.MultiPolygon([rect(0, 0, 100, 50), rect(500, 0, 600, 50)])
    bowtie = Polygon([(E0 + 50, N0), (E0 + 150, N0 + 50), (E0 + 150, N0), (E0 + 50, N0 + 50)])  # self-intersecting
    res = run(lots=[lot("M", multi), lot("N", rect(550, 0, 650, 50)), lot("X", bowtie)])
    pairs = {tuple(c): a for c, a in zip(res["codes"], res["area_m2"])}
    assert pairs[("M", "N")] == pytest.approx(2500, rel=0.005)
    assert ("M", "X") in pairs  # found despite the invalid ring (repaired, not crashed)


def test_overlap_geometry_is_polygonal():
    """An overlap plus a touch elsewhere: the reported geometry drops the touching edge."""
    u_shape = Polygon([(E0, N0), (E0 + 300, N0), (E0 + 300, N0 + 100), (E0 + 200, N0 + 100), (E0 + 200, N0 + 50),
                       (E0 + 100, N0 + 50), (E0 + 100, N0 + 100), (E0, N0 + 100)])
    res = run(lots=[lot("U", u_shape), lot("V", rect(100, 40, 200, 150))])
    geom = res.geometry.iloc[0]
    assert geom.geom_type in {"Polygon", "MultiPolygon"}
    assert res["area_m2"].iloc[0] == pytest.approx(1000, rel=0.005)


def test_other_input_crs_and_missing_crs():
    s = scene()
    utm = {k: layer(v, "EPSG:4326").to_crs("EPSG:32648") for k, v in scene().items()}
    a = run(**s)
    b = find_conflicts(utm["zones"], utm["lots"], utm["parcels"], utm["projects"])
    assert list(a["id"]) == list(b["id"])
    np.testing.assert_allclose(a["area_m2"], b["area_m2"], rtol=1e-6)
    bare = layer(scene()["lots"]).set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="CRS"):
        find_conflicts(layer([]), bare, layer([]), layer([]))


def test_prefilter_bounds_never_below_true_overlap():
    """Both numpy prefilters are upper bounds of the overlap area, for any shapes."""
    from mapapp.analysis.conflicts.pairs import (
        _bbox_overlap,
        _box_overlap_in_frame,
        _oriented_boxes,
    )

    rng = np.random.default_rng(7)
    n = 250
    angles = np.sort(rng.uniform(0, 2 * np.pi, (n, 7)), axis=1)
    radii = rng.uniform(5, 60, (n, 7))  # concave, some self-intersecting (then repaired)
    centre = rng.uniform(0, 120, (n, 2))
    ring = centre[:, None, :] + radii[..., None] * np.stack([np.cos(angles), np.sin(angles)], -1)
    polys = shapely.make_valid(shapely.polygons(np.concatenate([ring, ring[:, :1]], axis=1)))
    far = shapely.transform(polys[50:100], lambda c: c + 150)
    polys = np.concatenate([polys, shapely.union(polys[:50], far)])  # multi-part
    i, j = np.triu_indices(len(polys), 1)
    true = shapely.area(shapely.intersection(polys[i], polys[j]))
    boxes = _oriented_boxes(polys)
    bounds = shapely.bounds(polys)
    slack = 1e-6
    assert np.all(_bbox_overlap(bounds[i], bounds[j]) >= true - slack)
    assert np.all(_box_overlap_in_frame(boxes[i], boxes[j]) >= true - slack)
    assert np.all(_box_overlap_in_frame(boxes[j], boxes[i]) >= true - slack)
    assert np.all(shapely.covers(shapely.buffer(_box_polygons(boxes), 1e-6), polys))


def _box_polygons(boxes: np.ndarray) -> np.ndarray:
    cx, cy, ux, uy, hu, hv = boxes.T
    corners = [(su, sv) for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1))]
    ring = np.stack([np.stack([cx + su * hu * ux - sv * hv * uy, cy + su * hu * uy + sv * hv * ux], -1)
                     for su, sv in corners], axis=1)
    return shapely.polygons(ring)


# --------------------------------------------------------------------------- noise by width; wholly outside (issue 9)

def test_hair_line_along_a_shared_edge_is_not_an_overlap():
    """Two leased lots sharing a 400 m edge, one drawn 2 cm into the other: 8 m² but a hair-line, not a conflict."""
    lots = [lot("L1", rect(0, 0, 400, 100)), lot("L2", rect(0, 99.98, 400, 200))]
    assert shapely.area(shapely.intersection(rect(0, 0, 400, 100), rect(0, 99.98, 400, 200))) == pytest.approx(8, rel=1e-3)
    assert only(run(lots=lots), "lot_overlap").empty


def test_lots_rounded_to_six_decimals_are_not_an_overlap():
    """RFC 7946's 6 decimals move a shared edge by up to about 5 cm: no lot_overlap, whichever way it rounds."""
    a = measure.to_storage([rect(0, 0, 400, 100)])[0]
    b = measure.to_storage([rect(0, 100, 400, 200)])[0]
    rounded = shapely.transform(b, lambda c: np.round(c, 6))
    frame = gpd.GeoDataFrame([{k: v for k, v in lot(c, None).items() if k != "geometry"} for c in ("L1", "L2")],
                             geometry=[a, rounded], crs="EPSG:4326")
    res = find_conflicts(layer([zone()]), frame, layer([]), layer([]))
    assert only(res, "lot_overlap").empty


def test_a_metre_wide_overlap_is_still_reported():
    lots = [lot("L1", rect(0, 0, 400, 100)), lot("L2", rect(0, 99, 400, 200))]
    res = only(run(lots=lots), "lot_overlap")
    assert list(res["area_m2"].round(0)) == [400]


def test_a_tiny_lot_far_outside_its_zone_is_a_conflict():
    """Today a lot of 1e-6 m² placed 1,000 km away raises none."""
    speck = box(E0 + 1_000_000, N0, E0 + 1_000_000.001, N0 + 0.001)
    res = only(run(lots=[lot("L1", speck)]), "outside_zone")
    assert list(res["codes"]) == [["L1", "Z1"]]
    assert res.iloc[0]["description"].startswith("Lô L1 vượt ra ngoài ranh giới khu Z1")


def test_the_zones_of_a_layer_are_looked_up_once_for_every_rule():
    from mapapp.analysis.conflicts.inputs import _Layer
    from mapapp.analysis.conflicts.results import _zone_index

    zones = _Layer("zones", np.array([rect(0, 0, 1, 1)] * 3, dtype=object),
                   {"code": np.array(["Z1", "Z2", "Z1"], dtype=object)})
    codes = np.array(["Z2", "Z1", "", "Z9"], dtype=object)
    rows = _zone_index(zones, codes)
    assert rows.tolist() == [1, 0, -1, -1] and not rows.flags.writeable
    assert _zone_index(zones, codes) is rows
    again = _zone_index(zones, codes.copy())  # another array: looked up on its own
    assert again is not rows and again.tolist() == rows.tolist()


def test_no_garbage_collection_pass_while_the_rules_run():
    """With 10⁶ geometries alive every pass walked them all again: a tenth of the time at 5·10⁵ lots.
    One pass may come as collection resumes, after the rules."""
    grid = [lot(f"G{i}", rect(i % 50 * 20, i // 50 * 20, i % 50 * 20 + 21, i // 50 * 20 + 20)) for i in range(2000)]
    frames = [layer([zone()]), layer(grid), layer([]), layer([])]
    with gc_passes() as passes:
        assert len(only(find_conflicts(*frames), "lot_overlap")) == 49 * 40
    assert len(passes) <= 1
