"""The map page draws large lots and parcel layers from vector tiles, with the patched Leaflet.VectorGrid only."""
from __future__ import annotations

from mapapp import create_app
from mapapp.pages.vendor import CDN_TO_LOCAL, VECTORGRID_CDN, vectorgrid_url
from tests.pages.test_map_page import config_of

RELEASED = "(function () {\n'use strict';\n\t\t\tL.DomEvent.fakeStop(e);\n"


def test_vectorgrid_is_served_only_once_patched(tmp_path):
    local = tmp_path / CDN_TO_LOCAL[VECTORGRID_CDN]
    assert vectorgrid_url(tmp_path) is None  # not installed: no CDN fallback (the released file breaks clicks)
    local.parent.mkdir(parents=True)
    local.write_text(RELEASED, encoding="utf-8")
    assert vectorgrid_url(tmp_path) is None  # installed but not patched
    local.write_text("/* mapapp: patched with Leaflet.VectorGrid#288 (L.DomEvent.stop for fakeStop) */\n" + RELEASED, encoding="utf-8")
    assert vectorgrid_url(tmp_path) == "/vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.js"


def test_layers_above_the_threshold_are_tiled(loaded_store, db_url):
    client = create_app({"database": db_url, "tile_threshold": 2, "tile_feature_zoom": 15}).test_client()
    html = client.get("/").get_data(as_text=True)
    cfg = config_of(html)
    layers = cfg["layers"]
    assert layers["lots"]["tiles"] is True  # 3 lots > 2
    assert layers["clearance"]["tiles"] is False  # 2 parcels, not more than 2
    assert layers["zones"]["tiles"] is False  # zones are never tiled
    if vectorgrid_url() is None:
        assert cfg["tiles"] is None and "Leaflet.VectorGrid" not in html
    else:
        assert cfg["tiles"] == {"url": "/tiles/{layer}/{z}/{x}/{y}.pbf", "feature_zoom": 15}
        assert vectorgrid_url() in html
        assert client.get(vectorgrid_url()).get_data(as_text=True).startswith("/* mapapp: patched")


def test_at_the_default_threshold_small_layers_stay_geojson(client):
    layers = config_of(client.get("/").get_data(as_text=True))["layers"]
    assert not any(layer["tiles"] for layer in layers.values())
