"""Keyboard and accessibility: the search box within 5 Tab presses, the map one Tab stop (its features
are reached through search and lists), and axe-core finds no serious or critical violation anywhere."""
from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, open_page, run_axe, wait_map_ready

PAGES = ["/", "/land", "/conflicts", "/dashboard", "/directives", "/projects/PRJ-SH-ROAD", "/print", "/no-such-page",
         "/ogc/collections/lots/items"]


def tabs_to_search(page, limit: int = 40) -> int | None:
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('mapapp-search-input')"):
            return presses
    return None


def test_search_box_is_reached_within_five_tab_presses(live_server, sized_page):
    page = sized_page
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    presses = tabs_to_search(page)
    assert presses is not None and presses <= 5, presses
    page.keyboard.type("song hau")
    page.locator(".mapapp-search-results li[data-code]").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.body.dataset.highlighted")
    assert page.locator(".leaflet-popup").count() == 1


def test_the_map_is_one_tab_stop_and_features_are_not(live_server, page):
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    drawn = page.locator(".leaflet-overlay-pane path, .leaflet-pane path").count()
    assert drawn > 250
    # what sequential Tab navigation can reach inside the map's panes (features): nothing
    reachable = page.evaluate("""() => [...document.querySelectorAll('.leaflet-map-pane *')]
      .filter(e => e.tabIndex >= 0 && !e.closest('.leaflet-popup')).length""")
    assert reachable == 0
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("(() => { const e = document.activeElement; return e.tagName + (e.closest('.leaflet-map-pane') ? ':feature' : ''); })()"))
    assert not [s for s in stops if s.endswith(":feature")]
    assert stops.count("DIV") >= 1  # the map container itself: arrows pan, +/- zoom


# each language on one size and each size in one language: the pages' markup is the same in both languages
# (only the words differ), and each pass over every page takes 20-25 s
@pytest.mark.parametrize(("size", "lang"), [("phone", "vi"), ("desktop", "en")])
def test_axe_finds_no_serious_violation(live_server, browser, lang, size):
    page = open_page(browser, PHONE if size == "phone" else DESKTOP)
    try:
        found = {}
        for path in PAGES:
            page.goto(f"{live_server}{path}?lang={lang}")
            if path in ("/", "/print"):
                wait_map_ready(page)
            violations = run_axe(page, live_server)
            if violations:
                found[path] = violations
        assert found == {}
    finally:
        page.context.close()


def test_axe_check_can_fail(live_server, page):
    """The check is real: a button with no name and grey-on-grey text are found."""
    page.goto(f"{live_server}/land")
    page.evaluate("""() => { document.querySelector('main').insertAdjacentHTML('beforeend',
      '<button type="button"></button><p style="color:#bbb;background:#ccc">faint</p>'); }""")
    ids = {v["id"] for v in run_axe(page, live_server)}
    assert {"button-name", "color-contrast"} <= ids


def test_search_box_goes_full_screen_with_the_map(live_server, page):
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    page.evaluate("window.mapapp.map.fire('enterFullscreen')")
    assert page.evaluate("!!document.querySelector('.folium-map .mapapp-search-input')")
    page.evaluate("window.mapapp.map.fire('exitFullscreen')")
    assert page.evaluate("!!document.querySelector('.mapapp-search-slot .mapapp-search-input')")
