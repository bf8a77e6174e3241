"""Part 2: features in VN-2000 / TM-3 105°00′ (EPSG:5897, through EPSG:6960) and boxes given in it."""
from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, shape

from mapapp.api.ogc import crs
from tests.builders import E0, N0

VN2000 = "http://www.opengis.net/def/crs/EPSG/0/5897"


def test_national_transformation_matches_the_check_value():
    """Vị Thanh (9.783 N, 105.467 E) is about E 551 034, N 1 081 892 with EPSG:6960 (EPSG:5194 is 0.8 m off)."""
    p = crs.reproject([Point(105.467, 9.783)], crs.CRS84, crs.VN2000)[0]
    assert p.x == pytest.approx(551_034.8, abs=0.3) and p.y == pytest.approx(1_081_892.1, abs=0.3)
    back = crs.reproject([p], crs.VN2000, crs.CRS84)[0]
    assert back.x == pytest.approx(105.467, abs=1e-7) and back.y == pytest.approx(9.783, abs=1e-7)


@pytest.mark.parametrize("text", ["EPSG:5897", "[EPSG:5897]", VN2000, "http://www.opengis.net/def/crs/epsg/0/5897"])
def test_crs_spellings(text):
    assert crs.parse(text) == crs.VN2000


def test_features_in_the_provinces_grid(client):
    response = client.get(f"/ogc/collections/lots/items/L1?crs={VN2000}")
    assert response.status_code == 200
    assert response.headers["Content-Crs"] == f"<{VN2000}>"
    minx, miny, maxx, maxy = shape(json.loads(response.get_data(as_text=True))["geometry"]).bounds
    # L1 was drawn as the box (0, 0)-(200, 100) metres from (E0, N0) in EPSG:5897 (builders use pyproj's default; ≤1 m apart)
    assert (minx, miny, maxx, maxy) == pytest.approx((E0, N0, E0 + 200, N0 + 100), abs=1.5)


def test_default_is_crs84_and_said_so(client):
    response = client.get("/ogc/collections/lots/items")
    assert response.headers["Content-Crs"] == f"<{crs.CRS84}>"
    lon, lat = json.loads(response.get_data(as_text=True))["features"][0]["geometry"]["coordinates"][0][0]
    assert 105 < lon < 106.5 and 9 < lat < 10.5


def test_bbox_in_metres(client):
    box = f"{E0 - 10},{N0 - 10},{E0 + 150},{N0 + 50}"
    doc = json.loads(client.get(f"/ogc/collections/lots/items?bbox={box}&bbox-crs={VN2000}").get_data(as_text=True))
    assert [f["id"] for f in doc["features"]] == ["L1"]


def test_collection_declares_crs_and_storage(client):
    doc = client.get("/ogc/collections/lots").get_json()
    assert doc["storageCrs"] == crs.CRS84 and set(doc["crs"]) == {crs.CRS84, VN2000}


def test_unsupported_crs_is_400(client):
    assert client.get("/ogc/collections/lots/items?crs=EPSG:3857").status_code == 400
    assert client.get("/ogc/collections/lots/items/L1?crs=EPSG:3857").status_code == 400
