"""Rows to write (mapapp.store.records): columns as plain Python values."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mapapp.store.records import python_values


@pytest.mark.parametrize("values", [
    np.array([1.5, np.nan, 2.0]), np.array([1, 2], dtype=np.int64), np.array([True, False]), np.array([np.uint8(3)]),
    np.array([b"\x01", None, float("nan"), pd.NA, pd.NaT, "x", np.float64(2)], dtype=object), np.array([], dtype=float),
    [1, None, 3], ["a", None], pd.Series([1.0, None]),
])
def test_python_values_are_those_of_a_series_with_missing_as_none(values):
    series = pd.Series(values)
    expected = series.astype(object).where(series.notna(), None).tolist()
    assert [(type(v), v) for v in python_values(values)] == [(type(v), v) for v in expected]
