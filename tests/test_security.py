"""Cross-site requests cannot change data; pages carry protective headers."""
import json

import pytest

from tests.conftest import bearer, csrf_of, sign_in


def test_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("header", ["Origin", "Referer"])
def test_a_report_posted_from_another_site_is_refused_and_stores_nothing(client, loaded_store, header):
    before = loaded_store.reports("R1")
    value = "https://evil.example" if header == "Origin" else "https://evil.example/page.html"
    response = client.post("/projects/R1/reports", data={"percent": "60", "date": "2018-06-01"}, headers={header: value})
    assert response.status_code == 403
    assert "https://evil.example" in response.get_json()["error"]
    assert loaded_store.reports("R1") == before


def test_an_edit_from_another_site_is_refused(client, loaded_store):
    response = client.patch("/api/layers/clearance/P2", json={"status": "cleared"}, headers={"Origin": "http://10.0.0.9:5000"})
    assert response.status_code == 403
    assert loaded_store.get_feature("clearance", "P2")["status"].iloc[0] == "disputed"


def test_same_site_and_token_requests_go_through(client, loaded_store, make_user):
    token = make_user(loaded_store, "leader1", "leader")
    sign_in(client, "leader1")
    form = {"percent": "60", "date": "2018-06-01", "confirm": "1", "csrf_token": csrf_of(client)}
    same = client.post("/projects/R1/reports", data=form, headers={"Origin": "http://localhost"})
    assert same.status_code == 303
    tag = client.get("/api/layers/clearance/P2").headers["ETag"]
    scripted = client.application.test_client().patch(
        "/api/layers/clearance/P2", json={"status": "cleared"}, headers=bearer(token, **{"If-Match": tag}))
    assert scripted.status_code == 200
    assert json.loads(scripted.get_data(as_text=True))["properties"]["status"] == "cleared"


def test_behind_a_proxy_the_public_host_counts(loaded_store, db_url, make_user):
    from mapapp import create_app

    client = create_app({"database": db_url, "behind_proxy": True, "trusted_hosts": ("kcn.haugiang.example",)}).test_client()
    token = make_user(loaded_store, "leader1", "leader")
    headers = {"X-Forwarded-Host": "kcn.haugiang.example", "X-Forwarded-Proto": "https", "Origin": "https://kcn.haugiang.example"}
    response = client.post("/api/projects/R1/reports", json={"percent": 60, "date": "2018-06-01", "confirm": True},
                           headers=bearer(token, **headers))
    assert response.status_code == 201
    assert client.get("/", headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}).status_code == 400
    links = client.get("/ogc", headers=headers).get_json()["links"]
    assert all(link["href"].startswith("https://kcn.haugiang.example/") for link in links)
