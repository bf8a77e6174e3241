"""The plain background needs no internet and still reads: province and commune outlines, the Hậu River,
QL1A, QL61C and QL91B with their names, and place names, from the project's own file."""
from __future__ import annotations

import pytest

from tests.browser.conftest import wait_map_ready


@pytest.mark.parametrize(("lang", "river"), [("vi", "Sông Hậu"), ("en", "Hậu River")])
def test_plain_background_shows_river_roads_communes_and_places(live_server, sized_page, lang, river):
    page = sized_page
    page.goto(f"{live_server}/?c=9.93,105.78&z=12&lang={lang}")
    wait_map_ready(page)
    page.wait_for_function("() => Number(document.body.dataset.background) > 10")
    labels = page.evaluate("""() => [...document.querySelectorAll('.mapapp-bg-label')]
      .filter(e => getComputedStyle(e).display !== 'none').map(e => e.textContent)""")
    for name in ("QL1A", "QL61C", "QL91B", river, "Ngã Sáu"):
        assert name in labels, (name, labels)
    assert any("commune" in label or label.startswith("Xã") for label in labels)
    # province outline (the boundaries overlay) and the background's river, roads, communes are drawn
    assert page.locator(".leaflet-mapapp-background-pane path").count() >= 8
    assert page.locator(".leaflet-mapapp-boundaries-pane path").count() >= 9
    assert page.log.errors == []
