"""Layers too large to send whole (a real cadastre): fetched for the view once zoomed in."""
from __future__ import annotations

import json
import urllib.request

from tests.browser.conftest import wait_map_ready


def lots(base: str) -> list[dict]:
    with urllib.request.urlopen(base + "/api/layers/lots") as r:
        return json.loads(r.read())["features"]


def test_large_layer_waits_for_zoom_and_says_so(live_server_windowed, page):
    total = len(lots(live_server_windowed))
    page.goto(live_server_windowed + "/")
    wait_map_ready(page)
    assert page.evaluate("window.mapapp.state.loaded.lots") == 0
    assert page.evaluate("window.mapapp.state.loaded.zones") == 7  # small layers come whole
    hint = page.locator(".mapapp-zoom-hint").inner_text()
    assert "Phóng to để xem" in hint and f"Lô đất ({total})" in hint
    assert page.log.errors == []


def test_focus_on_a_lot_not_loaded_goes_there_and_loads_the_view(live_server_windowed, page):
    total = len(lots(live_server_windowed))
    code = lots(live_server_windowed)[-1]["id"]
    page.goto(live_server_windowed + f"/?focus=lots:{code}")
    page.wait_for_function(f"document.body.dataset.highlighted === {json.dumps(code)}", timeout=20_000)
    loaded = page.evaluate("window.mapapp.state.loaded.lots")
    assert 0 < loaded < total
    assert code in page.locator(".leaflet-popup-content").inner_text()
    assert page.locator(".mapapp-zoom-hint").count() == 0
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/api/layers/lots" in r.url else None)
    page.evaluate("window.mapapp.map.setZoom(11)")
    page.wait_for_function("window.mapapp.state.loaded.lots === 0")
    assert requests == []  # zooming out empties the layer without asking the server for everything
    assert page.log.errors == []


def test_search_result_in_a_windowed_layer(live_server_windowed, page):
    code = lots(live_server_windowed)[0]["id"]
    page.goto(live_server_windowed + "/")
    wait_map_ready(page)
    page.fill(".mapapp-search-input", code)
    page.locator(f".mapapp-search-results li[data-code='{code}']").click()
    page.wait_for_function(f"document.body.dataset.highlighted === {json.dumps(code)}", timeout=20_000)
    assert page.log.errors == []
