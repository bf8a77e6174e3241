"""Cross-site requests cannot change data; pages carry protective headers."""
import json

import pytest


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


def test_same_site_and_header_less_requests_go_through(client, loaded_store):
    same = client.post("/projects/R1/reports", data={"percent": "60", "date": "2018-06-01"}, headers={"Origin": "http://localhost"})
    assert same.status_code == 303
    scripted = client.patch("/api/layers/clearance/P2", json={"status": "cleared"})
    assert scripted.status_code == 200
    assert json.loads(scripted.get_data(as_text=True))["properties"]["status"] == "cleared"


def test_behind_a_proxy_the_public_host_counts(loaded_store, db_url):
    from mapapp import create_app

    client = create_app({"database": db_url, "behind_proxy": True}).test_client()
    headers = {"X-Forwarded-Host": "kcn.haugiang.example", "X-Forwarded-Proto": "https", "Origin": "https://kcn.haugiang.example"}
    response = client.post("/projects/R1/reports", data={"percent": "60", "date": "2018-06-01"}, headers=headers)
    assert response.status_code == 303
    links = client.get("/ogc", headers=headers).get_json()["links"]
    assert all(link["href"].startswith("https://kcn.haugiang.example/") for link in links)
