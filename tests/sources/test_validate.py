"""Checking a file's features (mapapp.sources.validate): column by column when all is well, the same answer as row by row."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from mapapp.errors import ImportRefused
from mapapp.layers import LAYERS
from mapapp.sources import validate as validating
from mapapp.values import PLAIN
from tests.builders import mbox

LOTS = LAYERS["lots"]


def lots_frame(count: int, **columns) -> gpd.GeoDataFrame:
    """``count`` lots in zone Z1 (repeated values, as a cadastre has), with ``columns`` replacing the defaults."""
    base = {"code": [f"L{i}" for i in range(count)], "zone_code": ["Z1"] * count, "land_use": ["factory", "warehouse"] * (count // 2),
            "status": ["leased"] * count, "tenant": [None, "  Công ty A "] * (count // 2), "price_usd_m2": [55.0, np.nan] * (count // 2)}
    base.update(columns)
    return gpd.GeoDataFrame(base, geometry=[mbox(10 * i, 0, 10 * i + 5, 5) for i in range(count)], crs="EPSG:4326")


def by_rows(frame: gpd.GeoDataFrame) -> dict[str, list]:
    columns = {f.name: frame[f.name].to_numpy() if f.name in frame.columns else None for f in LOTS.fields}
    return validating._typed_rows(LOTS, columns, len(frame), {"Z1"}, PLAIN)


def test_a_clean_file_is_typed_column_by_column_as_row_by_row():
    frame = lots_frame(10, code=[f"L{i}" for i in range(9)] + [7.0])  # a code written as a number
    columns = {f.name: frame[f.name].to_numpy() if f.name in frame.columns else None for f in LOTS.fields}
    fast = validating._typed_columns(LOTS, columns, len(frame), {"Z1"}, PLAIN)
    assert fast is not None and fast == by_rows(frame)
    checked = validating.validate(LOTS, frame, zone_codes={"Z1"})
    assert list(checked["code"]) == fast["code"] and checked["tenant"][1] == "Công ty A"


@pytest.mark.parametrize("columns, field, feature", [
    ({"status": ["leased"] * 5 + ["sold?"] + ["leased"] * 4}, "status", 6),
    ({"zone_code": ["Z1"] * 3 + ["Z9"] * 7}, "zone_code", 4),
    ({"code": [f"L{i}" for i in range(9)] + ["L2"]}, "code", 10),
    ({"code": [f"L{i}" for i in range(4)] + [None] * 6}, "code", 5),
    # True equals 1 as a dict key; it is no code, whatever was parsed before it
    ({"code": [1, 2, 3, True, 5, 6, 7, 8, 9, 10]}, "code", 4),
    ({"tenant": ["A"] * 7 + [["a", "list"]] + ["A"] * 2}, "tenant", 8),
])
def test_the_first_problem_is_named_as_row_by_row_would(columns, field, feature):
    frame = lots_frame(10, **columns)
    with pytest.raises(ImportRefused) as refused:
        validating.validate(LOTS, frame, zone_codes={"Z1"})
    assert (refused.value.field, refused.value.feature) == (field, feature)
    with pytest.raises(ImportRefused) as again:
        by_rows(frame)
    assert str(again.value) == str(refused.value)


@pytest.mark.parametrize("codes", [
    ["L1", " L2 ", "KCN-HA\u0302\u0323U", "x"],  # stripped, composed
    ["L1", "   "],  # blank: the value by value parse
    ["L1", 3, 4.0],  # numbers: their integer text
])
def test_codes_typed_as_a_column_are_those_typed_value_by_value(codes):
    from mapapp.layers import LAYERS
    from mapapp.sources.validate import _codes
    from mapapp.values import parse_value

    field = LAYERS["lots"].fields[0]
    column = np.asarray(codes, dtype=object)
    typed = _codes(field, column)
    if all(isinstance(c, str) and c.strip() for c in codes):
        assert typed == [parse_value(field, c, nan_missing=True) for c in codes] == ["L1", "L2", "KCN-HẬU", "x"]
    else:
        assert typed is None


@pytest.mark.parametrize("columns", [
    {"price_usd_m2": [55.0, np.nan, -0.0, 1e15, 0.1, 3.0, np.nan, 7.25, 8.0, 9.0]},  # a float64 column, checked at once
    {"price_usd_m2": np.asarray([55, None, "7.5", 3.0, "4", 1, 2, 3, 4, 5], dtype=object)},  # anything else: value by value
    {"tenant": [None, "  ", "Công ty A", " Công ty A ", "CONG TY", "x", None, "A\u0302", "Â", ""]},  # text and none: each distinct once
    {"tenant": [None, 1, "1", 1.0, 2.5, "x", "x", "y", "z", "w"]},  # not only text: value by value
])
def test_numbers_and_texts_typed_as_columns_are_those_typed_row_by_row(columns):
    frame = lots_frame(10, **columns)
    columns = {f.name: frame[f.name].to_numpy() if f.name in frame.columns else None for f in LOTS.fields}
    fast = validating._typed_columns(LOTS, columns, len(frame), {"Z1"}, PLAIN)
    expected = by_rows(frame)
    assert fast == expected and [list(map(type, v)) for v in fast.values()] == [list(map(type, v)) for v in expected.values()]
    assert str(fast["price_usd_m2"][2]) == str(expected["price_usd_m2"][2])  # -0.0 stays -0.0


@pytest.mark.parametrize("prices, feature", [([1.0] * 5 + [-1.0] + [2.0] * 4, 6), ([1.0] * 8 + [np.inf, 1.0], 9), ([9.1e15] + [1.0] * 9, 1)])
def test_a_number_column_with_a_refused_value_names_its_feature_as_row_by_row(prices, feature):
    frame = lots_frame(10, price_usd_m2=prices)
    with pytest.raises(ImportRefused) as refused:
        validating.validate(LOTS, frame, zone_codes={"Z1"})
    assert (refused.value.field, refused.value.feature) == ("price_usd_m2", feature)
