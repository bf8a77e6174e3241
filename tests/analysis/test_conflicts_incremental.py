"""The conflicts of some features only, from their surroundings: the same rows as a full run."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

from mapapp.analysis.conflicts import find_conflicts
from mapapp.analysis.conflicts.incremental import (
    conflicts_involving,
    search_boxes,
    with_twins,
)

LAYERS = ("zones", "lots", "clearance", "projects")


@pytest.fixture(scope="module")
def province():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from synthetic import province

    data = province(1500, seed=5)
    rng = np.random.default_rng(5)
    uncleared = rng.random(len(data["clearance"])) < 0.2
    data["clearance"].loc[uncleared, "status"] = "disputed"
    return data


def rows(frame) -> list[tuple]:
    geoms = shapely.to_wkb(np.asarray(frame.geometry.values, dtype=object), hex=True) if len(frame) else []
    return sorted(
        (r.id, r.type, tuple(r.codes), tuple(r.layers), r.zone_code, repr(r.area_m2), repr(r.length_m), r.severity,
         r.description, r.description_en, g)
        for r, g in zip(frame.itertuples(), geoms)
    )


def involving(found, keys):
    return found[[any(m in keys for m in zip(layers, codes)) for layers, codes in zip(found["layers"], found["codes"])]]


def surroundings(data, keys):
    """What the store reads for ``keys``: spatial partners in boxes around them, zones by code, a zone's lots and projects."""
    changed = {layer: data[layer][data[layer]["code"].isin([c for la, c in keys if la == layer])] for layer in LAYERS}
    boxes = search_boxes(np.concatenate([np.asarray(f.geometry.values, dtype=object) for f in changed.values()]))
    near = {layer: data[layer][np.any([data[layer].intersects(shapely.box(*b)) for b in boxes], axis=0)] for layer in LAYERS}
    zone_codes = set(changed["lots"]["zone_code"]) | set(changed["projects"]["zone_code"]) | set(changed["zones"]["code"])
    near["zones"] = data["zones"][data["zones"]["code"].isin(zone_codes) | data["zones"].index.isin(near["zones"].index)]
    for layer in ("lots", "projects"):
        near[layer] = data[layer][data[layer]["zone_code"].isin(changed["zones"]["code"]) | data[layer].index.isin(near[layer].index)]
    return near


def test_find_conflicts_does_not_depend_on_the_order_of_the_rows(province):
    full = find_conflicts(*(province[layer] for layer in LAYERS))
    shuffled = [province[layer].sample(frac=1.0, random_state=3) for layer in LAYERS]
    assert len(full) > 50 and rows(find_conflicts(*shuffled)) == rows(full)


@pytest.mark.parametrize("pick", [0, 1, 2])
def test_the_conflicts_of_some_features_from_their_surroundings_equal_the_full_runs(province, pick):
    full = find_conflicts(*(province[layer] for layer in LAYERS))
    rng = np.random.default_rng(pick)
    in_conflict = sorted({(la, c) for layers, codes in zip(full["layers"], full["codes"]) for la, c in zip(layers, codes)})
    keys = {in_conflict[i] for i in rng.choice(len(in_conflict), 8, replace=False)}
    keys |= {("lots", str(province["lots"]["code"].iloc[int(rng.integers(len(province["lots"])))]))}
    keys = with_twins(keys)
    near = surroundings(province, keys)
    assert len(near["lots"]) < len(province["lots"]) / 2  # a neighbourhood, not the province
    got = conflicts_involving(*(near[layer] for layer in LAYERS), keys)
    want = involving(full, keys)
    assert len(want) >= 8 and rows(got) == rows(want)


def test_a_feature_in_no_conflict_has_none_and_an_unknown_one_neither(province):
    assert conflicts_involving(*(province[layer].iloc[:0] for layer in LAYERS), {("lots", "NOPE")}).empty


def test_search_boxes_cover_each_geometry_with_a_margin_and_merge_neighbours():
    a, b, far = shapely.box(105.0, 9.0, 105.001, 9.001), shapely.box(105.001, 9.0, 105.002, 9.001), shapely.box(105.5, 9.5, 105.501, 9.501)
    boxes = search_boxes(np.array([a, b, far, shapely.Polygon(), None], dtype=object))
    assert len(boxes) == 2
    for geom in (a, b, far):
        assert any(shapely.box(*box).contains(geom.buffer(9e-5)) for box in boxes)
    assert search_boxes(np.array([], dtype=object)).shape == (0, 4)


def test_twins_are_the_lot_and_the_project_of_one_code():
    assert with_twins({("lots", "A"), ("clearance", "B"), ("zones", "Z")}) == {
        ("lots", "A"), ("projects", "A"), ("clearance", "B"), ("zones", "Z")}
