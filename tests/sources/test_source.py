"""What a reader makes of a file's columns (mapapp.sources.source.column_frame)."""
from __future__ import annotations

import numpy as np

from mapapp.sources.source import column_frame


def test_text_columns_stay_python_objects_with_none_for_missing_and_numbers_stay_numbers():
    text = np.array(["L1", None, "Công ty"], dtype=object)
    mixed = np.array([101, "0102", 103.0], dtype=object)
    frame = column_frame(["code", "tenant", "price"], [text, mixed, np.array([1.5, np.nan, 2.0])], 3)
    assert [str(t) for t in frame.dtypes] == ["object", "object", "float64"]
    assert frame["code"].tolist() == ["L1", None, "Công ty"]
    assert [type(v) for v in frame["tenant"]] == [int, str, float]
    assert column_frame(["a", "a"], [text, text], 3).shape == (3, 2)  # names may repeat
