"""HTML renderings (f=html and Accept: text/html), Vietnamese first, English with ?lang=en, values escaped, local Leaflet."""
from __future__ import annotations

import json

import pytest

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAGES = ["/ogc", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/lots",
         "/ogc/collections/lots/items", "/ogc/collections/lots/items/L1", "/ogc/collections/lots/queryables"]


@pytest.mark.parametrize("path", PAGES)
def test_html_by_parameter_and_by_accept(client, path):
    for response in (client.get(path, query_string={"f": "html"}), client.get(path, headers=BROWSER)):
        assert response.status_code == 200 and response.mimetype == "text/html", path
        assert response.get_data(as_text=True).lstrip().startswith("<!doctype html>")


@pytest.mark.parametrize("path", PAGES)
def test_json_clients_still_get_json(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype != "text/html"


def test_vietnamese_first_english_on_request(client):
    vi = client.get("/ogc/collections?f=html").get_data(as_text=True)
    en = client.get("/ogc/collections?f=html&lang=en").get_data(as_text=True)
    assert '<html lang="vi">' in vi and "Lô đất" in vi and "Các lớp dữ liệu" in vi
    assert '<html lang="en">' in en and "Lots" in en and "Collections" in en


def test_user_text_is_escaped(client):
    html = client.get("/ogc/collections/lots/items?f=html").get_data(as_text=True)
    assert "Công ty A&amp;B &lt;Việt&gt;" in html
    assert "<Việt>" not in html.replace("\\u003c", "")


def test_items_page_has_a_map_from_the_local_leaflet(client):
    html = client.get("/ogc/collections/lots/items?f=html").get_data(as_text=True)
    assert 'src="/vendor/leaflet/dist/leaflet.js"' in html and 'id="map"' in html
    data = html.split('id="map-data">', 1)[1].split("</script>", 1)[0]
    assert [f["id"] for f in json.loads(data)["features"]["features"]] == ["L1", "L2", "L3"]


def test_html_pages_link_their_json(client):
    landing = client.get("/ogc").get_json()
    rels = {l["rel"]: l for l in landing["links"]}
    assert rels["alternate"]["type"] == "text/html"
    assert client.get(rels["alternate"]["href"]).mimetype == "text/html"


def test_personal_data_not_in_public_html(client):
    html = client.get("/ogc/collections/clearance/items?f=html").get_data(as_text=True)
    assert "Nguyễn Văn A" not in html and "households" not in html


def test_map_page_links_to_the_service(client):
    for lang, label in (("vi", "Dữ liệu GIS (OGC)"), ("en", "GIS data (OGC)")):
        html = client.get(f"/?lang={lang}").get_data(as_text=True)
        assert f'href="/ogc?lang={lang}"' in html and label in html
