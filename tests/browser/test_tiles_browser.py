"""A province-scale cadastre (100,000 synthetic lots and 100,000 parcels) drawn from vector tiles."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.browser.conftest import wait_map_ready
from tests.serving_thread import serve, stop

N = 100_000
SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


@pytest.fixture(scope="module")
def province_server(tmp_path_factory):
    """bench/synthetic.py's province(100000) in a temporary SQLite file, served by waitress."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from synthetic import province

    from mapapp import create_app
    from mapapp.layers import LAYERS
    from mapapp.sources.validate import validate
    from mapapp.store.backend import Store

    data = province(N, seed=7)
    frames = {k: data[k][[c for c in data[k].columns if c in LAYERS[k].field_names or c == "geometry"]] for k in ("zones", "lots", "clearance", "projects")}
    url = f"sqlite:///{tmp_path_factory.mktemp('province') / 'province.sqlite'}"
    store = Store(url)
    store.init_schema()
    zones = set(frames["zones"]["code"])
    store.write_layers({k: validate(LAYERS[k], f, zones) for k, f in frames.items()}, meta={"as_of": "2024-06-30"})
    base, server = serve(create_app({"database": url, "basemap": "plain"}))
    # The zones' clearance figures are computed over all 100,000 parcels once per data version (not the
    # tiles' work, and slow at this size): computed before the tests so that the page opens in time.
    import urllib.request

    urllib.request.urlopen(base + "/api/layers/zones", timeout=900).read()
    parcel = frames["clearance"].iloc[N // 2]
    point = parcel.geometry.representative_point()
    minx, miny, maxx, maxy = store.extent("clearance")
    yield {"base": base, "bounds": [[miny, minx], [maxy, maxx]], "code": parcel["code"], "latlng": [point.y, point.x]}
    stop(server)


def tile_responses(page) -> list:
    seen = []
    page.on("response", lambda r: seen.append(r) if "/tiles/" in r.url else None)
    return seen


@pytest.mark.slow
def test_the_whole_province_draws_every_parcel_from_tiles(province_server, page):
    import json

    seen = tile_responses(page)
    page.goto(province_server["base"] + "/")
    wait_map_ready(page, timeout=120_000)
    assert page.evaluate("window.mapapp.tiled('clearance') && window.mapapp.tiled('lots')")
    page.evaluate(f"void window.mapapp.map.fitBounds({json.dumps(province_server['bounds'])})")
    page.wait_for_timeout(500)  # the zoom has started and the view's tiles are asked for
    page.wait_for_function("window.mapapp.tilesLoaded()", timeout=180_000)
    parcels = [r for r in seen if "/tiles/clearance/" in r.url]
    assert parcels and all(r.status in (200, 304) for r in seen)
    assert page.evaluate("window.mapapp.state.loaded.clearance") in (0, None)  # no GeoJSON of 100,000 parcels
    # lots and parcels never ask to zoom in: tiles draw at every zoom (other large layers may)
    assert page.evaluate("!window.mapapp.state.tooFar.clearance && !window.mapapp.state.tooFar.lots")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "tiles-province.png"))
    # painted: the canvases of the parcels' tiles hold coloured pixels
    painted = page.evaluate("""() => [...document.querySelectorAll('canvas.leaflet-tile')].filter(c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false; }).length""")
    assert painted > 0
    assert page.log.errors == []


@pytest.mark.slow
def test_a_click_on_a_parcel_tile_opens_its_popup(province_server, page):
    import json

    centre = province_server["latlng"]
    page.goto(province_server["base"] + "/")
    wait_map_ready(page, timeout=120_000)
    page.evaluate("window.mapapp.map.removeLayer(window.mapapp.state.layers.lots)")  # the parcel under the lots
    page.evaluate(f"void window.mapapp.map.setView({json.dumps(centre)}, 17, {{animate: false}})")
    page.wait_for_timeout(500)
    page.wait_for_function("window.mapapp.tilesLoaded()", timeout=120_000)
    box = page.locator(".folium-map").bounding_box()
    point = page.evaluate(f"(() => {{ const p = window.mapapp.map.latLngToContainerPoint({json.dumps(centre)}); return [p.x, p.y]; }})()")
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=20_000)
    text = popup.inner_text()
    assert province_server["code"] in text and page.locator(".leaflet-popup .mapapp-popup-title").count() == 1
    page.screenshot(path=str(SHOTS / "tiles-popup.png"))
    assert page.log.errors == []
