"""The view in the address bar: a link copied after panning, filtering, switching layers off, changing
the date and opening a popup shows the same on a fresh load; ?show=… frames a whole list of features."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

from tests.browser.conftest import wait_map_ready

VIEW = """() => {
  const M = window.mapapp, map = M.map, c = map.getCenter();
  const popup = map._popup && map._popup.isOpen() ? map._popup._source : null;
  return {
    lat: +c.lat.toFixed(4), lng: +c.lng.toFixed(4), zoom: map.getZoom(),
    layers: M.ORDER.filter(n => map.hasLayer(M.state.layers[n])),
    hidden: Object.keys(M.hidden.lots || {}).filter(v => M.hidden.lots[v]).sort(),
    at: M.cfg.at, dateBox: document.querySelector('.mapapp-date-input').value,
    popup: popup ? popup._mapappLayer + ':' + popup.feature.properties.code : null,
    lotsDrawn: M.state.layers.lots.getLayers().length,
  };
}"""

# The popup has its problems written in and has panned into view; the address shows where the map is now.
SETTLED = """() => {
  const M = window.mapapp, c = M.map.getCenter(), q = new URLSearchParams(location.search);
  return !!document.querySelector('.leaflet-popup .mapapp-lot-issues[data-filled]') && !M.map._panAnim?._inProgress
    && q.get('c') === c.lat.toFixed(5) + ',' + c.lng.toFixed(5);
}"""

RELOADED = """iso => { const s = window.mapapp.state, p = s.layers.projects.getLayers();
  return !Object.keys(s.pending).length && p.length > 0 && p.every(l => l.feature.properties.as_of === iso); }"""


def test_link_reproduces_the_view(live_server, sized_page, browser):
    page = sized_page
    with urlopen(f"{live_server}/api/layers/lots?status=available&zone_code=KCN-SH") as response:
        lot = json.load(response)["features"][0]["properties"]["code"]
    page.goto(f"{live_server}/?lang=en")
    wait_map_ready(page)
    page.evaluate("window.mapapp.map.setView([9.951, 105.812], 15, {animate: false})")
    # legend: click away leased and reserved lots (an investor's view of the free land)
    if page.size_name == "phone":
        page.locator(".mapapp-legend .mapapp-fold").click()
    for value in ("leased", "reserved"):
        page.locator(f".mapapp-legend-item[data-layer='lots'][data-value='{value}']").click()
    if page.size_name == "phone":
        page.locator(".mapapp-legend .mapapp-fold").click()
    page.evaluate("window.mapapp.map.removeLayer(window.mapapp.state.layers.conflicts)")
    if page.size_name == "phone":
        page.locator(".mapapp-date .mapapp-fold").click()
    page.fill(".mapapp-date-input", "2018-06-30")
    page.wait_for_function(RELOADED, arg="2018-06-30")
    if page.size_name == "phone":  # folded again, as a fresh page starts: the popup has the same room
        page.locator(".mapapp-date .mapapp-fold").click()
    page.evaluate("code => window.mapapp.focus('lots', code, false, true)", lot)
    page.wait_for_function("code => new URLSearchParams(location.search).get('focus') === 'lots:' + code", arg=lot)
    page.wait_for_function(SETTLED)
    sent = page.evaluate(VIEW)
    link = page.url
    query = parse_qs(urlsplit(link).query)
    assert query["hide"] == ["lots.leased,lots.reserved"] and query["at"] == ["2018-06-30"] and "conflicts" not in query["layers"][0]

    other = browser.new_context(viewport=page.viewport_size)
    other.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort())
    fresh = other.new_page()
    try:
        fresh.goto(link)
        wait_map_ready(fresh)
        fresh.wait_for_function("() => window.mapapp.map._popup && window.mapapp.map._popup.isOpen()")
        fresh.wait_for_function(SETTLED)
        seen = fresh.evaluate(VIEW)
        assert seen["zoom"] == sent["zoom"] == 15
        assert abs(seen["lat"] - sent["lat"]) < 2e-4 and abs(seen["lng"] - sent["lng"]) < 2e-4
        for key in ("layers", "hidden", "at", "dateBox", "popup", "lotsDrawn"):
            assert seen[key] == sent[key], key
        assert seen["hidden"] == ["leased", "reserved"] and seen["popup"] == f"lots:{lot}" and seen["at"] == "2018-06-30"
        assert "conflicts" not in seen["layers"]
        assert "30/06/2018" not in fresh.locator(".sample-notice").inner_text()  # English page: ISO date
        assert "2018-06-30" in fresh.locator(".sample-notice").inner_text()
    finally:
        other.close()


def test_print_link_carries_the_view(live_server, page):
    page.goto(f"{live_server}/?c=9.95,105.81&z=14")
    wait_map_ready(page)
    page.evaluate("window.mapapp.map.setZoom(15, {animate: false})")
    page.wait_for_function("() => document.querySelector('a.mapapp-print-link').href.includes('z=15')")
    href = page.locator("a.mapapp-print-link").get_attribute("href")
    assert href.startswith("/print?") and "c=" in href


def test_show_all_on_map_frames_and_outlines_every_parcel_of_directive_item_11(live_server, page):
    with urlopen(f"{live_server}/directives") as response:
        html = response.read().decode("utf-8")
    assert "show=clearance:" in html.replace("%3A", ":")
    page.goto(f"{live_server}/directives")
    link = page.locator("#item-11 a.show-all-on-map").first
    assert "(7" in link.inner_text() or link.inner_text().strip().endswith(")")
    link.click()
    wait_map_ready(page)
    shown = int(page.evaluate("document.body.dataset.shown"))
    codes = parse_qs(urlsplit(page.url).query)["show"][0].split(":", 1)[1].split(",")
    assert shown == len(codes) > 20
    inside = page.evaluate(
        """codes => { const M = window.mapapp, view = M.map.getBounds(); let n = 0, outlined = 0;
          M.state.layers.clearance.eachLayer(l => { if (codes.includes(l.feature.properties.code)) {
            if (view.contains(l.getBounds())) n++; if (l.options.color === '#00e5ff') outlined++; } });
          return [n, outlined]; }""",
        codes,
    )
    assert inside == [len(codes), len(codes)]
    assert page.log.errors == []


def test_conflicts_show_all_follows_the_filter(live_server, page):
    with urlopen(f"{live_server}/api/conflicts?type=outside_zone") as response:
        expected = sorted(str(f["id"]) for f in json.load(response)["features"])
    page.goto(f"{live_server}/conflicts?type=outside_zone&lang=en")
    assert page.locator(".summary-count").inner_text() == str(len(expected))
    assert "of 12 conflicts match" in page.locator(".summary").inner_text()
    page.locator("a.show-all-on-map").click()
    wait_map_ready(page)
    assert int(page.evaluate("document.body.dataset.shown")) == len(expected) == 3
