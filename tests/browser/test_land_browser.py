"""The available-land page in headless Chromium: a lot's row leads to that lot, highlighted and free, on the map."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.browser.conftest import wait_map_ready


def test_first_lot_opens_highlighted_on_the_map_as_available(live_server, page):
    page.goto(f"{live_server}/land")
    rows = page.locator("#land-table tbody tr")
    assert rows.count() > 10
    assert page.locator(".zone-card").count() >= 3
    first = rows.first
    code = first.get_attribute("data-code")
    first.locator("a.show-on-map").click()
    page.wait_for_url("**/?focus=*")
    assert parse_qs(urlsplit(page.url).query)["focus"] == [f"lots:{code}"]
    wait_map_ready(page)
    assert page.evaluate("document.body.dataset.highlighted") == code
    popup = page.locator(".leaflet-popup-content")
    assert popup.count() == 1 and popup.is_visible()
    assert code in popup.inner_text() and "Còn trống" in popup.inner_text()
    assert page.log.errors == []


def test_price_column_sorts_cheapest_first(live_server, page):
    page.goto(f"{live_server}/land?lang=en")
    assert "illustrative" in page.locator(".source-note").inner_text()
    page.locator("#land-table th").nth(4).click()
    prices = [float(v) for v in page.locator("#land-table tbody td:nth-child(5)").evaluate_all("cells => cells.map(c => c.dataset.value)")]
    assert prices == sorted(prices) and prices[0] < prices[-1]
    assert page.log.errors == []
