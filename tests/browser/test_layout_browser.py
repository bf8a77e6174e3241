"""Phone (390×844) and desktop (1366×768): popups in the free part of the map, never under a control,
the notice over nothing, the date control reachable, the top bar's hidden links announced."""
from __future__ import annotations

import pytest

from tests.browser.conftest import POPUP_PLACEMENT, wait_map_ready

POPUP_SETTLED = """() => {
  const p = document.querySelector('.leaflet-popup');
  return !!p && getComputedStyle(p).opacity === '1' && !document.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim')
    && !(document.querySelector('.mapapp-lot-issues') && !document.querySelector('.mapapp-lot-issues[data-filled]'));
}"""


@pytest.mark.parametrize("target", ["zones:KCN-SH", "lots:PHA-A01", "projects:PRJ-SH-WWTP", "clearance:GP-SH-10"])
def test_popup_opens_in_the_free_area_with_its_close_button_clickable(live_server, sized_page, target):
    page = sized_page
    page.goto(f"{live_server}/?focus={target}&lang=en")
    wait_map_ready(page)
    page.wait_for_function(POPUP_SETTLED)
    placed = page.evaluate(POPUP_PLACEMENT)
    assert placed["inside"], placed
    assert placed["under"] == [], f"{page.size_name}: popup under {placed['under']}"
    assert placed["closeClickable"] and placed["titleVisible"], placed
    page.locator(".leaflet-popup-close-button").click()
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    assert page.log.errors == []


def test_popup_opened_by_a_click_on_the_map_is_placed_too(live_server, sized_page):
    page = sized_page
    page.goto(f"{live_server}/?c=9.95,105.81&z=15")
    wait_map_ready(page)
    box = page.locator(".folium-map").bounding_box()
    # the middle of the map, where KCN Sông Hậu's lots are at this view
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(POPUP_SETTLED)
    placed = page.evaluate(POPUP_PLACEMENT)
    assert placed["inside"] and placed["under"] == [] and placed["closeClickable"], placed


def test_sample_notice_covers_nothing(live_server, sized_page):
    page = sized_page
    page.goto(f"{live_server}/?focus=zones:KCN-SH")
    wait_map_ready(page)
    # measured once the focus popup has finished panning into place: while it pans, its box may
    # pass above the map's top edge, where the map container clips it (it is not drawn there)
    page.wait_for_function(POPUP_SETTLED)
    notice = page.locator(".sample-notice").bounding_box()
    covered = page.evaluate(
        """n => [...document.querySelectorAll('.folium-map, .leaflet-control, .leaflet-popup, .mapapp-search-slot, button, a')]
          .filter(e => e.offsetParent !== null && !e.closest('.topbar'))
          .filter(e => { const r = e.getBoundingClientRect();
                         return r.width && r.left < n.x + n.width && n.x < r.right && r.top < n.y + n.height && n.y < r.bottom; })
          .map(e => e.className)""",
        notice,
    )
    assert covered == []


def test_date_control_is_reachable(live_server, sized_page):
    page = sized_page
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    if page.size_name == "phone":
        fold = page.locator(".mapapp-date .mapapp-fold")
        assert fold.is_visible() and "31/12/2018" in fold.inner_text()
        fold.click()
    date_input = page.locator(".mapapp-date-input")
    assert date_input.is_visible()
    box = date_input.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= page.viewport_size["width"]


