"""Every page in both languages shows no string of the other language's catalogue; data values come in
the page's language where a translation exists; a missing page says so in the reader's language."""
from __future__ import annotations

import pytest

from mapapp import create_app
from mapapp.sources.sample import load_sample
from mapapp.store.backend import Store
from tests.pages.language_check import foreign_in, foreign_strings, visible_text

PAGES = [
    "/", "/land", "/conflicts", "/conflicts?type=outside_zone", "/dashboard", "/directives",
    "/projects/PRJ-SH-ROAD", "/projects/PRJ-TPT-R1", "/print", "/print?focus=lots:PHA-A01", "/no-such-page",
    "/projects/NO-SUCH-PROJECT",
]


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('lang') / 'sample.sqlite'}"
    store = Store(url)
    store.init_schema()
    load_sample(store)
    return create_app({"database": url, "basemap": "plain"}).test_client()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_shows_no_string_of_the_other_language(sample_client, path, lang):
    response = sample_client.get(path + ("&" if "?" in path else "?") + f"lang={lang}", headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert foreign_in(visible_text(page), lang) == []


def test_the_check_finds_a_foreign_string():
    """It can fail: an English label on a Vietnamese page, a Vietnamese one on an English page."""
    assert "Planning conflicts" in foreign_strings("vi") and "Xung đột quy hoạch" in foreign_strings("en")
    assert foreign_in("Bản đồ · Planning conflicts", "vi") == ["Planning conflicts"]
    assert foreign_in("<p>Lô đất</p>", "en") == ["Lô đất"]


@pytest.mark.parametrize(("lang", "title"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_missing_page_is_a_page_in_the_readers_language(sample_client, lang, title):
    response = sample_client.get(f"/no/such/page?lang={lang}", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert f"<h1>{title}</h1>" in response.get_data(as_text=True)


def test_api_and_ogc_keep_answering_json(sample_client):
    for path in ("/api/no-such", "/api/layers/lots/NO-SUCH", "/ogc/collections/lots/items/NO-SUCH", "/lots/NO-SUCH/issues"):
        response = sample_client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 404 and response.is_json and response.get_json()["error"], path


def test_english_pages_show_english_data_where_it_exists(sample_client):
    conflicts = sample_client.get("/conflicts?lang=en").get_data(as_text=True)
    assert "Song Hau Industrial Zone" in conflicts and ">KCN Sông Hậu<" not in conflicts
    land = sample_client.get("/land?lang=en").get_data(as_text=True)
    assert "Châu Thành district" in land and "Huyện Châu Thành" not in land
    assert "Hậu Giang Industrial Zone Infrastructure Development Company" in land
    directives = sample_client.get("/directives?lang=en").get_data(as_text=True)
    assert "Hậu Giang Industrial Zones Authority" in directives and "Ban Quản lý" not in directives
    vietnamese = sample_client.get("/directives?lang=vi").get_data(as_text=True)
    assert "Ban Quản lý các KCN tỉnh Hậu Giang" in vietnamese
