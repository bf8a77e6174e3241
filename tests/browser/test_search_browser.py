"""Choosing a search result opens the feature's popup and keeps it open: click, Enter, phone tap.

The fault these guard against: the result list was emptied inside the click, so Leaflet took
the click for one on the map and closed the popup that focusing had just opened.
"""
from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import PageLog, wait_map_ready

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "vi-VN"}


def features(base: str, layer: str) -> list[dict]:
    with urllib.request.urlopen(f"{base}/api/layers/{layer}") as r:
        return json.loads(r.read())["features"]


WATCH_POPUPS = """() => {
  const m = window.mapapp.map;
  window.__popups = {open: 0, closed: 0};
  m.on('popupopen', () => window.__popups.open++);
  m.on('popupclose', () => window.__popups.closed++);
}"""


def type_query(page, text: str, code: str):
    """Count popups opened and closed from now on; type into the search box; wait for ``code``'s result."""
    page.evaluate(WATCH_POPUPS)
    page.fill(".mapapp-search-input", text)
    item = page.locator(f".mapapp-search-results li[data-code='{code}']")
    item.wait_for()
    return item


def popup_after_choosing(page, code: str) -> str:
    """Wait until the feature is highlighted and the map has stopped moving; the popup's text then."""
    page.wait_for_function(f"document.body.dataset.highlighted === {json.dumps(code)}", timeout=20_000)
    page.wait_for_function("() => { const m = window.mapapp.map; return !m._animatingZoom && !(m._panAnim && m._panAnim._inProgress); }")
    # a closed popup lingers in the page for its fade-out: ask Leaflet whether one is still open
    popups = page.evaluate("window.__popups")
    assert popups["open"] - popups["closed"] == 1, f"the popup closed again after the search result was chosen: {popups}"
    return page.locator(".leaflet-popup-content").inner_text()


def zone(base: str, name_part: str) -> dict:
    return next(f["properties"] for f in features(base, "zones") if name_part in f["properties"]["name"])


def test_search_result_clicked_opens_and_keeps_the_popup(live_server, page):
    sh = zone(live_server, "Sông Hậu")
    page.goto(live_server + "/")
    wait_map_ready(page)
    type_query(page, "song hau", sh["code"]).click()
    text = popup_after_choosing(page, sh["code"])
    assert sh["name"] in text and "ha" in text
    assert page.locator(".mapapp-search-results li").count() == 0  # the list is emptied after the choice
    assert page.log.errors == []


def test_search_enter_key_opens_and_keeps_the_popup(live_server, page):
    lot = features(live_server, "lots")[5]["properties"]
    page.goto(live_server + "/")
    wait_map_ready(page)
    type_query(page, lot["code"].lower(), lot["code"])
    page.locator(".mapapp-search-input").press("Enter")
    text = popup_after_choosing(page, lot["code"])
    assert lot["code"] in text
    assert page.log.errors == []


def test_search_on_a_phone_tap_opens_and_keeps_the_popup(live_server, browser):
    project = next(f["properties"] for f in features(live_server, "projects") if f["properties"]["kind"] == "wastewater_plant")
    context = browser.new_context(**PHONE)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort())
    page = context.new_page()
    log = PageLog(page)
    try:
        page.goto(live_server + "/")
        wait_map_ready(page)
        type_query(page, project["code"], project["code"]).tap()
        text = popup_after_choosing(page, project["code"])
        assert project["code"] in text or project["name"] in text
        assert log.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("how", ["click", "enter"])
def test_search_result_not_yet_loaded_opens_its_popup(live_server_windowed, page, how):
    """A lot of a layer fetched per view is not on the map at the province's zoom: go there, then open it."""
    code = features(live_server_windowed, "lots")[-3]["id"]
    page.goto(live_server_windowed + "/")
    wait_map_ready(page)
    assert page.evaluate("window.mapapp.state.loaded.lots") == 0
    item = type_query(page, code, code)
    if how == "click":
        item.click()
    else:
        page.locator(".mapapp-search-input").press("Enter")
    assert code in popup_after_choosing(page, code)
    assert page.log.errors == []
