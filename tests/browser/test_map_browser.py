"""The map in headless Chromium on the real server: layers drawn, popups read, no JS errors, no internet."""
from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import wait_map_ready


def api(live_server: str, path: str) -> dict:
    with urllib.request.urlopen(live_server + path) as response:
        return json.loads(response.read().decode("utf-8"))


def test_map_loads_every_layer_from_the_api(live_server, page):
    page.goto(live_server + "/")
    wait_map_ready(page)
    loaded = page.evaluate("window.mapapp.state.loaded")
    counts = {layer["name"]: layer["count"] for layer in api(live_server, "/api/layers")["layers"]}
    for name, count in counts.items():
        assert loaded[name] == count, name
    assert loaded["conflicts"] == len(api(live_server, "/api/conflicts")["features"]) > 0
    # drawn as SVG paths in their panes
    for name in ("zones", "lots", "clearance", "projects", "conflicts"):
        assert page.locator(f".leaflet-mapapp-{name}-pane path").count() > 0, name
    assert page.locator(".mapapp-legend").inner_text().count("Lô đất") == 1
    assert page.log.errors == []


def test_click_a_lot_and_read_its_popup(live_server, page):
    lot = api(live_server, "/api/layers/lots?status=available")["features"][0]["properties"]
    page.goto(live_server + f"/?focus=lots:{lot['code']}")
    wait_map_ready(page)
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup-close-button").click()
    # click the highlighted lot itself, in the middle of the map where fitBounds put it, once no pan or
    # zoom is still moving it (a box measured mid-animation points beside the lot)
    page.wait_for_function("() => !document.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim')")
    box = page.locator(".leaflet-mapapp-lots-pane path[stroke='#00e5ff']").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert lot["code"] in text
    assert "Còn trống" in text  # status in Vietnamese
    assert "ha" in text
    assert page.log.errors == []


def test_user_text_is_shown_as_text_not_markup(live_server, page):
    lots = api(live_server, "/api/layers/lots")["features"]
    tricky = next(f["properties"] for f in lots if "<" in (f["properties"].get("tenant") or ""))
    page.goto(live_server + f"/?focus=lots:{tricky['code']}")
    wait_map_ready(page)
    popup = page.locator(".leaflet-popup-content")
    assert tricky["tenant"] in popup.inner_text()
    tag = tricky["tenant"].split("<", 1)[1].split(">", 1)[0].split()[0].lower()
    assert popup.locator(tag).count() == 0
    assert page.log.errors == []


def test_search_finds_a_zone_without_diacritics(live_server, page):
    page.goto(live_server + "/")
    wait_map_ready(page)
    page.fill(".mapapp-search-input", "song hau")
    first = page.locator(".mapapp-search-results li[data-code]").first
    first.wait_for()
    code = first.get_attribute("data-code")
    first.click()
    page.wait_for_function(f"document.body.dataset.highlighted === {json.dumps(code)}")
    assert "Sông Hậu" in page.locator(".leaflet-popup-content").inner_text()


def test_english_page(live_server, page):
    page.goto(live_server + "/?lang=en")
    wait_map_ready(page)
    assert "Lots" in page.locator(".leaflet-control-layers").inner_text()
    assert "Legend" in page.locator(".mapapp-legend").inner_text()
    assert page.log.errors == []


def test_conflict_popup_links_both_features(live_server, page):
    conflict = api(live_server, "/api/conflicts?type=lot_overlap")["features"][0]
    page.goto(live_server + f"/?focus=conflicts:{conflict['id']}")
    wait_map_ready(page)
    links = page.locator(".leaflet-popup-content a.mapapp-focus")
    assert links.count() == 2
    second = links.nth(1)
    code = second.get_attribute("data-code")
    second.click()
    page.wait_for_function(f"document.body.dataset.highlighted === {json.dumps(code)}")
    assert page.log.errors == []


