"""JSON errors everywhere under /ogc and /api (unknown routes too), trailing slashes, CORS for reads."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/ogc/", "/ogc/conformance/", "/ogc/collections/", "/ogc/collections/lots/",
                                  "/ogc/collections/lots/items/", "/ogc/collections/lots/items/L1/", "/ogc/api/",
                                  "/ogc/collections/lots/queryables/"])
def test_trailing_slashes_answer_without_redirect(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.get_json(force=True)


@pytest.mark.parametrize("path", ["/ogc/nowhere", "/ogc/collections/lots/items/L1/more", "/api/nowhere", "/api/layers/lots/L1/x"])
def test_unknown_routes_are_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert response.get_json()["error"]


def test_wrong_method_is_json_405(client):
    response = client.delete("/ogc/collections")
    assert response.status_code == 405 and response.get_json()["error"]


def test_bad_query_follows_the_ogc_exception_schema(client):
    body = client.get("/ogc/collections/lots/items?limit=0").get_json()
    assert body["code"] == "InvalidParameterValue" and body["description"] == body["error"]


def test_pages_keep_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("path", ["/ogc", "/ogc/collections/lots/items", "/api/layers", "/ogc/nowhere"])
def test_reads_are_open_to_other_sites(client, path):
    response = client.get(path, headers={"Origin": "https://qgis.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_pages_do_not_get_cors(client):
    assert "Access-Control-Allow-Origin" not in client.get("/no-such-page").headers


def test_writes_get_no_cors(client):
    response = client.patch("/api/layers/lots/L1", json={"status": "available"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403 and "Access-Control-Allow-Origin" not in response.headers
