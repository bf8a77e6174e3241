"""The leaders' pages: dashboard, project page with its report form, directives (vi and en)."""
from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mapapp import clock
from mapapp.changes.model import Actor
from mapapp.reports import add_report
from mapapp.sources.importer import import_file
from mapapp.store.backend import Store
from tests import builders, templates
from tests.conftest import csrf_of, hand_built, sign_in

pytestmark = pytest.mark.dates  # speaks of late, stale or today: must hold at every hour

AS_OF = "2018-06-30"
LEADER = "Phó Trưởng ban Võ Minh Triều"


def extend_dataset(store, tmp_path) -> None:
    """The hand-built data plus R2 (crossing disputed parcel P2), reports, clearance history, directives.

    At 2018-06-30 R1 (30 %, plan 49.5 %) is late and R2 (45 %) on track; on
    2018-03-01 R1 is at risk and R2, with no report yet, ranks first.
    """
    r2 = ({"code": "R2", "name": "Đường số 2", "name_en": "Road 2", "kind": "road", "zone_code": "Z1",
           "status": "in_progress", "planned_start": "2018-01-01", "planned_end": "2018-12-31",
           "responsible": LEADER, "budget_vnd": 35e9}, builders.mline((750, 0), (750, 1000)))
    path = builders.write_geojson(tmp_path / "projects2.geojson", builders.projects_features() + [r2])
    import_file(store, "projects", path)
    add_report(store, "R1", percent=10, date="2018-02-01", note="Khởi công", reported_by="Tư vấn giám sát", confirm=True)
    add_report(store, "R1", percent=30, date="2018-05-01", note="Thi công nền đường", disbursed_vnd=2.5e9, confirm=True)
    add_report(store, "R2", percent=45, date="2018-05-15", reached_m=450, confirm=True)
    store.write_layers(
        {},
        meta={"as_of": AS_OF},
        events=[
            {"parcel_code": "P1", "date": "2018-04-01", "status": "compensated", "paid_vnd": 5e8},
            {"parcel_code": "P1", "date": "2018-06-01", "status": "cleared", "paid_vnd": 5e8},
        ],
        directive_items=[
            {"item": 10, "text_vi": "Đẩy nhanh tiến độ <b>các tuyến đường</b>", "text_en": "Speed up the roads",
             "responsible": "Ban Quản lý các KCN tỉnh", "status": "in_progress",
             "links": [{"layer": "projects", "code": "R1"}, {"layer": "clearance", "code": "P2"}]},
            {"item": 12, "text_vi": "Đề xuất sửa đổi quy chế phối hợp", "text_en": "Propose amended coordination rules",
             "responsible": "Ban Quản lý các KCN tỉnh", "status": "not_started", "links": []},
        ],
    )


def _leaders_data(store) -> None:
    """A loader for :mod:`tests.templates`: the hand-built dataset, then :func:`extend_dataset`."""
    hand_built(store)
    with tempfile.TemporaryDirectory() as folder:
        extend_dataset(store, Path(folder))


# made once per session (and province date) and copied: importing and reporting for each of the 36 tests
# was most of their time, and they run four times in `make test` (the shifted-clock runs)
_leaders_data.template_kind = "leaders"


@pytest.fixture
def loaded_store(tmp_path, db_url):
    """The hand-built dataset extended by :func:`extend_dataset` (a copy of the session's template)."""
    templates.copy_sqlite("leaders", _leaders_data, tmp_path / "test.sqlite")
    store = Store(db_url)
    store.init_schema()
    return store


@pytest.fixture
def public(loaded_store, loaded_app):
    return loaded_app.test_client()


@pytest.fixture
def web(public, loaded_store, make_user):
    """A leader signed in through the real form."""
    make_user(loaded_store, "leader1", "leader")
    assert sign_in(public, "leader1").status_code == 303
    return public


