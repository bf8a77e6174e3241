"""The one GeoJSON writer: RFC 7946 rings, no internal columns, personal data only for staff."""
from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, shape

from mapapp.geojson import collection_json, feature_json
from mapapp.analysis.conflicts import to_feature_collection
from mapapp.sources.importer import export_layer

CLOCKWISE_WITH_HOLE = Polygon(
    [(0, 0), (0, 10), (10, 10), (10, 0), (0, 0)],
    [[(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]],  # counter-clockwise hole
)


def _rings_ok(geometry: dict) -> bool:
    """Exterior counter-clockwise, holes clockwise, for every polygon of the geometry."""
    geom = shape(geometry)
    polygons = getattr(geom, "geoms", [geom])
    return all(
        p.exterior.is_ccw and not any(hole.is_ccw for hole in p.interiors) for p in polygons
    )


def test_clockwise_rings_are_written_counter_clockwise():
    assert not CLOCKWISE_WITH_HOLE.exterior.is_ccw and CLOCKWISE_WITH_HOLE.interiors[0].is_ccw
    frame = gpd.GeoDataFrame({"code": ["A"]}, geometry=[CLOCKWISE_WITH_HOLE], crs="EPSG:4326")
    feature = json.loads(collection_json(frame))["features"][0]
    assert _rings_ok(feature["geometry"])
    assert shapely.equals(shape(feature["geometry"]), CLOCKWISE_WITH_HOLE)


def test_internal_columns_never_become_properties():
    frame = gpd.GeoDataFrame(
        {"id": [7], "code": ["A"], "props": [{"colour": "red", "search_text": "x"}], "geom_type": ["Polygon"],
         "minx": [0.0], "miny": [0.0], "maxx": [1.0], "maxy": [1.0], "search_text": ["a"], "status": ["leased"]},
        geometry=[CLOCKWISE_WITH_HOLE], crs="EPSG:4326",
    )
    feature = json.loads(feature_json(frame))
    assert feature["id"] == "A"
    assert feature["properties"] == {"colour": "red", "code": "A", "status": "leased"}


@pytest.mark.parametrize("staff", [False, True])
def test_personal_data_only_for_staff(staff):
    frame = gpd.GeoDataFrame(
        {"code": ["P1"], "status": ["cleared"], "owner": ["Hộ ông A"], "households": [2], "compensation_vnd": [1e9],
         "paid_vnd": [5e8], "props": [{"phone": "0909"}]},
        geometry=[CLOCKWISE_WITH_HOLE], crs="EPSG:4326",
    )
    props = json.loads(collection_json(frame, layer="clearance", staff=staff))["features"][0]["properties"]
    personal = {"owner", "households", "compensation_vnd", "paid_vnd", "phone"}
    assert (personal <= set(props)) is staff
    assert not staff or props["owner"] == "Hộ ông A"
    assert staff or not (personal & set(props))
    assert props["status"] == "cleared"


def test_no_id_member_when_asked_for_none():
    frame = gpd.GeoDataFrame({"code": ["A"]}, geometry=[CLOCKWISE_WITH_HOLE], crs="EPSG:4326")
    assert "id" not in json.loads(feature_json(frame, id_column=None))


def test_cli_conflicts_json_goes_through_the_writer():
    frame = gpd.GeoDataFrame(
        {"id": ["c1"], "type": ["lot_overlap"], "severity": ["medium"], "area_m2": [float("nan")]},
        geometry=[CLOCKWISE_WITH_HOLE], crs="EPSG:4326",
    )
    doc = to_feature_collection(frame)
    feature = doc["features"][0]
    assert feature["id"] == "c1" and feature["properties"]["area_m2"] is None
    assert _rings_ok(feature["geometry"])


def test_geojson_export_is_rfc7946_and_reimports(loaded_store, tmp_path):
    path = tmp_path / "lots.geojson"
    assert export_layer(loaded_store, "lots", path) == 3
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert all(_rings_ok(f["geometry"]) for f in doc["features"])
    assert sorted(f["properties"]["code"] for f in doc["features"]) == ["L1", "L2", "L3"]
    assert not {"search_text", "geom_type", "minx"} & set(doc["features"][0]["properties"])
    reread = gpd.read_file(path)
    assert sorted(reread["code"]) == ["L1", "L2", "L3"]
