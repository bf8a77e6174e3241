"""The rules' inputs (mapapp.analysis.conflicts.inputs): text columns normalised alike, whichever way they come."""
from __future__ import annotations

import numpy as np
import pytest
import shapely

from mapapp.analysis.conflicts import LayerColumns
from mapapp.analysis.conflicts.inputs import _prepare


@pytest.mark.parametrize("status", [" Leased", "LEASED\u3000", "leased", None])
def test_plain_columns_codes_stripped_enums_lower_cased(status):
    geom = shapely.box(580_000, 1_100_000, 580_010, 1_100_010)
    columns = LayerColumns(np.array([geom] * 3, dtype=object),
                           {"code": np.array([" L1", None, "L3\t"], dtype=object),
                            "status": np.array([status, "Reserved ", None], dtype=object)}, "EPSG:5897")
    prepared = _prepare(columns, "lots", {"code": False, "status": True})
    assert prepared["code"].tolist() == ["L1", "", "L3"]
    assert prepared["status"].tolist() == ["" if status is None else "leased", "reserved", ""]