def test_top_bar_says_it_scrolls_on_a_phone(live_server, browser):
    from tests.browser.conftest import PHONE, open_page

    page = open_page(browser, PHONE)
    try:
        page.goto(f"{live_server}/land")
        nav = page.evaluate("""() => { const n = document.querySelector('.topbar nav'); const s = getComputedStyle(n);
          return {scroll: n.scrollWidth > n.clientWidth, overflow: s.overflowX, mask: s.maskImage || s.webkitMaskImage}; }""")
        assert nav["scroll"] and nav["overflow"] == "auto" and "gradient" in nav["mask"]
        last = page.locator(".topbar nav a").last
        last.scroll_into_view_if_needed()
        assert last.is_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_signed_in_top_bar_shows_every_link_on_a_laptop_and_the_account_menu_holds_the_rest(live_server, browser, lang):
    from tests.browser.conftest import DESKTOP, open_page, sign_in_page

    page = open_page(browser, DESKTOP)
    try:
        sign_in_page(page, live_server, "admin1")
        page.goto(f"{live_server}/land?lang={lang}")
        cut = page.evaluate("""() => { const nav = document.querySelector('.topbar nav').getBoundingClientRect();
          return [...document.querySelectorAll('.topbar nav a')].filter(a => { const r = a.getBoundingClientRect();
            return r.left < nav.left - 0.5 || r.right > nav.right + 0.5; }).map(a => a.textContent.trim()); }""")
        assert cut == [], f"links cut off at 1366 px: {cut}"
        menu = page.locator(".topbar .account-menu")
        assert not menu.is_visible()
        page.click(".topbar .account summary")
        assert [t.strip() for t in menu.locator("a, button").all_inner_texts()] == (
            ["Nhập dữ liệu", "Người dùng", "Đăng xuất"] if lang == "vi" else ["Import data", "Users", "Sign out"])
        box, bar = menu.bounding_box(), page.viewport_size["width"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= bar
        page.keyboard.press("Escape")
        assert not menu.is_visible()
        assert page.log.errors == []
    finally:
        page.context.close()


def test_legend_stays_inside_the_window(live_server, sized_page):
    page = sized_page
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    if page.size_name == "phone":
        page.locator(".mapapp-legend .mapapp-fold").click()
    legend = page.locator(".mapapp-legend").bounding_box()
    assert legend["y"] >= 0 and legend["y"] + legend["height"] <= page.viewport_size["height"]
    fit = page.evaluate("""() => { const l = document.querySelector('.mapapp-legend');
      return {overflows: l.scrollHeight > l.clientHeight, scrolls: getComputedStyle(l).overflowY === 'auto'}; }""")
    assert fit["scrolls"]
    if page.size_name == "desktop":  # 768 px cannot hold the whole legend: it scrolls inside the window
        assert fit["overflows"]
    last = page.locator(".mapapp-legend-item").last
    last.scroll_into_view_if_needed()
    assert last.is_visible()


def test_scale_bar_is_metric_only(live_server, sized_page):
    page = sized_page
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    scales = page.locator(".leaflet-control-scale-line")
    assert scales.count() == 1
    assert scales.first.inner_text().split()[-1] in ("m", "km")


def test_first_view_frames_the_zones_and_labels_do_not_collide(live_server, sized_page):
    page = sized_page
    page.goto(f"{live_server}/?lang=en")
    wait_map_ready(page)
    result = page.evaluate("""() => {
      const map = window.mapapp.map, zones = window.mapapp.state.layers.zones;
      const view = map.getBounds(), zb = zones.getBounds();
      const labels = [...document.querySelectorAll('.mapapp-zone-label')].filter(e => e.offsetParent !== null && getComputedStyle(e).display !== 'none')
        .map(e => e.getBoundingClientRect());
      const controls = [...document.querySelectorAll('.leaflet-control, .mapapp-search-slot')].filter(c => c.offsetParent !== null).map(c => c.getBoundingClientRect());
      const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      let clashes = 0;
      labels.forEach((a, i) => labels.slice(i + 1).forEach(b => { if (hit(a, b)) clashes++; }));
      controls.forEach(c => labels.forEach(l => { if (hit(c, l)) clashes++; }));
      return {contains: view.contains(zb), zoomedIn: map.getBoundsZoom(zb) - map.getZoom(), labels: labels.length, clashes: clashes};
    }""")
    assert result["contains"] and result["zoomedIn"] <= 1, result
    assert result["labels"] >= 3 and result["clashes"] == 0, result


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pages_with_tables_do_not_widen_the_page_on_a_phone(live_server, browser, lang):
    """A table wider than 390 px scrolls inside itself; the page (and its text) stays as wide as the phone."""
    from tests.browser.conftest import PHONE, open_page, sign_in_page

    page = open_page(browser, PHONE)
    try:
        sign_in_page(page, live_server, "planner1")
        for path in ("/dashboard", "/projects/PRJ-SH-WWTP", "/clearance/late", "/clearance/parcels/GP-SH-10",
                     "/clearance/matrix", "/ogc/collections", "/ogc/collections/lots/items"):
            page.goto(f"{live_server}{path}?lang={lang}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path}: the page is {width} px wide on a {PHONE['width']} px phone"
    finally:
        page.context.close()


def test_sign_in_and_refusal_pages_have_margins_and_one_field_a_line(live_server, sized_page):
    page = sized_page
    for path in ("/login", "/projects/NOPE"):
        page.goto(f"{live_server}{path}")
        left = page.evaluate("document.querySelector('main h1').getBoundingClientRect().left")
        assert left >= 8, f"{path}: the heading touches the window's edge ({left} px)"
    page.goto(f"{live_server}/login")
    name, password = (page.locator(f"form.login-form input[name={n}]").bounding_box() for n in ("name", "password"))
    assert password["y"] >= name["y"] + name["height"], "the password field sits beside the name, not below it"


def test_the_status_box_is_not_under_the_legend_or_the_attribution(live_server, sized_page):
    """The box that says the base map is offline (or a layer failed) stays readable beside the folded legend."""
    page = sized_page
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    page.evaluate("""() => { mapapp.state.notices.push('Không tải được bản đồ nền (không có Internet?): đã chuyển sang nền trơn. '
                                                     + 'Chọn lại bản đồ nền ở góc phải khi có mạng.'); mapapp.status.update(); }""")
    under = page.evaluate("""() => { const s = document.querySelector('.mapapp-status').getBoundingClientRect();
      return [...document.querySelectorAll('.leaflet-bottom.leaflet-right .leaflet-control')].filter(e => e.offsetParent !== null)
        .filter(e => { const r = e.getBoundingClientRect();
                       return r.width && r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom; })
        .map(e => e.className); }""")
    assert under == []
    box = page.locator(".mapapp-status").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
