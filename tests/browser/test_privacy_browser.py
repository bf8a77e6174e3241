"""A parcel's popup names its household for signed-in staff only (personal data, Decree 13/2023/NĐ-CP)."""
from __future__ import annotations

import json
import urllib.request

from tests.browser.conftest import sign_in_page, wait_map_ready


def a_parcel(base: str) -> str:
    with urllib.request.urlopen(base + "/api/layers/clearance") as r:
        return json.loads(r.read())["features"][0]["id"]


def test_parcel_popup_public_then_staff(live_server, page):
    code = a_parcel(live_server)
    page.goto(live_server + f"/?focus=clearance:{code}")
    wait_map_ready(page)
    public = page.locator(".leaflet-popup-content").inner_text()
    assert code in public and "Chủ sử dụng" not in public and "Đã chi trả" not in public
    sign_in_page(page, live_server, "planner1")
    page.goto(live_server + f"/?focus=clearance:{code}")
    wait_map_ready(page)
    staff = page.locator(".leaflet-popup-content").inner_text()
    assert "Chủ sử dụng" in staff and "Hộ gia đình" in staff
    # leaving the map for the sign-in page may abort its last requests (the favicon): only script errors count
    assert [e for e in page.log.errors if not e.startswith("requestfailed")] == []
