"""The column-wise GeoJSON writer writes exactly, byte for byte, what the row-by-row one wrote."""
from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from mapapp.geojson import INTERNAL, collection_json, feature_json, oriented, visible
from mapapp.layers import LAYERS
from mapapp.queries.layers import layer_view
from mapapp.sources.sample import load_sample

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic import province  # noqa: E402


# --- the reference: mapapp/geojson.py as it was before it wrote columns at once ---------------------
def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is not None and not isinstance(value, (str, int, float, bool)):
        try:
            if value != value:  # pandas NA/NaT
                return None
        except (TypeError, ValueError):
            pass
        return str(value)
    return value


def _reference_properties(frame):
    columns = [c for c in frame.columns if c not in INTERNAL and c != frame.geometry.name]
    extras = frame["props"].tolist() if "props" in frame.columns else [{}] * len(frame)
    records = frame[columns].to_dict("records")
    return [
        {**{k: _plain(v) for k, v in (extra or {}).items() if k not in INTERNAL}, **{k: _plain(v) for k, v in rec.items()}}
        for rec, extra in zip(records, extras)
    ]


def _reference_features(frame, id_column="code", layer=None, staff=None):
    frame = visible(frame, layer, staff)
    geoms = shapely.to_geojson(oriented(frame.geometry.values), indent=None)
    props = _reference_properties(frame)
    if id_column is None or id_column not in frame.columns:
        heads = ['{"type":"Feature",'] * len(frame)
    else:
        heads = ['{"type":"Feature","id":%s,' % json.dumps(_plain(fid), ensure_ascii=False) for fid in frame[id_column].tolist()]
    return [
        '%s"geometry":%s,"properties":%s}' % (head, "null" if g is None else g, json.dumps(p, ensure_ascii=False, allow_nan=False))
        for head, g, p in zip(heads, geoms, props)
    ]


def reference_collection(frame, id_column="code", extra=None, layer=None, staff=None):
    head = "".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}," for k, v in (extra or {}).items())
    return '{"type":"FeatureCollection",%s"features":[%s]}' % (head, ",".join(_reference_features(frame, id_column, layer, staff)))
# ------------------------------------------------------------------------------------------------------


def assert_same(frame, id_column="code", layer=None, staff=None, extra=None):
    expected = reference_collection(frame, id_column, extra, layer, staff)
    assert collection_json(frame, id_column, extra, layer, staff) == expected
    if len(frame):
        assert feature_json(frame, id_column, layer, staff) == _reference_features(frame.iloc[:1], id_column, layer, staff)[0]
    json.loads(expected)  # the reference itself is valid JSON: the comparison means something


@pytest.mark.parametrize("staff", [True, False])
def test_sample_layers_and_conflicts_are_written_as_before(store, staff):
    load_sample(store)
    for layer in LAYERS:
        frame = layer_view(store, layer, staff=True, include_retired=True)
        assert len(frame), layer
        assert_same(frame, layer=layer, staff=staff, extra={"layer": layer})
    conflicts = store.read_conflicts()
    assert len(conflicts)
    assert_same(conflicts, id_column="id", extra={"computed_at": store.get_meta("conflicts_computed_at")})


ODD = "Lô \"A\" </script> Hậu Giang\n\t\\ ✓"


def _odd(frame: gpd.GeoDataFrame, seed: int) -> gpd.GeoDataFrame:
    """``frame`` with every kind of value a layer view can carry, in random rows."""
    rng = np.random.default_rng(seed)
    n = len(frame)
    frame = frame.copy()
    pick = rng.random(n)
    frame["code"] = frame["code"].astype("str")
    frame.loc[pick < 0.05, "code"] = ODD
    frame["float_nan"] = np.where(pick < 0.3, np.nan, rng.normal(size=n) * 1e6)
    frame.loc[pick > 0.97, "float_nan"] = np.inf
    frame["int64"] = rng.integers(-2**40, 2**40, n)
    frame["uint8"] = rng.integers(0, 255, n).astype(np.uint8)
    frame["float32"] = rng.random(n).astype(np.float32)
    frame["flag"] = pick < 0.5
    mixed = [None, np.nan, np.int64(3), np.float64(2.5), np.bool_(True), ODD, [1, np.nan, "x"], [ODD, "b"], [], {"a": np.int32(1), "b": [None, 2.0]},
             dt.date(2026, 5, 1), pd.Timestamp("2026-05-01 12:30"), pd.NaT, pd.NA, np.array([1.5, 2.0]), (1, "t"), 7, 1.25, True, ""]
    frame["mixed"] = pd.Series([mixed[i % len(mixed)] for i in rng.permutation(n)], index=frame.index, dtype=object)
    frame["nullable_int"] = pd.array([None if p < 0.2 else int(p * 100) for p in pick], dtype="Int64")
    frame["text"] = pd.array([None if p < 0.2 else ODD + str(i) for i, p in enumerate(pick)], dtype="string")
    frame["when"] = pd.to_datetime(np.where(pick < 0.2, None, "2026-01-02")).as_unit("s")
    frame["cat"] = pd.Categorical(np.where(pick < 0.5, "a", "b"))
    props = [{} for _ in range(n)]
    for i in np.flatnonzero(pick < 0.25):
        props[i] = {"colour": ODD, "code": "shadowed", "search_text": "internal", "n": np.int64(i), "gone": np.nan, "l": [1, {"x": None}]}
    frame["props"] = props
    return frame


@pytest.mark.parametrize("staff", [True, False])
def test_a_synthetic_province_with_odd_values_is_written_as_before(staff):
    data = province(2000, seed=5)
    for layer in ("zones", "lots", "clearance", "projects"):
        frame = data[layer]
        assert_same(frame, layer=layer, staff=staff)
        assert_same(_odd(frame, seed=len(layer)), layer=layer, staff=staff, extra={"layer": layer, "n": ODD})
    assert_same(_odd(data["lots"], seed=1), id_column=None)
    for seed, id_column in enumerate(("int64", "nullable_int", "mixed", "text", "float_nan")):
        assert_same(_odd(data["lots"], seed=seed), id_column=id_column)


def test_frames_without_rows_columns_or_geometry_are_written_as_before():
    lots = province(2000, seed=6)["lots"].head(40)
    assert_same(lots.iloc[:0])
    assert_same(lots[["geometry"]], id_column=None)
    holed = lots.copy()
    holed.loc[holed.index[::3], "geometry"] = None
    assert_same(holed)
    twice = pd.concat([lots[["code", "status"]], lots[["status"]].rename(columns={"status": "code"})], axis=1)
    with pytest.warns(UserWarning, match="not unique"):  # pandas says so in the reference; the output is the same
        assert_same(gpd.GeoDataFrame(twice, geometry=lots.geometry.values, crs=lots.crs), id_column="status")


@pytest.mark.parametrize("values", [
    [], [None, None], ["a", None, "Đông \"x\""], [1.5, None, float("nan"), float("inf"), -0.0, 1e-7], [1, 2, 3],
    [1, None, 3], [1, 2.5], [True, False], [True, None], [dt.date(2026, 1, 2), None], [dt.date(2026, 1, 2)],
    [[], ["P1", "P2"], None], [[1, 2], ["x"]], [{"a": 1}, None], ["a", 1], [np.float64(1.25), None],
])
def test_list_texts_write_what_the_frame_of_the_list_writes(values):
    from mapapp.geojson import _column_texts, list_texts

    assert list_texts(values) == _column_texts(pd.DataFrame({"c": values})["c"]) if values else list_texts(values) == []
