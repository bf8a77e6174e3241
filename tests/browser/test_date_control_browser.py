"""One date control: text box, slider and notice agree; it runs from the data's first date to the
province's today, marks the data's last date, refuses later dates and says which layers follow it."""
from __future__ import annotations

import datetime as dt

from mapapp import clock
from mapapp.sources.sample import SAMPLE_AS_OF
from tests.browser.conftest import wait_map_ready

CONTROL = """() => {
  const box = document.querySelector('.mapapp-date-input'), slider = document.querySelector('.mapapp-date-slider');
  const day = n => new Date(Number(n) * 86400000).toISOString().slice(0, 10);
  return {box: box.value, min: box.min, max: box.max, slider: day(slider.value), sliderMin: day(slider.min), sliderMax: day(slider.max),
          at: window.mapapp.cfg.at, notice: document.querySelector('.sample-notice .mapapp-as-of-text').textContent,
          error: document.querySelector('.mapapp-date-error').textContent, mark: document.querySelector('.mapapp-date-mark').style.left,
          marks: [...document.querySelectorAll('#mapapp-date-marks option')].map(o => day(o.value)),
          scope: document.querySelector('.mapapp-date-scope').innerText};
}"""

RELOADED = """iso => { const s = window.mapapp.state, p = s.layers.projects.getLayers();
  return !Object.keys(s.pending).length && p.length > 0 && p.every(l => l.feature.properties.as_of === iso); }"""


def test_box_slider_and_notice_agree_and_the_range_is_the_data_to_today(live_server, page):
    page.goto(f"{live_server}/?lang=en")
    wait_map_ready(page)
    c = page.evaluate(CONTROL)
    today = clock.today().isoformat()
    assert c["box"] == c["slider"] == c["at"] == c["notice"] == SAMPLE_AS_OF
    assert c["max"] == c["sliderMax"] == today and c["min"] == c["sliderMin"] < "2018-01-01"
    assert c["marks"] == [SAMPLE_AS_OF] and 0 < float(c["mark"].rstrip("%")) < 100
    assert "works and land clearance" in c["scope"] and "lots and planning conflicts" in c["scope"]

    page.fill(".mapapp-date-input", "2017-09-15")  # typing moves the slider and the notice
    page.wait_for_function(RELOADED, arg="2017-09-15")
    c = page.evaluate(CONTROL)
    assert c["box"] == c["slider"] == c["at"] == c["notice"] == "2017-09-15"

    page.evaluate("""() => { const s = document.querySelector('.mapapp-date-slider'); s.value = String(Number(s.value) - 30);
      s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }""")
    page.wait_for_function(RELOADED, arg="2017-08-16")
    c = page.evaluate(CONTROL)
    assert c["box"] == c["slider"] == c["at"] == c["notice"] == "2017-08-16"

    page.locator(".mapapp-date-last").click()  # back to the data's last date
    page.wait_for_function(RELOADED, arg=SAMPLE_AS_OF)
    assert page.evaluate(CONTROL)["notice"] == SAMPLE_AS_OF
    assert page.log.errors == []


def test_a_date_after_today_is_refused_and_nothing_changes(live_server, page):
    requests: list[str] = []
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    page.on("request", lambda r: requests.append(r.url) if "/api/layers/" in r.url else None)
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    page.evaluate("""iso => { const b = document.querySelector('.mapapp-date-input'); b.value = iso; b.dispatchEvent(new Event('change')); }""", tomorrow)
    c = page.evaluate(CONTROL)
    assert "Không xem được ngày trong tương lai" in c["error"] and clock.today().strftime("%d/%m/%Y") in c["error"]
    assert c["box"] == c["slider"] == c["at"] == SAMPLE_AS_OF and c["notice"] == "31/12/2018"
    assert requests == []


def test_the_server_caps_a_future_date_in_the_link(live_server, page):
    page.goto(f"{live_server}/?at=2999-01-01")
    wait_map_ready(page)
    assert page.evaluate(CONTROL)["at"] == clock.today().isoformat()


def test_on_a_phone_the_folded_date_shows_the_date_chosen_and_folds_again(live_server, browser):
    from tests.browser.conftest import PHONE, open_page

    page = open_page(browser, PHONE)
    try:
        page.goto(f"{live_server}/")
        wait_map_ready(page)
        fold = page.locator(".mapapp-date .mapapp-fold")
        fold.click()
        page.fill(".mapapp-date-input", "2017-09-15")
        page.wait_for_function(RELOADED, arg="2017-09-15")
        # the open control's fold button is not hidden under the search box, not even its left end
        box = fold.bounding_box()
        hit = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.mapapp-date')",
                            [box["x"] + 4, box["y"] + box["height"] / 2])
        assert hit, "the search box covers the open date control's fold button"
        fold.click()
        assert page.locator(".mapapp-date").evaluate("d => d.classList.contains('mapapp-folded')")
        assert fold.inner_text() == "Tình trạng ngày 15/09/2017"
    finally:
        page.context.close()
