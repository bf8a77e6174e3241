"""The sample's lots and parcels drawn from tiles (threshold lowered): legend filters, the date and focus still work."""
from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import serve_sample, wait_map_ready
from tests.serving_thread import stop


@pytest.fixture(scope="module")
def tiled_server(tmp_path_factory):
    base, server = serve_sample(tmp_path_factory, tile_threshold=10)
    yield base
    stop(server)


def test_legend_date_and_focus_work_on_tiled_layers(tiled_server, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/tiles/" in r.url else None)
    page.goto(tiled_server + "/")
    wait_map_ready(page)
    if not page.evaluate("window.mapapp.tiled('lots') && window.mapapp.tiled('clearance')"):
        pytest.skip("Leaflet.VectorGrid not installed (npm ci): the layers stay GeoJSON")
    page.wait_for_function("window.mapapp.tilesLoaded()", timeout=30_000)
    assert any("/tiles/lots/" in u for u in requests) and any("/tiles/clearance/" in u for u in requests)
    assert not any("/api/layers/lots?" in u for u in requests)
    # the legend hides a value: the tiles are drawn again without it
    before = len(requests)
    page.locator(".mapapp-legend-item[data-layer='lots'][data-value='leased']").click()
    assert page.evaluate("window.mapapp.hidden.lots.leased") is True
    page.wait_for_function("window.mapapp.tilesLoaded()", timeout=30_000)
    # the date: parcels' tiles are asked for at the new date
    page.fill(".mapapp-date-input", "2018-06-30")
    page.dispatch_event(".mapapp-date-input", "change")
    page.wait_for_function("window.mapapp.tilesLoaded()", timeout=30_000)
    assert any("/tiles/clearance/" in u and "at=2018-06-30" in u for u in requests[before:])
    assert page.log.errors == []


def test_focus_on_a_tiled_lot_frames_it_and_opens_its_popup(tiled_server, page):
    with urllib.request.urlopen(tiled_server + "/api/layers/lots") as r:
        code = json.loads(r.read())["features"][-1]["properties"]["code"]
    page.goto(tiled_server + f"/?focus=lots:{code}")
    wait_map_ready(page)
    if not page.evaluate("window.mapapp.tiled('lots')"):
        pytest.skip("Leaflet.VectorGrid not installed (npm ci): the layers stay GeoJSON")
    page.wait_for_function(f"document.body.dataset.highlighted === {json.dumps(code)}", timeout=20_000)
    assert code in page.locator(".leaflet-popup-content").inner_text()
    assert page.log.errors == []
