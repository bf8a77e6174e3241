"""/print: the current map (same URL state) with title, legend, metric scale bar, north arrow, date, data
source and the sample-data notice; with ?focus= it is the one-page sheet of that lot or project."""
from __future__ import annotations

import pytest

from tests.browser.conftest import wait_map_ready


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_print_view_has_everything_a_printed_map_needs(live_server, page, lang):
    page.goto(f"{live_server}/print?c=9.95,105.81&z=14&hide=lots.leased&layers=zones,lots,projects&at=2018-06-30&lang={lang}")
    wait_map_ready(page)
    assert page.locator(".print-title").inner_text() == ("Bản đồ các khu, cụm công nghiệp tỉnh Hậu Giang" if lang == "vi" else "Hậu Giang industrial zones map")
    legend = page.locator(".print-legend-body").inner_text()
    assert ("Còn trống" if lang == "vi" else "Available") in legend
    assert ("Đã cho thuê" if lang == "vi" else "Leased") not in legend  # filtered out on the map, so not in its legend
    assert ("Xung đột" if lang == "vi" else "conflicts") not in legend  # layer switched off
    scale = page.locator(".leaflet-control-scale-line")
    assert scale.count() == 1 and scale.inner_text().split()[-1] in ("m", "km")
    north = page.locator("svg.print-north")
    assert north.is_visible() and north.get_attribute("aria-label") == ("Hướng Bắc" if lang == "vi" else "North")
    assert ("30/06/2018" if lang == "vi" else "2018-06-30") in page.locator(".print-meta").inner_text()
    assert ("Nguồn dữ liệu" if lang == "vi" else "Data source") in page.locator(".print-foot").inner_text()
    assert page.locator(".sample-notice").is_visible()
    view = page.evaluate("[window.mapapp.map.getZoom(), window.mapapp.map.getCenter().lat.toFixed(2)]")
    assert view == [14, "9.95"]
    # nothing interactive is printed
    assert page.locator(".mapapp-search-input, .leaflet-control-zoom, .leaflet-control-layers").count() == 0
    assert page.log.errors == []


def test_lot_sheet_shows_its_attributes_and_problems(live_server, page):
    page.goto(f"{live_server}/print?focus=lots:PHA-A01&lang=en")
    wait_map_ready(page)
    sheet = page.locator(".print-attributes")
    sheet.locator(".mapapp-lot-issues[data-filled]").wait_for()
    text = sheet.inner_text()
    assert "PHA-A01" in text and "6.03 ha" in text and "Outside its zone: 6,585.4 m²" in text
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")  # shown beside the map, not in a popup
    assert page.evaluate("window.mapapp.map.getBounds().contains(window.mapapp.state.layers.lots.getLayers().find(l => l.feature.properties.code === 'PHA-A01').getBounds())")


def test_project_sheet_shows_its_schedule(live_server, page):
    page.goto(f"{live_server}/print?focus=projects:PRJ-SH-WWTP")
    wait_map_ready(page)
    text = page.locator(".print-attributes").inner_text()
    assert "Trạm xử lý nước thải KCN Sông Hậu" in text and "Kế hoạch" in text and "%" in text


def test_popups_link_to_their_sheet(live_server, page):
    page.goto(f"{live_server}/?focus=lots:PHA-A01&lang=en")
    wait_map_ready(page)
    link = page.locator(".leaflet-popup a.mapapp-sheet-link")
    assert link.get_attribute("href") == "/print?focus=lots%3APHA-A01&lang=en"
