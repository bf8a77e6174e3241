"""A planner signs in, changes a lot's status from its popup, reads the change in its history, signs out."""
from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import sign_in_page, wait_map_ready
from tests.conftest import PASSWORD
from tests.serving_thread import serve, stop


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    """The real WSGI server on the sample, with one planner account."""
    from mapapp import create_app
    from mapapp.auth.accounts import add_user
    from mapapp.sources.sample import load_sample
    from mapapp.store.backend import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('staff') / 'staff.sqlite'}"
    store = Store(url)
    store.init_schema()
    load_sample(store)
    add_user(store, "planner1", "planner", PASSWORD)
    app = create_app({"database": url, "basemap": "plain"})
    base, server = serve(app)
    yield base, store
    stop(server)


def available_lot(base: str) -> str:
    with urllib.request.urlopen(base + "/api/layers/lots?status=available") as r:
        return json.loads(r.read())["features"][0]["properties"]["code"]


def test_planner_edits_a_lot_from_its_popup_and_sees_it_in_the_history(staff_server, page):
    base, store = staff_server
    code = available_lot(base)
    sign_in_page(page, base, "planner1")
    page.goto(base + f"/?focus=lots:{code}")
    wait_map_ready(page)
    popup = page.locator(".leaflet-popup-content")
    popup.locator(".mapapp-edit-start").click()
    popup.locator(".mapapp-edit-status").select_option("reserved")
    popup.locator(".mapapp-edit-save").click()
    reopened = page.locator(".leaflet-popup-content:has(.mapapp-edit-saved)")  # the old popup may still be fading out
    reopened.wait_for()
    assert "Đã đăng ký giữ chỗ" in reopened.inner_text()
    assert store.get_feature("lots", code)["status"].iloc[0] == "reserved"
    reopened.locator(".mapapp-edit-history").click()
    row = page.locator("#history-table tbody tr").first
    row.wait_for()
    text = row.inner_text()
    assert "planner1" in text and "update" in text and "reserved" in text and "available" in text
    page.click(".topbar .account summary")  # the account menu holds sign-out
    page.click("form.signout button[type=submit]")
    page.wait_for_selector("a.signin")
    page.goto(base + f"/?focus=lots:{code}")
    wait_map_ready(page)
    page.locator(".leaflet-popup-content").wait_for()
    assert page.locator(".leaflet-popup-content .mapapp-edit").count() == 0
    # leaving the map for the history page aborts its pending requests: only script errors count
    assert [e for e in page.log.errors if not e.startswith("requestfailed")] == []


# the refusal in the page's language (the answer's message), naming the feature and the field by its label
SAID = {"vi": "đối tượng GP-SH-10, trường Tình trạng (status): tình trạng được suy ra từ các bước đã ghi nhận",
        "en": "feature GP-SH-10, field Status (status): the status is derived from the recorded steps"}


@pytest.mark.parametrize(("lang", "link"), [("vi", "Ghi nhận bước thủ tục tại trang thửa đất →"),
                                            ("en", "Record the step on the parcel's page →")])
def test_a_refused_parcel_status_says_why_changes_nothing_and_leads_to_the_parcels_page(staff_server, page, lang, link):
    """GP-SH-10 has dated steps: its status follows them, so a status chosen in the popup is refused."""
    base, store = staff_server
    before = store.get_feature("clearance", "GP-SH-10")[["status", "version"]].iloc[0].tolist()
    sign_in_page(page, base, "planner1")
    page.goto(base + f"/?focus=clearance:GP-SH-10&lang={lang}")
    wait_map_ready(page)
    popup = page.locator(".leaflet-popup-content")
    popup.locator(".mapapp-edit-start").click()
    popup.locator(".mapapp-edit-status").select_option("cleared")
    popup.locator(".mapapp-edit-save").click()
    error = popup.locator(".mapapp-edit-error")
    error.wait_for()
    assert SAID[lang] in error.inner_text()
    assert store.get_feature("clearance", "GP-SH-10")[["status", "version"]].iloc[0].tolist() == before
    steps = error.locator("a.mapapp-edit-steps")
    assert steps.inner_text() == link
    steps.click()
    page.wait_for_url(f"**/clearance/parcels/GP-SH-10?lang={lang}")
    assert "GP-SH-10" in page.locator("h1").inner_text()
