"""The OGC API pages in headless Chromium, offline: the map link leads there, and the items page draws its features."""
from __future__ import annotations

from tests.browser.conftest import wait_map_ready


def test_map_link_opens_the_service_page_in_html(live_server, page):
    page.goto(f"{live_server}/?lang=en")
    wait_map_ready(page)  # the map's own requests finish before we leave
    page.locator("header.topbar a[href^='/ogc']").click()
    page.wait_for_url("**/ogc?lang=en")
    assert page.locator("h1").inner_text() == "OGC API – Features data service"
    assert page.log.errors == []


def test_items_page_draws_the_page_on_a_local_leaflet_map(live_server, page):
    page.goto(f"{live_server}/ogc/collections/lots/items?f=html&limit=20")
    page.wait_for_selector("body[data-map-ready='1']", timeout=20_000)
    assert page.locator("#map path.leaflet-interactive").count() == 20
    assert page.locator("table tr").count() == 21
    page.locator("a[rel='next']").click()
    page.wait_for_selector("body[data-map-ready='1']")
    assert "offset=20" in page.url
    assert page.log.errors == []


def test_one_feature_page_in_vietnamese(live_server, page):
    page.goto(f"{live_server}/ogc/collections/zones/items?f=html")
    page.locator("table a").first.click()
    page.wait_for_selector("body[data-map-ready='1']")
    assert page.locator("#map path.leaflet-interactive").count() == 1
    assert "Thuộc tính" in page.locator("table").inner_text()
    assert page.log.errors == []
