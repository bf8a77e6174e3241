"""Tables become cards on a phone, the key figures first and inside the screen; on a desktop they stay tables."""
from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, open_page

VISIBLE_IN_SCREEN = """sel => [...document.querySelectorAll(sel)].slice(0, 3).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.innerText.trim(), label: getComputedStyle(e, '::before').content, left: r.left, right: r.right, width: r.width, shown: e.offsetParent !== null};
})"""


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dashboard_cards_show_progress_slip_and_days_late_first(live_server, browser, lang):
    page = open_page(browser, PHONE)
    try:
        page.goto(f"{live_server}/dashboard?lang={lang}")
        first = page.locator("#projects-table tbody tr").first
        card = first.bounding_box()
        assert card["x"] >= 0 and card["x"] + card["width"] <= PHONE["width"]
        for cell in (".card-progress", ".card-slip", ".card-late"):
            box = first.locator(cell).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, cell
            assert box["y"] < card["y"] + 160, f"{cell} is not among the first lines of the card"
        assert first.locator(".card-slip").inner_text().strip().split()[-1] == "60"
        assert first.locator(".card-late").inner_text().strip().split()[-1] == "371"
        assert first.locator(".card-title").bounding_box()["height"] < 60  # the name no longer wraps over 5–8 lines
        assert page.locator("#projects-table thead").is_hidden()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_land_cards_show_area_and_price_with_its_unit(live_server, browser, lang):
    page = open_page(browser, PHONE)
    try:
        page.goto(f"{live_server}/land?lang={lang}")
        keys = page.evaluate(VISIBLE_IN_SCREEN, "#land-table tbody tr td.card-key")
        assert len(keys) == 3 and all(k["shown"] and k["left"] >= 0 and k["right"] <= PHONE["width"] for k in keys), keys
        unit = "cả thời hạn thuê" if lang == "vi" else "for the whole term"
        assert unit in keys[1]["label"] and float(keys[1]["text"].replace(",", ".")) > 0  # the price, labelled with its unit
        issues = page.locator("#land-table tr[data-code='PHA-A01'] td.issues")
        assert issues.is_visible() and ("6.585,4 m²" if lang == "vi" else "6,585.4 m²") in issues.inner_text()
    finally:
        page.context.close()


def test_conflict_cards_are_short(live_server, browser):
    page = open_page(browser, PHONE)
    try:
        page.goto(f"{live_server}/conflicts?lang=en")
        rows = page.locator("#conflicts-table tbody tr")
        first = rows.first.bounding_box()
        assert first["x"] + first["width"] <= PHONE["width"] and first["height"] < 240
        assert rows.first.locator(".badge").is_visible() and "m²" in rows.first.locator("td.num").inner_text()
    finally:
        page.context.close()


def test_desktop_keeps_tables(live_server, browser):
    page = open_page(browser, DESKTOP)
    try:
        for path, table in (("/dashboard", "#projects-table"), ("/land", "#land-table"), ("/conflicts", "#conflicts-table")):
            page.goto(live_server + path)
            assert page.locator(f"{table} thead").is_visible()
            assert page.evaluate(f"getComputedStyle(document.querySelector('{table} tbody tr')).display") == "table-row"
    finally:
        page.context.close()
