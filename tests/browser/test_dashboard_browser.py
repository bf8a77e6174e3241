"""The leaders' dashboard in headless Chromium: a row leads to its project on the map; the S-curve draws."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.browser.conftest import sign_in_page, wait_map_ready

CANVAS_INK = """() => {
  const c = document.getElementById('s-curve');
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i]) ink++;
  return {width: c.width, height: c.height, ink: ink, datasets: Chart.getChart(c).data.datasets.length};
}"""


def test_dashboard_row_shows_its_project_highlighted_on_the_map(live_server, page):
    page.goto(f"{live_server}/dashboard")
    rows = page.locator("#projects-table tbody tr")
    assert rows.count() >= 5
    row = rows.nth(1)
    code = row.get_attribute("data-code")
    name = row.locator("td").nth(1).inner_text().strip()
    row.locator("a.show-on-map").click()
    page.wait_for_url("**/?focus=*")
    assert parse_qs(urlsplit(page.url).query)["focus"] == [f"projects:{code}"]
    wait_map_ready(page)
    assert page.evaluate("document.body.dataset.highlighted") == code
    popup = page.locator(".leaflet-popup-content")
    assert popup.count() == 1 and popup.is_visible()
    assert name in popup.inner_text() and code in popup.inner_text()
    assert page.log.errors == []


def test_project_page_draws_the_s_curve_with_local_chart_js(live_server, page):
    scripts: list[tuple[str, int]] = []
    page.on("response", lambda r: scripts.append((urlsplit(r.url).path, r.status)) if "chart" in r.url else None)
    page.goto(f"{live_server}/dashboard?lang=en")
    href = page.locator("#projects-table a.project-link").first.get_attribute("href")
    scripts.clear()  # the dashboard draws its own charts; count the project page's requests only
    page.goto(f"{live_server}{href}")
    page.wait_for_selector("body[data-chart-ready='1']", timeout=10_000)
    assert scripts == [("/vendor/chart.js/dist/chart.umd.min.js", 200)]
    drawn = page.evaluate(CANVAS_INK)
    assert drawn["width"] > 300 and drawn["height"] > 200
    assert drawn["ink"] > 2000 and drawn["datasets"] == 3
    assert page.log.errors == []


def test_filing_a_report_through_the_form_in_a_real_browser(live_server, page):
    """The browser sends its Origin and the form its CSRF token: a signed-in leader's own form goes through."""
    sign_in_page(page, live_server, "leader1")
    page.goto(f"{live_server}/projects/PRJ-TPT-R3")
    before = page.locator("#reports-table tbody tr").count()
    page.fill("input[name=percent]", "80")
    page.fill("input[name=date]", "2018-12-30")
    page.fill("textarea[name=note]", "Thảm nhựa xong đoạn <b>cuối</b>")
    page.click("form.report-form button[type=submit]")
    if page.locator(".warning-box").count():  # warnings are shown first; the leader confirms them
        page.click("form.report-form button[name=confirm]")
    page.wait_for_url("**reported=1**")
    assert page.locator("#reports-table tbody tr").count() == before + 1
    assert "Thảm nhựa xong đoạn <b>cuối</b>" in page.content().replace("&lt;", "<").replace("&gt;", ">")
    assert page.locator("form.report-form b").count() == 0
    assert page.log.errors == []
