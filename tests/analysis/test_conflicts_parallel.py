"""The rules' GEOS work over a thread pool: exactly the conflicts of one thread, whatever the chunks."""
from __future__ import annotations

import itertools
import os
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import shapely

from mapapp.analysis.conflicts import find_conflicts, parallel
from mapapp.errors import SettingError

LAYERS = ("zones", "lots", "clearance", "projects")


@pytest.fixture(scope="module")
def province():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from synthetic import province

    data = province(1500, seed=7, rotate=True)
    rng = np.random.default_rng(7)
    data["clearance"].loc[rng.random(len(data["clearance"])) < 0.3, "status"] = "disputed"
    return data


def rows(frame) -> list[tuple]:
    """Every column of every conflict, the geometry as WKB, in the result's order."""
    geoms = shapely.to_wkb(np.asarray(frame.geometry.values, dtype=object))
    return [(r.id, r.type, tuple(r.codes), tuple(r.layers), r.zone_code, repr(r.area_m2), repr(r.length_m), r.severity,
             r.description, r.description_en, g) for r, g in zip(frame.itertuples(), geoms)]


def pool_threads() -> int:
    return sum(t.name.startswith("conflicts") for t in threading.enumerate())


def test_two_threads_in_small_chunks_find_exactly_what_one_thread_finds(province):
    one = find_conflicts(*(province[layer] for layer in LAYERS), threads=1)
    with parallel.threads(2, min_chunk=16):
        two = find_conflicts(*(province[layer] for layer in LAYERS))
        assert pool_threads() == 2  # the work was handed to the pool, not run in the calling thread
    assert set(one["type"]) >= {"lot_overlap", "lot_on_uncleared_land", "outside_zone", "project_on_uncleared_land"}
    assert rows(two) == rows(one)


def test_one_thread_opens_no_pool():
    with parallel.threads(1):
        assert parallel.bounds_of(10**6) == [(0, 10**6)] and pool_threads() == 0


def test_chunks_cover_every_element_once_and_stay_under_the_longest():
    with parallel.threads(2, min_chunk=10):
        spans = parallel.bounds_of(1000, most=100)
        assert spans[0][0] == 0 and spans[-1][1] == 1000 and len(spans) == 10
        assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
        boxes = shapely.box(np.arange(100.0), 0, np.arange(100.0) + 1.5, 1)
        area, empty = parallel.chunked(lambda g, h: (shapely.area(shapely.intersection(g, h)), shapely.is_empty(g)),
                                       boxes, boxes[::-1])
        assert np.array_equal(area, shapely.area(shapely.intersection(boxes, boxes[::-1]))) and not empty.any()


def test_group_chunks_never_split_a_group():
    groups = np.random.default_rng(1).integers(0, 30, 500)
    with parallel.threads(2, min_chunk=20):
        chunks = parallel.group_chunks(groups)
    assert len(chunks) > 1
    assert np.array_equal(np.sort(np.concatenate(chunks)), np.arange(500))
    labels = [set(groups[c]) for c in chunks]
    assert all(not (a & b) for i, a in enumerate(labels) for b in labels[i + 1:])


def test_the_setting_names_the_threads_and_defaults_to_the_usable_cores(monkeypatch):
    monkeypatch.delenv(parallel.SETTING, raising=False)
    assert parallel.default_threads() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(parallel.SETTING, "3")
    assert parallel.default_threads() == 3
    monkeypatch.setenv(parallel.SETTING, "0")
    with pytest.raises(SettingError, match=parallel.SETTING):
        parallel.default_threads()