def post_form(client, path: str, data: dict):
    """Post a page's form as the browser does: with the CSRF token the page carries."""
    return client.post(path, data={**data, "csrf_token": csrf_of(client, "/directives")})


def html_of(response) -> str:
    return response.get_data(as_text=True)


def row_codes(html: str, table_id: str) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-(?:code|zone)="([^"]*)"', table)


def hrefs(html: str, css_class: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'class="{css_class}" href="([^"]*)"', html)]


# -- dashboard -------------------------------------------------------------------
def test_dashboard_vietnamese_by_default(web):
    response = web.get("/dashboard")
    html = html_of(response)
    assert response.status_code == 200
    assert "Tiến độ các dự án, công trình" in html
    assert "Đường số 1" in html and "Chậm tiến độ" in html and "Đúng tiến độ" in html
    assert LEADER in html
    assert 'aria-current="page">Tiến độ dự án<' in html
    assert "01/05/2018" in html and "15/05/2018" in html  # last reports, Vietnamese dates


def test_dashboard_english(web):
    html = html_of(web.get("/dashboard?lang=en"))
    assert "Progress of projects and works" in html
    assert "Road 2" in html and "Late" in html and "On track" in html
    assert all(parse_qs(urlsplit(h).query)["lang"] == ["en"] for h in hrefs(html, "show-on-map"))


def test_dashboard_sorted_by_slip_with_map_and_project_links(web):
    html = html_of(web.get("/dashboard"))
    assert row_codes(html, "projects-table") == ["R1", "R2"]
    first = urlsplit(hrefs(html, "show-on-map")[0])
    assert first.path == "/" and parse_qs(first.query) == {"focus": ["projects:R1"], "lang": ["vi"]}
    assert hrefs(html, "project-link")[0] == "/projects/R1?lang=vi"
    r1 = html.split('data-code="R1"', 1)[1].split("</tr>", 1)[0]
    assert "30 %" in r1 and "49,5 %" in r1  # actual / planned, Vietnamese decimal comma
    assert "19,5" in r1  # slip in points


def test_dashboard_date_picker_recomputes_everything(web):
    html = html_of(web.get("/dashboard?at=2018-03-01"))
    assert 'value="2018-03-01"' in html
    assert row_codes(html, "projects-table") == ["R2", "R1"]  # R2: no report, plan 16.2 %
    assert "Chưa có báo cáo" in html and "Có nguy cơ chậm" in html
    first = urlsplit(hrefs(html, "show-on-map")[0])
    assert parse_qs(first.query)["at"] == ["2018-03-01"]
    clearance = html.split('id="clearance-table"', 1)[1]
    assert "0 % · 0 ha / 2 ha" in clearance  # P1's history starts after that date


def test_dashboard_totals_and_clearance_by_zone(web):
    html = html_of(web.get("/dashboard"))
    assert row_codes(html, "zone-totals") == ["Z1"]
    totals = html.split('id="zone-totals"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', totals)
    assert cells == ["2", "0", "1"]  # projects, at risk, late
    assert "37,5 %" in totals  # mean of 30 and 45
    clearance = html.split('id="clearance-table"', 1)[1].split("</table>", 1)[0]
    assert "KCN Thử Nghiệm" in clearance
    assert "50 % · 1 ha / 2 ha" in clearance  # P1 cleared, P2 disputed
    assert "1 / 3" in clearance  # households compensated / total


def test_dashboard_ignores_a_bad_date_and_says_so(web):
    html = html_of(web.get("/dashboard?at=31-12-2018"))
    assert "không hợp lệ" in html and f'value="{AS_OF}"' in html


def test_dashboard_without_data(app):
    html = html_of(app.test_client().get("/dashboard"))
    assert "Chưa có dự án nào." in html and "Chưa có thửa đất" in html


