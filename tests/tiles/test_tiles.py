"""Vector tiles on SQLite (mapbox-vector-tile) and PostGIS (ST_AsMVT): what they hold, how they change, HTTP caching."""
from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path

import mapbox_vector_tile
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from mapapp import create_app
from mapapp.changes.model import Actor
from mapapp.edits import edit_feature
from mapapp.layers import LAYERS
from mapapp.queries.layers import layer_view
from mapapp.sources.sample import load_sample
from mapapp.tiles.provider import provider_for

WEB = Actor("planner1", "api")
TO_4326 = Transformer.from_crs(3857, 4326, always_xy=True)
TO_3857 = Transformer.from_crs(4326, 3857, always_xy=True)
HALF = 20037508.342789244


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (the slippy-map formula, independent of mapapp.tiles.grid)."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tile_box_3857(z: int, x: int, y: int, buffer_units: float = 0.0):
    size = 2 * HALF / 2**z
    grow = size * buffer_units / 4096
    minx, maxy = -HALF + x * size, HALF - y * size
    return minx - grow, maxy - size - grow, minx + size + grow, maxy + grow


def expected_codes(store, layer: str, z: int, x: int, y: int) -> set[str]:
    """Active features whose geometry meets the tile grown by its 64-unit buffer (computed with pyproj)."""
    minx, miny, maxx, maxy = tile_box_3857(z, x, y, 64)
    frame = store.read_layer(layer, fields_only=True)
    metric = frame.to_crs(3857)
    hit = metric.intersects(shapely.box(minx, miny, maxx, maxy))
    return set(frame.loc[hit.to_numpy(), "code"])


def decode(data: bytes, layer: str) -> list[dict]:
    if not data:
        return []
    return mapbox_vector_tile.decode(data, default_options={"y_coord_down": True}).get(layer, {}).get("features", [])


def data_tiles(store, layer: str, z: int) -> list[tuple[int, int]]:
    """Every tile at ``z`` that the layer's extent touches, and the ring of tiles around it."""
    minx, miny, maxx, maxy = store.extent(layer)
    x0, y1 = tile_of(minx, miny, z)
    x1, y0 = tile_of(maxx, maxy, z)
    return [(x, y) for x in range(x0 - 1, x1 + 2) for y in range(y0 - 1, y1 + 2)]


@pytest.fixture
def tiles_client(backend_store):
    return create_app({"database": backend_store.url}).test_client()


def test_the_provider_is_postgis_on_postgresql_else_python(backend_store):
    kind = type(provider_for(backend_store)).__name__
    assert kind == ("PostgisTiles" if backend_store.engine.dialect.name == "postgresql" else "PythonTiles")


@pytest.mark.parametrize("layer", ["lots", "clearance"])
@pytest.mark.parametrize("z", [14, 15, 16, 17])
def test_tiles_hold_exactly_the_features_that_meet_them_with_public_attributes(backend_store, tiles_client, layer, z):
    spec = LAYERS[layer]
    seen: set[str] = set()
    for x, y in data_tiles(backend_store, layer, z):
        response = tiles_client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf")
        assert response.status_code == 200 and response.mimetype == "application/vnd.mapbox-vector-tile"
        features = decode(response.data, layer)
        codes = [f["properties"]["code"] for f in features]
        assert len(codes) == len(set(codes))
        assert set(codes) == expected_codes(backend_store, layer, z, x, y), (z, x, y)
        for f in features:
            assert set(f["properties"]) <= {"code", "zone_code", "land_use", "status", "step", "overdue"}
            assert not set(f["properties"]) & set(spec.personal_fields)
        assert b"Nguy" not in response.data and "Trần".encode() not in response.data  # owners' names
        seen |= set(codes)
    assert seen == set(backend_store.read_layer(layer)["code"])


