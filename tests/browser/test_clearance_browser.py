"""A leader follows a blocker from the late list to the map, records the steps it waits for, and sees the map change."""
from __future__ import annotations

import pytest

from mapapp.pages.styles import STYLES
from tests.browser.conftest import serve_sample, sign_in_page, wait_map_ready
from tests.serving_thread import stop

PARCEL_STATE = """code => {
  const s = window.mapapp.state;
  const parcel = s.layers.clearance.getLayers().find(l => l.feature.properties.code === code);
  const zone = s.data.zones.features.find(f => f.properties.code === 'KCN-TPT').properties;
  return parcel && {fill: parcel.options.fillColor, flagged: parcel.options.className.includes('mapapp-overdue'), step: parcel.feature.properties.step,
                    status: parcel.feature.properties.status, overdue: parcel.feature.properties.overdue,
                    cleared_share: zone.cleared_share, block: zone.largest_cleared_block_ha};
}"""


@pytest.fixture(scope="module")
def clearance_server(tmp_path_factory):
    """Its own server and database: this test writes steps the other browser tests must not see."""
    base, server = serve_sample(tmp_path_factory)
    yield base
    stop(server)


def open_on_map(page) -> dict:
    page.click("a.on-map")
    wait_map_ready(page)
    page.wait_for_selector("body[data-shown='1']")
    return page.evaluate(PARCEL_STATE, "GP-TPT-23")


def record(page, step: str, day: str, doc_type: str, number: str) -> None:
    page.select_option("form.step-form select[name=step]", step)
    page.fill("form.step-form input[name=date]", day)
    page.fill("form.step-form input[name=doc_type]", doc_type)
    page.fill("form.step-form input[name=doc_number]", number)
    page.click("form.step-form button[type=submit]")
    page.wait_for_selector("p.saved")


def test_a_leader_settles_a_blocker_from_the_late_list(clearance_server, page):
    base = clearance_server
    colors = STYLES["clearance"]["colors"]
    sign_in_page(page, base, "leader1")
    page.click("nav a[href^='/clearance/late']")
    page.wait_for_selector("table.late-list")
    assert "Đến ngày 31/12/2018: 25 việc quá hạn" in page.inner_text("main")
    page.click("table.blockers-register a.blocker-link:text-is('VM-03')")
    page.wait_for_selector("h1:has-text('VM-03')")
    assert "Quá hạn" in page.inner_text("dd.deadline") and "Phó Trưởng ban phụ trách GPMB" in page.inner_text("main")
    blocker_url = page.url

    before = open_on_map(page)
    # decided (recovery decision) but not paid, payment overdue: drawn in the decision's colour, flagged overdue
    assert before["step"] == "decision" and before["overdue"] is True
    assert before["fill"] == colors["decision"] and before["flagged"]
    assert page.locator(".mapapp-legend-item[data-layer='clearance'][data-value='decision']").count() == 1

    page.goto(blocker_url)
    page.click("table.blocker-parcels a.parcel-link:text-is('GP-TPT-23')")
    page.wait_for_selector("form.step-form")
    record(page, "payment", "2018-12-20", "Biên bản chi trả tiền bồi thường", "31/BB-CT")
    assert page.inner_text("dd.parcel-status") == "Đã bồi thường"
    record(page, "handover", "2018-12-27", "Biên bản bàn giao mặt bằng", "32/BB-BG")
    assert page.inner_text("dd.parcel-step") == "Bàn giao mặt bằng"
    assert "32/BB-BG" in page.inner_text("table.parcel-steps")

    after = open_on_map(page)
    assert after["step"] == "handover" and after["status"] == "cleared" and after["overdue"] is False
    assert after["fill"] == colors["handover"] and not after["flagged"]
    assert after["cleared_share"] > before["cleared_share"]
    assert after["block"] >= before["block"]
    assert not [e for e in page.log.errors if "favicon" not in e]
