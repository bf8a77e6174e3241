"""Write requests' JSON bodies: an object with a boolean ``confirm``, or a 400 that says what to send."""
from __future__ import annotations

import pytest

from tests.conftest import bearer


@pytest.fixture
def staff(loaded_app, loaded_store, make_user):
    client = loaded_app.test_client()
    token = make_user(loaded_store, "leader1", "leader")
    return client, token


def _patch(client, token, body):
    tag = client.get("/api/layers/lots/L1").headers["ETag"]
    return client.patch("/api/layers/lots/L1", json=body, headers=bearer(token, **{"If-Match": tag}))


@pytest.mark.parametrize("body", [["status", "reserved"], "reserved", 3])
def test_a_body_that_is_not_an_object_is_refused_with_an_example(staff, loaded_store, body):
    client, token = staff
    before = loaded_store.get_feature("lots", "L1")["version"].iloc[0]
    reports = loaded_store.reports("R1")
    for response in (_patch(client, token, body), client.post("/api/projects/R1/reports", json=body, headers=bearer(token))):
        assert response.status_code == 400
        assert response.get_json()["error"].startswith("send a JSON object, e.g. {")
    assert loaded_store.get_feature("lots", "L1")["version"].iloc[0] == before
    assert loaded_store.reports("R1") == reports


@pytest.mark.parametrize("confirm", ["yes", 1, None, "true"])
def test_confirm_must_be_a_boolean(staff, loaded_store, confirm):
    client, token = staff
    reports = loaded_store.reports("R1")
    patched = _patch(client, token, {"status": "reserved", "confirm": confirm})
    reported = client.post("/api/projects/R1/reports", json={"percent": 5, "date": "2018-01-02", "confirm": confirm},
                           headers=bearer(token))
    for response in (patched, reported):
        assert response.status_code == 400 and response.get_json() == {
            "error": "confirm must be true or false",
            "message": {"vi": "Giá trị confirm phải là true hoặc false", "en": "Confirm must be true or false"}}
    assert loaded_store.get_feature("lots", "L1")["status"].iloc[0] != "reserved"
    assert loaded_store.reports("R1") == reports


@pytest.mark.parametrize(("data", "content_type", "status", "why"), [
    ("notjson", "application/json", 400, "the body is not valid JSON: "),
    ('{"status": "reserved"', "application/json", 400, "the body is not valid JSON: "),
    ('{"status": "reserved"}', "text/plain", 415, "the body is not JSON (Content-Type must be application/json): "),
])
def test_a_body_that_is_not_json_says_so_and_what_to_send(staff, loaded_store, data, content_type, status, why):
    client, token = staff
    before = loaded_store.get_feature("lots", "L1")["version"].iloc[0]
    reports = loaded_store.reports("R1")
    tag = client.get("/api/layers/lots/L1").headers["ETag"]
    patched = client.patch("/api/layers/lots/L1", data=data, content_type=content_type,
                           headers=bearer(token, **{"If-Match": tag}))
    reported = client.post("/api/projects/R1/reports", data=data, content_type=content_type, headers=bearer(token))
    for response in (patched, reported):
        assert response.status_code == status
        assert response.get_json()["error"].startswith(why + "send a JSON object, e.g. {")
    assert loaded_store.get_feature("lots", "L1")["version"].iloc[0] == before
    assert loaded_store.reports("R1") == reports


def test_request_refusals_and_warnings_the_edit_panel_shows_read_in_both_languages(staff, loaded_store):
    client, token = staff
    invalid = client.patch("/api/layers/lots/L1", data="notjson", content_type="application/json",
                           headers=bearer(token, **{"If-Match": client.get("/api/layers/lots/L1").headers["ETag"]}))
    assert invalid.get_json()["message"] == {
        "vi": 'Nội dung gửi lên không phải JSON hợp lệ: hãy gửi một đối tượng JSON, ví dụ {"status": "cleared"}',
        "en": 'The body is not valid JSON: send a JSON object, e.g. {"status": "cleared"}'}
    unmatched = client.patch("/api/layers/lots/L1", json={"tenant": "X"}, headers=bearer(token))
    assert unmatched.status_code == 428
    assert unmatched.get_json()["error"] == "If-Match is required: GET the feature, then send its ETag in If-Match"
    assert unmatched.get_json()["message"]["vi"] == "Cần có If-Match: hãy tải lại đối tượng (GET) rồi gửi ETag của nó trong If-Match"
    stranger = client.patch("/api/layers/lots/L1", json={"tenant": "X"}, headers=bearer(token, **{"If-Match": "abc"}))
    assert stranger.status_code == 412 and stranger.get_json()["error"] == "If-Match 'abc' is not an ETag of this feature; GET it again"
    assert stranger.get_json()["message"]["vi"] == "If-Match 'abc' không phải là ETag của đối tượng này; hãy tải lại đối tượng (GET)"

    def pay(amount, **extra):
        tag = client.get("/api/layers/clearance/P2").headers["ETag"]
        return client.patch("/api/layers/clearance/P2", json={"paid_vnd": amount, **extra}, headers=bearer(token, **{"If-Match": tag}))

    assert pay(5e8).status_code == 200
    asked = pay(4e8)
    assert asked.status_code == 409
    assert asked.get_json()["warnings"] == [
        "layer clearance, feature P2, field paid_vnd: 400,000,000 is lower than the 500,000,000 recorded (a correction?)"]
    assert asked.get_json()["warning_messages"] == {
        "vi": [("Lớp Giải phóng mặt bằng, đối tượng P2, trường Đã chi trả (paid_vnd): 400.000.000 thấp hơn số 500.000.000 "
                "đã ghi nhận (đây là điều chỉnh lại?)")],
        "en": [("Layer Land clearance, feature P2, field Paid (paid_vnd): 400,000,000 is lower than the 500,000,000 "
                "recorded (a correction?)")]}
    assert loaded_store.get_feature("clearance", "P2")["paid_vnd"].iloc[0] == 5e8
