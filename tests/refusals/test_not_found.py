"""What is not there is said in both languages: every ``NotFound`` carries a catalog reason; the API and the OGC
service answer its English ``error`` (as before) with a ``message`` in each UI language, and a page says in its
own language what it did not find (as text, never markup)."""
from __future__ import annotations

import ast
import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from markupsafe import escape

from mapapp.changes.blockers import set_blocker_state
from mapapp.changes.clearance import record_step
from mapapp.changes.directives import set_directive_status
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.changes.revert import revert, undo_change
from mapapp.errors import NotFound
from mapapp.queries import clearance as q
from mapapp.queries.projects import project_detail
from tests.pages.test_clearance_pages import public_client, sample_client  # noqa: F401 (fixtures)
from tests.refusals.test_catalog import VIETNAMESE
from tests.refusals.test_every_refusal import assert_bilingual, refusal_of

PACKAGE = Path(__file__).resolve().parents[2] / "mapapp"
WEB = Actor("planner1", "api")


def test_every_not_found_in_mapapp_is_raised_with_a_catalog_reason():
    bare = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and getattr(node.exc.func, "id", "") == "NotFound":
                arg = node.exc.args[0] if node.exc.args else None
                # English text as written, formatted or taken from another exception: one language only
                if arg is None or isinstance(arg, (ast.JoinedStr, ast.Constant, ast.BinOp)) or (
                        isinstance(arg, ast.Call) and getattr(arg.func, "id", "") in ("str", "format")):
                    bare.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not bare, bare


def test_what_the_write_path_and_the_queries_do_not_find_reads_in_vietnamese(sample_store):
    at = dt.date(2018, 12, 1)
    calls = [
        lambda: sample_store.get_feature("lots", "NOPE"),
        lambda: apply_features(sample_store, "lots", [Edit("NOPE", {"status": "leased"})], WEB, confirm=True),
        lambda: record_step(sample_store, "NOPE", "payment", "2018-12-20", WEB, doc_type="Biên bản chi trả", doc_number="31/BB-CT"),
        lambda: set_blocker_state(sample_store, "NOPE", "in_progress", WEB),
        lambda: set_directive_status(sample_store, 99, "done", WEB),
        lambda: revert(sample_store, 10**9, WEB),
        lambda: undo_change(sample_store, "no-such-change", WEB),
        lambda: q.blocker_view(sample_store, "NOPE", at),
        lambda: q.matrix_for(sample_store, "NOPE", at),
        lambda: project_detail(sample_store, "NOPE", at, True),
    ]
    before = sample_store.get_meta("data_version")
    for call in calls:
        exc = refusal_of(call)
        assert isinstance(exc, NotFound), exc
        assert_bilingual(exc)
    assert sample_store.get_meta("data_version") == before


@pytest.mark.parametrize(("path", "english", "vietnamese"), [
    ("/api/layers/lots/NOPE", "no feature 'NOPE' in layer lots", "Không có đối tượng 'NOPE' trong lớp Lô đất"),
    ("/api/layers/nope", "unknown layer 'nope'; layers are: boundaries, zones, lots, clearance, projects",
     "Không có lớp 'nope'; các lớp là: boundaries, zones, lots, clearance, projects"),
    ("/ogc/collections/nope/items", None, "Không có bộ sưu tập (collection) 'nope'"),
    ("/ogc/collections/lots/items/NOPE", "no feature 'NOPE' in collection lots", "Không có đối tượng 'NOPE' trong bộ sưu tập lots"),
    ("/api/projects/NOPE", "no project with code 'NOPE'", "Không có công trình mã 'NOPE'"),
])
def test_the_api_answers_what_it_did_not_find_in_both_languages(public_client, path, english, vietnamese):
    client, _ = public_client
    response = client.get(path)
    assert response.status_code == 404 and response.is_json
    body = response.get_json()
    assert body["message"]["en"] == body["error"] and (english is None or body["error"] == english)
    assert body["message"]["vi"].startswith(vietnamese) and unicodedata.is_normalized("NFC", body["message"]["vi"])
    assert VIETNAMESE & set(body["message"]["vi"].lower())


@pytest.mark.parametrize("path", ["/api/layers/lots/%3Cb%3EX%3C%2Fb%3E", "/api/khong-co", "/ogc/collections/lots/x/y"])
def test_a_path_no_route_answers_says_so_in_both_languages(public_client, path):
    """A path no route answers (a code holding "/", a typo) has no mapapp reason: the JSON still reads in both."""
    client, _ = public_client
    response = client.get(path)
    assert response.status_code == 404 and response.is_json
    body = response.get_json()
    assert body["message"] == {"vi": "Không tìm thấy trang", "en": "Page not found"} and body["error"]


@pytest.mark.parametrize(("lang", "line"), [("vi", "Không có thửa đất '<b>P' trong lớp Giải phóng mặt bằng"),
                                            ("en", "no parcel '<b>P' in layer clearance")])
def test_a_page_says_what_it_did_not_find_in_its_language_as_text(sample_client, lang, line):
    client, _ = sample_client
    response = client.get(f"/clearance/parcels/%3Cb%3EP?lang={lang}", headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert f'<p class="error-what">{escape(line)}</p>' in page and "<b>P" not in page


@pytest.mark.parametrize(("path", "vietnamese"), [("/tiles/nope/1/0/0.pbf", "Không có ô bản đồ (tile) cho lớp 'nope'"),
                                                  ("/tiles/lots/1/5/0.pbf", "Ô bản đồ 1/5/0 nằm ngoài lưới")])
def test_a_tile_out_of_range_says_why_in_both_languages(public_client, path, vietnamese):
    client, _ = public_client
    response = client.get(path)
    assert response.status_code == 404 and response.get_json()["message"]["vi"].startswith(vietnamese)
    assert response.get_json()["message"]["en"] == response.get_json()["error"]