# -- project page ----------------------------------------------------------------
def test_project_page_vietnamese(web):
    response = web.get("/projects/R2")
    html = html_of(response)
    assert response.status_code == 200
    assert "Đường số 2" in html and "Kế hoạch gốc" in html
    assert "01/01/2018" in html and "31/12/2018" in html and "35 tỷ đồng" in html
    assert LEADER in html
    assert "450 m" in html  # the report's reached_m
    blocking = html.split('id="blocking-table"', 1)[1].split("</table>", 1)[0]
    assert 'data-code="P2"' in blocking and "Đang khiếu nại, vướng mắc" in blocking and "Hộ bà Trần Thị B" in blocking
    assert "/?focus=clearance:P2&amp;lang=vi" in blocking
    assert "/?focus=projects:R2&amp;lang=vi" in html


def test_project_page_for_the_public_names_no_household(public):
    html = html_of(public.get("/projects/R2"))
    blocking = html.split('id="blocking-table"', 1)[1].split("</table>", 1)[0]
    assert 'data-code="P2"' in blocking and "Trần Thị B" not in html
    assert 'class="report-form"' not in html and 'class="signin-needed"' in html


def test_project_page_english_with_days_late(web):
    html = html_of(web.get("/projects/R1?lang=en"))
    assert "Baseline" in html and "Progress reports" in html and "File a new progress report" in html
    assert "No uncleared parcel blocks the project." in html
    days = re.search(r'class="days-late">(\d+) days<', html)
    assert days and int(days.group(1)) > 0


def test_project_page_lists_every_report_newest_first(web):
    html = html_of(web.get("/projects/R1"))
    table = html.split('id="reports-table"', 1)[1].split("</table>", 1)[0]
    assert table.index("01/05/2018") < table.index("01/02/2018")
    assert "Thi công nền đường" in table and "Khởi công" in table and "Tư vấn giám sát" in table
    assert "2,5 tỷ đồng" in table


def test_project_page_embeds_the_s_curve(web):
    html = html_of(web.get("/projects/R1?lang=en"))
    data = json.loads(re.search(r'<script type="application/json" id="s-curve-data">(.*?)</script>', html, re.S).group(1))
    assert data["actual"] == [["2018-02-01", 10.0], ["2018-05-01", 30.0]]
    assert data["planned"][0] == ["2018-01-01", 0.0] and ["2018-12-31", 100.0] in data["planned"]
    assert data["labels"]["planned"] == "Planned" and data["at"] == AS_OF
    assert '<canvas id="s-curve"' in html
    assert re.search(r'<script src="[^"]*chart\.umd\.min\.js">', html)


def test_project_page_at_an_earlier_date(web):
    html = html_of(web.get("/projects/R1?at=2018-03-01"))
    assert "Có nguy cơ chậm" in html
    rows = html.split('id="reports-table"', 1)[1].split("</table>", 1)[0].split("<tr")
    assert any("after-at" in r and "01/05/2018" in r for r in rows)  # shown, marked as later
    assert any("after-at" not in r and "01/02/2018" in r for r in rows)


@pytest.mark.parametrize("lang, text", [("vi", "Không tìm thấy dự án"), ("en", "Project not found")])
def test_unknown_project_is_a_404_page(web, lang, text):
    response = web.get(f"/projects/NOPE?lang={lang}")
    assert response.status_code == 404
    assert text in html_of(response) and "NOPE" in html_of(response)


def test_unknown_project_code_is_escaped(web):
    response = web.get("/projects/%3Cscript%3Ealert(1)")
    html = html_of(response)
    assert response.status_code == 404
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_user_text_is_escaped(web, loaded_store):
    add_report(loaded_store, "R1", percent=35, date="2018-06-01", note="<script>alert(1)</script>", reported_by="<img src=x onerror=alert(2)>", confirm=True)
    for url in ("/projects/R1", "/projects/R1?lang=en"):
        html = html_of(web.get(url))
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x" not in html and "&lt;img src=x" in html


