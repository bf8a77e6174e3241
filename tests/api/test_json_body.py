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
        assert response.status_code == 400 and response.get_json() == {"error": "confirm must be true or false"}
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