def test_tile_geometry_is_the_feature_in_tile_coordinates(backend_store, tiles_client):
    """L1's outline, projected with pyproj and scaled to 0–4096 (y down), is what the tile holds (±1 unit)."""
    lot = backend_store.read_layer("lots", filters={"code": "L1"}).geometry.iloc[0]
    c = lot.centroid
    z = 17
    x, y = tile_of(c.x, c.y, z)
    minx, miny, maxx, maxy = tile_box_3857(z, x, y)
    xs, ys = TO_3857.transform(*np.asarray(lot.exterior.coords).T)
    px = (np.asarray(xs) - minx) / (maxx - minx) * 4096
    py = (maxy - np.asarray(ys)) / (maxy - miny) * 4096
    want = shapely.clip_by_rect(shapely.Polygon(np.column_stack([px, py])), -64, -64, 4160, 4160)
    features = [f for f in decode(tiles_client.get(f"/tiles/lots/{z}/{x}/{y}.pbf").data, "lots") if f["properties"]["code"] == "L1"]
    assert len(features) == 1
    got = shapely.geometry.shape(features[0]["geometry"])
    assert np.allclose(got.bounds, want.bounds, atol=1.01)
    assert got.symmetric_difference(want).area < 0.01 * want.area


def test_gdal_reads_the_tile(backend_store, tiles_client, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    if "MVT" not in pyogrio.list_drivers():
        pytest.skip("GDAL without the MVT driver")
    c = backend_store.read_layer("lots").geometry.union_all().centroid
    x, y = tile_of(c.x, c.y, 15)
    path = tmp_path / "15" / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True)
    path.write_bytes(tiles_client.get(f"/tiles/lots/15/{x}/{y}.pbf").data)
    frame = pyogrio.read_dataframe(path, layer="lots")
    assert set(frame["code"]) == expected_codes(backend_store, "lots", 15, x, y)
    assert {"status", "land_use", "zone_code"} <= set(frame.columns)


def test_an_edit_through_the_write_path_changes_that_layers_tiles_only(backend_store, tiles_client):
    c = backend_store.read_layer("lots").geometry.union_all().centroid
    x, y = tile_of(c.x, c.y, 15)
    p1 = backend_store.read_layer("clearance", filters={"code": "P1"}).geometry.iloc[0].centroid
    px, py = tile_of(p1.x, p1.y, 15)
    lots_url, parcels_url = f"/tiles/lots/15/{x}/{y}.pbf", f"/tiles/clearance/15/{px}/{py}.pbf"
    before, parcels_before = tiles_client.get(lots_url), tiles_client.get(parcels_url)
    status = {f["properties"]["code"]: f["properties"]["status"] for f in decode(before.data, "lots")}
    assert status["L2"] == "available"
    edit_feature(backend_store, "lots", "L2", {"status": "leased", "tenant": "Công ty Mới"}, WEB, confirm=True)
    after, parcels_after = tiles_client.get(lots_url), tiles_client.get(parcels_url)
    assert {f["properties"]["code"]: f["properties"]["status"] for f in decode(after.data, "lots")}["L2"] == "leased"
    assert after.headers["ETag"] != before.headers["ETag"]
    assert parcels_after.headers["ETag"] == parcels_before.headers["ETag"]  # a lot's edit keeps parcels' tiles
    # a parcel's status through the write path: its tile changes too
    edit_feature(backend_store, "clearance", "P1", {"status": "negotiating"}, WEB, confirm=True)
    changed = tiles_client.get(parcels_url)
    assert changed.headers["ETag"] != parcels_before.headers["ETag"]
    statuses = {f["properties"]["code"]: f["properties"]["status"] for f in decode(changed.data, "clearance")}
    assert statuses["P1"] == layer_view(backend_store, "clearance", filters={"code": "P1"})["status"].iloc[0]


