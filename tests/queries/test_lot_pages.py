"""OGC pages of lots (mapapp.queries.lot_pages) started from the marks one walk of the code index leaves
(mapapp.store.code_walk): every offset, in any order, in a process that has read no page before, is the
generic page byte for byte; a write gives the pages new marks. Both backends."""
from __future__ import annotations

import pytest

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.store import code_walk, page_marks, paging
from tests.queries.test_lot_view import fast_page, generic_page

WEB = Actor("leader1", "web")


@pytest.fixture
def fresh(monkeypatch):
    """No mark nor count remembered (a new process), and a mark every 4 positions."""
    monkeypatch.setattr(page_marks, "_MARKS", type(page_marks._MARKS)())
    monkeypatch.setattr(paging, "_COUNTS", {})
    monkeypatch.setattr(code_walk, "STEP", 4)


def test_every_offset_from_the_walks_marks_is_the_generic_page(sample_store, fresh):
    store = sample_store
    n = len(store.read_layer("lots", fields_only=True))
    offsets = [n - 1, 0, 7, 3, n // 2, n - 3, 1, n, n + 4]
    for retired in (False, True):
        for offset in offsets:
            assert fast_page(store, 5, offset, False, retired) == generic_page(store, 5, offset, False, retired), (offset, retired)
    # the first page's walk left a mark every 4 positions: each later page started fewer than 4 rows after one
    with store.engine.connect() as conn:
        key, matched = store.plain_count(conn, "lots", True)
    assert all(offset - page_marks.nearest(key, offset)[0] < 4 for offset in offsets if offset < matched)


def test_a_write_gives_the_pages_new_marks(sample_store, fresh):
    store = sample_store
    n = len(store.read_layer("lots", fields_only=True))
    before = fast_page(store, 3, n - 5)
    codes = store.read_layer("lots", fields_only=True)["code"].tolist()
    apply_features(store, "lots", [], WEB, confirm=True, retire_codes=codes[:2])
    apply_features(store, "lots", [Edit(codes[5], {"tenant": "Công ty mới"})], WEB, confirm=True)
    after = fast_page(store, 3, n - 5)
    assert after == generic_page(store, 3, n - 5) and after != before