# -- report form -----------------------------------------------------------------
GOOD = {"percent": "40", "date": "2018-06-20", "note": "Trải nhựa", "disbursed": "3000000000", "reached": "", "reported_by": "Nhà thầu"}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"percent": "150"}, "percent"),
        ({"percent": "abc"}, "percent"),
        ({"date": "2999-01-01"}, "tương lai"),
        ({"date": "hôm qua"}, "date"),
        ({"disbursed": "nhiều"}, "disbursed"),
    ],
)
def test_refused_report_shows_the_error_and_stores_nothing(web, loaded_store, change, message):
    before = loaded_store.reports()
    form = {**GOOD, **change}
    response = post_form(web, "/projects/R1/reports", form)
    html = html_of(response)
    assert response.status_code == 400
    box = re.search(r'<p class="error-box" role="alert">(.*?)</p>', html, re.S).group(1)
    assert "Báo cáo chưa được lưu:" in box and message in box and "\n" not in box
    assert f'value="{form["percent"]}"' in html and f'value="{form["date"]}"' in html  # values kept
    assert loaded_store.reports() == before


def test_refusal_in_english(web, loaded_store):
    response = post_form(web, "/projects/R1/reports?lang=en", {**GOOD, "percent": "150"})
    assert response.status_code == 400 and "Report not stored:" in html_of(response)


def test_accepted_report_redirects_and_is_added(web, loaded_store):
    before = loaded_store.reports("R1")
    # the fixture's import filed today's 40 %: a 2018 report is older, so the form asks first
    asked = post_form(web, "/projects/R1/reports?lang=en", GOOD)
    html = html_of(asked)
    assert asked.status_code == 409 and "Confirm before saving:" in html and "is older than the latest report" in html
    assert '<button type="submit" name="confirm" value="1">' in html and loaded_store.reports("R1") == before
    response = post_form(web, "/projects/R1/reports?lang=en", {**GOOD, "confirm": "1"})
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert target.path == "/projects/R1" and parse_qs(target.query) == {"lang": ["en"], "reported": ["1"]}
    after = loaded_store.reports("R1")
    assert len(after) == len(before) + 1 and all(r in after for r in before)
    (new,) = [r for r in after if r not in before]
    assert (new["percent"], new["date"], new["note"], new["disbursed_vnd"], new["reported_by"]) == (40.0, "2018-06-20", "Trải nhựa", 3e9, "Nhà thầu")
    page = html_of(web.get(response.headers["Location"]))
    assert "Progress report stored." in page and "Trải nhựa" in page


def test_report_for_unknown_project_is_a_404(web, loaded_store):
    before = loaded_store.reports()
    response = post_form(web, "/projects/NOPE/reports", GOOD)
    assert response.status_code == 404 and loaded_store.reports() == before


def test_lower_progress_asks_for_confirmation_and_records_it(web, loaded_store):
    today = clock.today().isoformat()
    form = {**GOOD, "percent": "20", "date": today, "note": ""}
    asked = post_form(web, "/projects/R1/reports", form)
    assert asked.status_code == 409 and "thấp hơn báo cáo" in html_of(asked)
    saved = post_form(web, "/projects/R1/reports", {**form, "confirm": "1"})
    assert saved.status_code == 303
    entry = loaded_store.audit(layer="projects", code="R1")[0]
    assert entry["actor"] == "leader1" and entry["via"] == "web" and any("thấp hơn" in w for w in entry["warnings"])


def test_a_form_opened_before_another_report_says_who_changed_it(web, loaded_store):
    html = html_of(web.get("/projects/R2"))
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    add_report(loaded_store, "R2", percent=50, date="2018-06-01", actor=Actor("planner7", "cli"), confirm=True)
    response = post_form(web, "/projects/R2/reports", {**GOOD, "version": version, "date": "2018-06-02", "percent": "55"})
    assert response.status_code == 409 and "planner7" in html_of(response)
    assert [r["percent"] for r in loaded_store.reports("R2") if r["date"] == "2018-06-02"] == []