def test_etag_and_304(tiles_client, backend_store):
    c = backend_store.read_layer("lots").geometry.union_all().centroid
    x, y = tile_of(c.x, c.y, 15)
    first = tiles_client.get(f"/tiles/lots/15/{x}/{y}.pbf")
    assert first.headers["ETag"] and "no-cache" in first.headers["Cache-Control"]
    again = tiles_client.get(f"/tiles/lots/15/{x}/{y}.pbf", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    other = tiles_client.get(f"/tiles/lots/15/{x}/{y}.pbf", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data


@pytest.mark.parametrize("url, status, words", [
    ("/tiles/zones/14/1/1.pbf", 404, "no tiles for layer"),
    ("/tiles/nothing/14/1/1.pbf", 404, "no tiles for layer"),
    ("/tiles/lots/14/16384/1.pbf", 404, "outside the grid"),
    ("/tiles/lots/23/0/0.pbf", 404, "outside the grid"),
    ("/tiles/lots/14/-1/0.pbf", 404, "outside the grid"),
    ("/tiles/lots/14/abc/1.pbf", 400, "whole numbers"),
    ("/tiles/lots/1.5/0/0.pbf", 400, "whole numbers"),
    ("/tiles/clearance/14/0/0.pbf?at=31/12/2018", 400, "YYYY-MM-DD"),
])
def test_bad_tile_requests(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    text = response.get_data(as_text=True)
    assert words in text and "\n" not in text.strip()


def test_parcel_tiles_follow_the_date_and_match_the_layer_api(store, tmp_path):
    """On the sample (step records, status history): step, status and overdue of every parcel in the
    tiles are the values the layer API gives at that date, and the tile URL's ``at`` selects the date."""
    load_sample(store)
    client = create_app({"database": store.url}).test_client()
    for at in ("2018-03-01", "2018-12-31"):
        view = layer_view(store, "clearance", at=dt.date.fromisoformat(at)).set_index("code")
        got = {}
        for x, y in data_tiles(store, "clearance", 13):
            for f in decode(client.get(f"/tiles/clearance/13/{x}/{y}.pbf?at={at}").data, "clearance"):
                got[f["properties"]["code"]] = f["properties"]
        assert set(got) == set(view.index)
        for code, p in got.items():
            row = view.loc[code]
            step = None if pd.isna(row["step"]) else row["step"]
            assert (p["status"], p.get("step"), p["overdue"]) == (row["status"], step, bool(row["overdue"])), code
    assert len({v["step"] for v in got.values() if "step" in v}) > 1  # the sample has parcels at several steps


def _synthetic(store, n: int, seed: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from synthetic import province

    from mapapp.sources.validate import validate

    data = province(n, seed=seed)
    frames = {k: data[k][[c for c in data[k].columns if c in LAYERS[k].field_names or c == "geometry"]] for k in ("zones", "lots", "clearance")}
    zones = set(frames["zones"]["code"])
    store.write_layers({k: validate(LAYERS[k], f, zones) for k, f in frames.items()})


@pytest.mark.slow
def test_dense_tiles_stay_under_100_kb(backend_store):
    """The densest z14 tile of a synthetic province, and the overview tiles down to the whole province."""
    _synthetic(backend_store, 6000, seed=5)
    client = create_app({"database": backend_store.url}).test_client()
    parcels = backend_store.read_layer("clearance", fields_only=True)
    c = shapely.centroid(np.asarray(parcels.geometry.values, dtype=object))  # degrees: only to find tiles
    lons, lats = shapely.get_x(c), shapely.get_y(c)
    xy = [tile_of(lon, lat, 14) for lon, lat in zip(lons, lats)]
    (x, y), count = max(((t, xy.count(t)) for t in set(xy)), key=lambda item: item[1])
    for layer in ("lots", "clearance"):
        response = client.get(f"/tiles/{layer}/14/{x}/{y}.pbf")
        features = decode(response.data, layer)
        assert len(features) >= 0.9 * count and len(response.data) < 100_000
    for z in (9, 10, 11, 12):
        for tx, ty in {tile_of(lon, lat, z) for lon, lat in zip(lons[::50], lats[::50])}:
            data = client.get(f"/tiles/clearance/{z}/{tx}/{ty}.pbf").data
            assert 0 < len(data) < 100_000
            overview = decode(data, "clearance")
            assert overview and all("code" not in f["properties"] for f in overview)


def test_no_cyclic_collection_while_a_tile_is_built(backend_store, tiles_client):
    """A tile's temporary features are freed by reference counting as they go: the collector does not run while
    the tile is built, though it runs around it."""
    from tests.conftest import collections_during

    point = backend_store.read_layer("clearance").geometry.iloc[0].representative_point()
    x, y = tile_of(point.x, point.y, 14)
    responses = []
    everywhere, building = collections_during(lambda: responses.append(tiles_client.get(f"/tiles/clearance/14/{x}/{y}.pbf")),
                                              inside=("PythonTiles.tile", "PostgisTiles.tile"))
    assert responses[0].status_code == 200 and responses[0].data and everywhere > 0 and building == 0
