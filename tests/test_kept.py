"""mapapp.kept: values kept by key, the least recently asked dropped first, made once by one thread."""
from __future__ import annotations

import threading
import time

import pytest

from mapapp.kept import Kept


def test_the_least_recently_asked_value_goes_first():
    kept: Kept[str] = Kept(2)
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    assert kept.get("a", make("a")) == "A"
    kept.get("b", make("b"))
    kept.get("a", make("a"))  # asked again: "b" is now the oldest
    kept.get("c", make("c"))
    kept.get("a", make("a"))
    kept.get("b", make("b"))
    assert made == ["a", "b", "c", "b"]


def test_a_failed_make_keeps_nothing_and_the_next_request_makes_it():
    kept: Kept[int] = Kept(4)

    def broken() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        kept.get("k", broken)
    assert kept.get("k", lambda: 7) == 7


def test_requests_together_make_a_key_once():
    kept: Kept[int] = Kept(4)
    start, made = threading.Barrier(8), []

    def make() -> int:
        made.append(1)
        time.sleep(0.05)  # long enough for every other request to arrive while it is made
        return len(made)

    answers: list[int] = []
    threads = [threading.Thread(target=lambda: (start.wait(), answers.append(kept.get("k", make)))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [1] * 8 and made == [1]
