"""One walk of a layer's code index (mapapp.store.code_walk): its count and the codes at every step-th position,
active features or all, the layer's own code order; both backends."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor
from mapapp.store import code_walk, page_marks, paging

WEB = Actor("leader1", "web")


def ordered_codes(store, layer: str, include_retired: bool) -> list[str]:
    """The layer's codes in the database's own code order (its collation), as a page reads them."""
    where = "" if include_retired else " WHERE retired_at IS NULL"
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(text(f"SELECT code FROM {layer}{where} ORDER BY code"))]


def test_the_count_and_every_step_th_code_active_or_all(sample_store):
    store = sample_store
    codes = ordered_codes(store, "lots", True)
    apply_features(store, "lots", [], WEB, confirm=True, retire_codes=[codes[1], codes[-1]])
    for retired in (False, True):
        expected = ordered_codes(store, "lots", retired)
        for step in (1, 2, 3, 7, len(expected) - 1, len(expected), len(expected) + 1, 1000):
            with store.engine.connect() as conn:
                matched, marks = code_walk.walk(conn, "lots", retired, step)
            assert matched == len(expected), (retired, step)
            assert marks == [(i, expected[i]) for i in range(0, len(expected), step)], (retired, step)


def test_a_layer_with_no_active_feature(sample_store):
    store = sample_store
    codes = ordered_codes(store, "projects", True)
    apply_features(store, "projects", [], WEB, confirm=True, retire_codes=codes)
    with store.engine.connect() as conn:
        assert code_walk.walk(conn, "projects", False, 2) == (0, [])
        assert code_walk.walk(conn, "projects", True, 2) == (len(codes), [(i, codes[i]) for i in range(0, len(codes), 2)])


def test_the_plain_count_remembers_a_mark_every_step_for_the_pages(sample_store, monkeypatch):
    store = sample_store
    monkeypatch.setattr(page_marks, "_MARKS", type(page_marks._MARKS)())
    monkeypatch.setattr(paging, "_COUNTS", {})
    monkeypatch.setattr(code_walk, "STEP", 3)
    expected = ordered_codes(store, "lots", False)
    # the same query counted by a generic page first (no walk, no marks): the plain count walks all the same
    assert store.read_page("lots", limit=1)[1] == len(expected)
    with store.engine.connect() as conn:
        key, matched = store.plain_count(conn, "lots")
    assert matched == len(expected)
    # a page at any offset starts fewer than STEP rows after a remembered code
    for offset in range(len(expected)):
        assert page_marks.nearest(key, offset) == (offset - offset % 3, expected[offset - offset % 3]), offset
