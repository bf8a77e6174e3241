"""Remembered page starts: the nearest position at or before an offset, per query key, bounded."""
from __future__ import annotations

import pytest

from mapapp.store import page_marks


@pytest.fixture(autouse=True)
def _empty(monkeypatch):
    monkeypatch.setattr(page_marks, "_MARKS", type(page_marks._MARKS)())


def test_the_nearest_position_at_or_before_the_offset_of_the_same_query():
    page_marks.remember("q", [(0, "A"), (999, "C"), (5000, "K")])
    assert page_marks.nearest("q", 0) == (0, "A")
    assert page_marks.nearest("q", 1000) == (999, "C")
    assert page_marks.nearest("q", 4999) == (999, "C")
    assert page_marks.nearest("q", 10**6) == (5000, "K")
    assert page_marks.nearest("other query", 1000) is None
    page_marks.remember("r", [(10, "B")])
    assert page_marks.nearest("r", 9) is None


def test_bounded_in_queries_and_marks(monkeypatch):
    monkeypatch.setattr(page_marks, "MAX_QUERIES", 2)
    monkeypatch.setattr(page_marks, "MAX_MARKS", 3)
    page_marks.remember("q", [(i, f"C{i}") for i in range(10)])
    assert page_marks.nearest("q", 9) == (2, "C2")
    page_marks.remember("r", [(0, "A")])
    page_marks.remember("s", [(0, "A")])
    assert page_marks.nearest("q", 9) is None and page_marks.nearest("s", 0) == (0, "A")


def test_a_walks_count_goes_with_its_marks(monkeypatch):
    monkeypatch.setattr(page_marks, "MAX_QUERIES", 2)
    page_marks.remember("q", [(0, "A")])
    assert page_marks.walked("q") is None  # a page's marks: no walk laid them
    page_marks.remember("q", [(0, "A"), (3, "D")], walked=5)
    page_marks.remember("q", [(4, "E")])
    assert page_marks.walked("q") == 5 and page_marks.nearest("q", 4) == (4, "E")
    page_marks.remember("r", [(0, "A")])
    page_marks.remember("s", [(0, "A")])
    # the marks dropped, the walk is forgotten with them: the next count walks again and lays them again
    assert page_marks.walked("q") is None and page_marks.nearest("q", 4) is None
