import json
import re

import pytest

from mapapp.pages.vendor import CDN_TO_LOCAL, NODE_MODULES, asset_url


def config_of(html: str) -> dict:
    match = re.search(r"window\.MAPAPP_CONFIG = (\{.*?\});</script>", html, re.S)
    assert match, "page has no MAPAPP_CONFIG"
    return json.loads(match.group(1).replace("<\\/", "</"))


def test_map_page_is_vietnamese_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Bản đồ các khu, cụm công nghiệp tỉnh Hậu Giang" in html
    cfg = config_of(html)
    assert cfg["lang"] == "vi"
    assert cfg["i18n"]["layer.clearance"] == "Giải phóng mặt bằng"


def test_english_with_lang_param_and_cookie(client):
    response = client.get("/?lang=en")
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and "Hậu Giang industrial zones map" in html
    assert config_of(html)["i18n"]["layer.lots"] == "Lots"
    assert "lang=en" in response.headers.get("Set-Cookie", "")
    assert config_of(client.get("/").get_data(as_text=True))["lang"] == "en"  # remembered


def test_layers_are_fetched_not_embedded(client):
    html = client.get("/").get_data(as_text=True)
    cfg = config_of(html)
    assert cfg["layers"]["lots"]["url"] == "/api/layers/lots"
    assert "/api/conflicts" == cfg["layers"]["conflicts"]["url"]
    assert "105.73" not in html  # no coordinates of the data in the page
    assert "Công ty A&B" not in html  # nor attributes
    for name in ("boundaries", "zones", "clearance", "lots", "projects", "conflicts"):
        assert f'"layer": "{name}"' in html


def test_controls_present(client):
    html = client.get("/").get_data(as_text=True)
    assert "L.control.layers" in html
    assert "L.control.fullscreen" in html
    assert "new L.Control.Measure" in html
    assert "Nền trơn (không cần mạng)" in html
    assert html.count("L.tileLayer(") >= 3


@pytest.mark.skipif(not (NODE_MODULES / "leaflet/dist/leaflet.js").is_file(), reason="npm assets not installed (make assets)")
def test_assets_are_served_locally(client):
    html = client.get("/").get_data(as_text=True)
    assert "cdn.jsdelivr.net" not in html and "cdnjs" not in html
    for local in CDN_TO_LOCAL.values():
        assert client.get(f"/vendor/{local}").status_code == 200
        if local.startswith(("chart.js", "axe-core")):  # the charts' pages and the accessibility check use these
            continue
        assert f"/vendor/{local}" in html
    assert client.get("/vendor/leaflet/package.json").status_code == 404
    assert client.get("/vendor/../pyproject.toml").status_code == 404


def test_listed_static_scripts_are_served(client):
    html = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script[^>]*\bsrc="(/static/[^"]+)"', html)
    assert scripts, "the page lists none of mapapp's own scripts"
    for url in scripts:
        assert client.get(url).status_code == 200, url


def test_cdn_fallback_when_local_copy_missing(tmp_path):
    url = next(iter(CDN_TO_LOCAL))
    assert asset_url(url, root=tmp_path) == url
    assert asset_url("https://example.org/x.js") == "https://example.org/x.js"


def test_user_text_in_config_cannot_close_the_script(client):
    html = client.get("/?focus=lots:</script><script>alert(1)</script>").get_data(as_text=True)
    assert "</script><script>alert(1)" not in html
    assert config_of(html)["focus"] == "lots:</script><script>alert(1)</script>"


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response.headers["Location"]).status_code == 200


def test_the_kept_map_parts_follow_every_write_and_each_language(client, loaded_store):
    """The page's parts are kept per data version: a write shows at once, a language never sees another's."""
    from mapapp.changes.features import apply_features
    from mapapp.changes.model import Actor

    before = config_of(client.get("/?lang=vi").get_data(as_text=True))
    assert config_of(client.get("/?lang=vi").get_data(as_text=True)) == before
    lot = loaded_store.get_feature("lots", "L2").iloc[0]
    apply_features(loaded_store, "lots", [], Actor("planner1", "web"), retire_codes=[lot["code"]])
    after = config_of(client.get("/?lang=vi").get_data(as_text=True))
    assert after["layers"]["lots"]["count"] == before["layers"]["lots"]["count"] - 1
    english = config_of(client.get("/?lang=en").get_data(as_text=True))
    assert english["lang"] == "en" and english["i18n"]["layer.lots"] == "Lots"
    assert config_of(client.get("/?lang=vi").get_data(as_text=True))["lang"] == "vi"