def test_conflicts_page_row_leads_to_the_conflict_on_the_map(live_server, page):
    page.goto(live_server + "/conflicts")
    row = page.locator("#conflicts-table tbody tr").first
    cid = row.get_attribute("data-id")
    page.locator("#conflicts-table th", has_text="Diện tích").click()  # sortable headers do not break the page
    page.locator(f"tr[data-id='{cid}'] a.show-on-map").click()
    wait_map_ready(page)
    page.wait_for_function(f"document.body.dataset.highlighted === {json.dumps(cid)}")
    assert page.locator(".leaflet-popup-content").count() == 1
    assert page.log.errors == []


def test_legend_entries_filter_the_map_and_count_features(live_server, page):
    lots = api(live_server, "/api/layers/lots")["features"]
    available = sum(1 for f in lots if f["properties"]["status"] == "available")
    page.goto(live_server + "/")
    wait_map_ready(page)
    entry = page.locator(".mapapp-legend-item[data-layer='lots'][data-value='leased']")
    assert entry.locator(".mapapp-legend-count").inner_text() == str(sum(1 for f in lots if f["properties"]["status"] == "leased"))
    entry.click()
    page.locator(".mapapp-legend-item[data-layer='lots'][data-value='reserved']").click()
    assert page.locator(".leaflet-mapapp-lots-pane path").count() == available
    page.locator(".mapapp-legend-item[data-layer='lots'][data-value='leased']").click()
    assert page.locator(".leaflet-mapapp-lots-pane path").count() == available + sum(1 for f in lots if f["properties"]["status"] == "leased")
    assert page.log.errors == []


def test_cursor_coordinates_in_vn2000_match_pyproj(live_server, page):
    import shapely

    from mapapp.analysis.measure import to_metric

    page.goto(live_server + "/")
    wait_map_ready(page)
    page.mouse.move(700, 450)
    page.mouse.move(710, 460)
    coords = page.locator(".mapapp-coords")
    data = coords.evaluate("el => ({lat: +el.dataset.lat, lng: +el.dataset.lng, e: +el.dataset.e, n: +el.dataset.n})")
    expected = to_metric([shapely.Point(data["lng"], data["lat"])])[0]
    assert abs(expected.x - data["e"]) < 0.01 and abs(expected.y - data["n"]) < 0.01
    assert "VN-2000" in coords.inner_text()


def test_without_internet_the_map_falls_back_to_the_plain_background(live_server, page):
    page.goto(live_server + "/?basemap=osm")  # tiles from the internet: every request is refused here
    wait_map_ready(page)
    notice = page.locator(".mapapp-notice")
    notice.wait_for(timeout=15_000)
    assert "nền trơn" in notice.inner_text()
    checked = page.locator(".leaflet-control-layers-base input:checked + span").inner_text()
    assert "Nền trơn" in checked
    assert page.locator(".leaflet-tile-pane img").count() == 0
    assert [e for e in page.log.errors if "tile" not in e and "openstreetmap" not in e and "Failed to load resource" not in e] == []


def test_on_a_phone_the_switcher_and_legend_fold_away(live_server, browser):
    context = browser.new_context(viewport={"width": 400, "height": 800}, is_mobile=True, has_touch=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort())
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        wait_map_ready(page)
        page.wait_for_selector(".leaflet-control-layers.mapapp-folded")
        overlays = page.locator(".leaflet-control-layers-overlays")
        assert not overlays.is_visible()
        page.locator(".leaflet-control-layers .mapapp-fold").click()
        assert overlays.is_visible() and "Lô đất" in overlays.inner_text()
        legend_items = page.locator(".mapapp-legend-item")
        assert not legend_items.first.is_visible()
        page.locator(".mapapp-legend .mapapp-fold").click()
        assert legend_items.first.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize(("type_", "lang", "rows"), [
    ("lot_overlap", "vi", ["Mức độ", "Đối tượng liên quan", "Diện tích"]),
    ("project_on_uncleared_land", "en", ["Severity", "Features involved", "Length"]),
])
def test_conflict_popup_names_its_rows_for_what_they_hold(live_server, page, type_, lang, rows):
    """The features that clash are not "conflicts", and a road crossing a parcel is a length, not an area."""
    conflict = api(live_server, f"/api/conflicts?type={type_}")["features"][0]
    page.goto(live_server + f"/?focus=conflicts:{conflict['id']}&lang={lang}")
    wait_map_ready(page)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("th").all_inner_texts() == rows
