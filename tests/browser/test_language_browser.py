"""The map as drawn in the browser, in both languages: no string of the other language's catalogue in its
text, its controls' tooltips (Leaflet's zoom, the measuring tool, full screen) or its popups; data in the
page's language where a translation exists."""
from __future__ import annotations

import pytest

from tests.browser.conftest import wait_map_ready
from tests.pages.language_check import foreign_in

SHOWN = """() => {
  const attrs = [...document.querySelectorAll('[title], [aria-label], [placeholder]')]
    .map(e => [e.getAttribute('title'), e.getAttribute('aria-label'), e.getAttribute('placeholder')].filter(Boolean).join('\\n'));
  return document.body.innerText + '\\n' + attrs.join('\\n');
}"""

POPUPS = ["zones:KCN-SH", "lots:PHA-A01", "projects:PRJ-SH-ROAD", "clearance:GP-SH-10", "boundaries:HG-CTH"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_map_controls_and_tooltips_speak_the_pages_language(live_server, page, lang):
    page.goto(f"{live_server}/?lang={lang}")
    wait_map_ready(page)
    page.locator(".leaflet-control-measure").hover()  # the measuring tool opens its panel
    page.locator(".leaflet-control-measure .js-start").click()
    page.locator(".leaflet-control-measure .js-starthelp").wait_for()
    text = page.evaluate(SHOWN)
    assert foreign_in(text, lang) == []
    zoom_in = page.locator(".leaflet-control-zoom-in").get_attribute("title")
    measure = page.locator(".leaflet-control-measure-toggle").get_attribute("title")
    full = page.locator(".leaflet-control-zoom-fullscreen").get_attribute("title")
    if lang == "vi":
        assert (zoom_in, measure, full) == ("Phóng to", "Đo khoảng cách và diện tích", "Toàn màn hình")
        assert "Bấm lên bản đồ để thêm các điểm đo" in text
    else:
        assert (zoom_in, measure, full) == ("Zoom in", "Measure distances and areas", "Full screen")
    assert page.log.errors == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_popups_speak_the_pages_language(live_server, page, lang):
    page.goto(f"{live_server}/?lang={lang}")
    wait_map_ready(page)
    for target in POPUPS:
        layer, code = target.split(":")
        page.evaluate("([l, c]) => window.mapapp.focus(l, c)", [layer, code])
        page.locator(".leaflet-popup-content").wait_for()
        if layer == "lots":
            page.locator(".leaflet-popup .mapapp-lot-issues[data-filled]").wait_for()
        text = page.locator(".leaflet-popup-content").inner_text()
        assert foreign_in(text, lang) == [], target
        if lang == "en" and layer == "zones":
            assert "Song Hau Industrial Zone" in text and "Châu Thành district" in text and "Huyện" not in text
        if lang == "en" and layer == "lots":
            assert "Phu Huu A Industrial Cluster" in text and "Outside its zone: 6,585.4 m² (with CCN-PHA)" in text
            assert "USD/m² for the whole term" in text
        if lang == "en" and layer == "projects":
            assert "Hậu Giang Industrial Zones Authority" in text and "Ban Quản lý" not in text
        if lang == "vi" and layer == "lots":
            assert "Vượt ra ngoài ranh khu: 6.585,4 m² (với CCN-PHA)" in text
        page.locator(".leaflet-popup-close-button").click()
        page.wait_for_function("() => !document.querySelector('.leaflet-popup')")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_search_results_use_the_pages_language(live_server, page, lang):
    page.goto(f"{live_server}/?lang={lang}")
    wait_map_ready(page)
    page.fill(".mapapp-search-input", "song hau")
    page.locator(".mapapp-search-results li[data-code='KCN-SH']").wait_for()
    label = page.locator(".mapapp-search-results li[data-code='KCN-SH']").inner_text()
    assert ("Song Hau Industrial Zone" in label) == (lang == "en")
    assert foreign_in(page.locator(".mapapp-search-results").inner_text(), lang) == []
