"""A refused write reads in the page's language: the map's edit (PATCH), the clearance forms (a step, a blocker's
state), the directives form, the progress report form and the import page, each naming feature and field, storing
nothing; JSON keeps its English ``error`` and adds ``message`` in both languages."""
from __future__ import annotations

import html as html_lib
import io
import re

import pytest

from mapapp import create_app
from mapapp.auth.accounts import add_user, new_token
from tests import builders
from tests.conftest import PASSWORD, bearer, csrf_of, data_snapshot, sign_in


@pytest.fixture
def leader(sample_store):
    """The sample (both backends) and a leader signed in: every form of the write path is theirs."""
    add_user(sample_store, "leader1", "leader", PASSWORD)
    client = create_app({"database": sample_store.url}).test_client()
    sign_in(client, "leader1")
    return client, sample_store


def refusal_text(response) -> str:
    """The refusal a page shows (the error page's line, the report form's box, the import page's box), unescaped."""
    page = response.get_data(as_text=True)
    found = re.search(r'<p class="refusal" role="alert">(.*?)</p>', page, re.DOTALL) or re.search(
        r'<p class="error-box" role="alert">(.*?)</p>', page, re.DOTALL) or re.search(r'id="import-refused"[^>]*>(.*?)</div>', page, re.DOTALL)
    assert found, page[:2000]
    return html_lib.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def fields_of(client, path: str) -> dict[str, str]:
    page = client.get(path).get_data(as_text=True)
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "version": re.search(r'name="version" value="(\d+)"', page).group(1)}


SAID = {
    "step": {
        "vi": "Lớp Các bước thu hồi đất, đối tượng GP-TPT-23, trường Bước (step): Bàn giao mặt bằng (handover): cần thực hiện trước: "
              "Chi trả bồi thường (payment) hoặc",
        "en": "Layer Land recovery steps, feature GP-TPT-23, field Step (step): handover: needs payment or deposit first",
    },
    "blocker": {
        "vi": "Lớp Vướng mắc, đối tượng VM-03, trường Trạng thái (state): 'done' không thuộc các giá trị cho phép: "
              "open (Mới mở), in_progress (Đang xử lý), resolved (Đã giải quyết)",
        "en": "Layer Blockers, feature VM-03, field State (state): 'done' is not one of open, in_progress, resolved",
    },
    "directive": {
        "vi": "Lớp Chỉ đạo (TB 19), đối tượng 1, trường Tình trạng (status): 'xong' không thuộc các giá trị cho phép: not_started",
        "en": "Layer Directives (notice 19), feature 1, field Status (status): 'xong' is not one of not_started",
    },
    "report": {
        "vi": "Trường Tiến độ (%) (percent): 'nhiều' không phải là số từ 0 đến 100",
        "en": "Field Progress (%) (percent): 'nhiều' is not a number from 0 to 100",
    },
    "import": {
        "vi": "Lớp Lô đất, đối tượng thứ 1 (mã L7), trường Tình trạng (status): 'leasd' không thuộc các giá trị cho phép: "
              "leased (Đã cho thuê), available (Còn trống)",
        "en": "Layer Lots, feature 1 (code L7), field Status (status): 'leasd' is not one of leased",
    },
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_form_refuses_in_the_pages_language_and_stores_nothing(leader, lang, tmp_path):
    client, store = leader
    before = data_snapshot(store)
    parcel = fields_of(client, "/clearance/parcels/GP-TPT-23")
    step = client.post(f"/clearance/parcels/GP-TPT-23/steps?lang={lang}", data={
        **parcel, "step": "handover", "date": "2018-12-20", "doc_type": "Biên bản bàn giao", "doc_number": "5/BB"})
    blocker = client.post(f"/clearance/blockers/VM-03/state?lang={lang}",
                          data={**fields_of(client, "/clearance/blockers/VM-03"), "state": "done"})
    directive = client.post(f"/directives/1/status?lang={lang}", data={
        "csrf_token": parcel["csrf_token"], "version": "1", "status": "xong"})
    report = client.post(f"/projects/PRJ-CDP-3B/reports?lang={lang}", data={
        "csrf_token": parcel["csrf_token"], "percent": "nhiều", "date": "2018-06-20", "note": "", "disbursed": "", "reached": "",
        "reported_by": "", "version": ""})
    bad = builders.write_geojson(tmp_path / "bad.geojson", [({"code": "L7", "zone_code": "KCN-TPT", "land_use": "factory", "status": "leasd"},
                                                      builders.mbox(0, 0, 10, 10))])
    imported = client.post(f"/imports/preview?lang={lang}", data={
        "layer": "lots", "csrf_token": csrf_of(client, "/imports"), "file": (io.BytesIO(bad.read_bytes()), "bad.geojson")},
        content_type="multipart/form-data", follow_redirects=True)
    for name, response in (("step", step), ("blocker", blocker), ("directive", directive), ("report", report), ("import", imported)):
        assert response.status_code == 400, name
        assert SAID[name][lang] in refusal_text(response), (name, refusal_text(response))
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)
    assert data_snapshot(store) == before


def test_a_refused_patch_keeps_its_english_error_and_adds_the_line_in_both_languages(sample_store):
    client = create_app({"database": sample_store.url}).test_client()
    add_user(sample_store, "planner1", "planner", PASSWORD)
    add_user(sample_store, "leader2", "leader", PASSWORD)
    token, leader_token = new_token(sample_store, "planner1"), new_token(sample_store, "leader2")
    before = data_snapshot(sample_store)
    for lang in ("vi", "en"):
        answer = client.patch(f"/api/layers/clearance/GP-TPT-23?lang={lang}", json={"status": "cleared"},
                              headers=bearer(token, **{"If-Match": "*"}))
        body = answer.get_json()
        assert answer.status_code == 400
        assert body["error"] == ("layer clearance, feature GP-TPT-23, field status: "
                                 "the status is derived from the recorded steps: record the step that changes it")
        assert body["message"] == {
            "vi": "Lớp Giải phóng mặt bằng, đối tượng GP-TPT-23, trường Tình trạng (status): "
                  "tình trạng được suy ra từ các bước đã ghi nhận: hãy ghi nhận bước làm thay đổi tình trạng",
            "en": "Layer Land clearance, feature GP-TPT-23, field Status (status): "
                  "the status is derived from the recorded steps: record the step that changes it",
        }
    stale = client.patch("/api/layers/lots/" + sample_store.codes("lots").pop(), json={"tenant": "X"},
                         headers=bearer(token, **{"If-Match": '"v99"'}))
    assert stale.status_code == 412 and "hãy tải lại rồi thực hiện lại thay đổi" in stale.get_json()["message"]["vi"]
    report = client.post("/api/projects/PRJ-CDP-3B/reports", json={"percent": "nhiều", "date": "2018-06-20"}, headers=bearer(leader_token))
    assert report.status_code == 400 and report.get_json()["error"] == "percent: 'nhiều' is not a number from 0 to 100"
    assert report.get_json()["message"]["vi"] == "Trường Tiến độ (%) (percent): 'nhiều' không phải là số từ 0 đến 100"
    assert data_snapshot(sample_store) == before


def test_user_text_in_a_refusal_is_escaped_on_the_page(leader):
    client, _ = leader
    response = client.post("/clearance/blockers/VM-03/state?lang=vi",
                           data={**fields_of(client, "/clearance/blockers/VM-03"), "state": "<b>x</b>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "<b>x</b>" not in page and "&#39;&lt;b&gt;x&lt;/b&gt;&#39;" in page