def test_the_report_form_needs_a_leader_and_a_csrf_token(public, web, loaded_store, make_user):
    before = loaded_store.reports()
    assert web.post("/projects/R1/reports", data=GOOD).status_code == 400  # no CSRF token
    anonymous = public.application.test_client()
    assert anonymous.post("/projects/R1/reports", data=GOOD).status_code == 401
    make_user(loaded_store, "planner1", "planner")
    planner = public.application.test_client()
    sign_in(planner, "planner1")
    assert post_form(planner, "/projects/R1/reports", GOOD).status_code == 403
    assert loaded_store.reports() == before


# -- directives ------------------------------------------------------------------
def test_directives_vietnamese(web):
    response = web.get("/directives")
    html = html_of(response)
    assert response.status_code == 200
    assert "Chỉ đạo tại Thông báo số 19/TB-VP.UBND" in html
    assert "Đẩy nhanh tiến độ &lt;b&gt;các tuyến đường&lt;/b&gt;" in html  # stored text is data, not markup
    assert "Đang thực hiện" in html and "Chưa thực hiện" in html and "Ban Quản lý các KCN tỉnh" in html
    links = hrefs(html, "focus-link")
    assert links == ["/?focus=projects:R1&lang=vi", "/?focus=clearance:P2&lang=vi"]
    assert re.findall(r'data-item="(\d+)"', html) == ["10", "12"]


def test_directives_english(web):
    html = html_of(web.get("/directives?lang=en"))
    assert "Directives of notice 19/TB-VP.UBND" in html and "Speed up the roads" in html
    assert "In progress" in html and "Not started" in html
    assert "Đẩy nhanh" not in html
    assert hrefs(html, "focus-link")[0] == "/?focus=projects:R1&lang=en"


def test_directives_without_data(app):
    assert "Chưa có dữ liệu chỉ đạo." in html_of(app.test_client().get("/directives"))


# -- the province's today, at the hours a UTC clock gets it wrong -------------------
@pytest.mark.parametrize(
    "utc, today",
    [("2026-11-29T23:30:00", "2026-11-30"), ("2026-11-30T00:30:00", "2026-11-30"), ("2026-11-29T16:59:00", "2026-11-29")],
)
def test_pages_cap_dates_at_the_provinces_today(web, utc, today):
    with clock.frozen(dt.datetime.fromisoformat(utc).replace(tzinfo=dt.timezone.utc)):
        dashboard = html_of(web.get("/dashboard?at=2099-01-01"))
        project = html_of(web.get("/projects/R1"))
        earlier = html_of(web.get("/projects/R1?at=2018-03-01"))
    assert f'name="at" value="{today}" max="{today}"' in dashboard
    # the report form is dated the page's date (the dataset's, here), and refuses days after today
    assert f'name="date" type="date" max="{today}" required value="{AS_OF}"' in project
    assert f'name="date" type="date" max="{today}" required value="2018-03-01"' in earlier


@pytest.mark.parametrize(("lang", "says"), [
    ("vi", "Vai trò Cán bộ quy hoạch không được phép: báo cáo tiến độ. Cần vai trò: Lãnh đạo, Quản trị."),
    ("en", "The Planner role may not do this: report progress. Roles allowed: Leader, Administrator."),
])
def test_project_page_tells_a_signed_in_planner_which_role_files_reports_not_to_sign_in(public, loaded_store, make_user, lang, says):
    make_user(loaded_store, "planner1", "planner")
    assert sign_in(public, "planner1").status_code == 303
    html = unescape(html_of(public.get(f"/projects/R1?lang={lang}")))
    new_report = html.split('id="new-report"', 1)[1].split("</section>", 1)[0]
    assert 'class="report-form"' not in new_report and 'class="signin-needed"' not in new_report
    assert says in new_report
