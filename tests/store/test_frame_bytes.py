"""Frames as bytes (mapapp.store.frame_bytes): read back identical, dtypes, lists, dates, geometry and CRS too."""
from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from geopandas.testing import assert_geodataframe_equal

from mapapp.store.frame_bytes import from_bytes, from_many, to_bytes


def frame() -> gpd.GeoDataFrame:
    square = shapely.box(105.1, 10.2, 105.1 + 1e-5 / 3, 10.2 + 0.1 + 0.2)
    return gpd.GeoDataFrame({
        "code": pd.array(["GP-1", "GP-2", None], dtype="str"),
        "zone_code": np.array(["KCN-A", "KCN-A", "KCN-B"], dtype=object),
        "area_ha": [0.1 + 0.2, 2.5e-300, np.nan],
        "blocks": np.array([1, 2, 3], dtype="int64"),
        "overdue": [True, False, True],
        "next_due": [dt.date(2026, 1, 15), None, dt.date(2025, 2, 28)],
        "status_date": pd.to_datetime(["2018-12-30", "2016-01-07", None]).as_unit("us"),
        "parcel_codes": [["GP-1", "GP-2"], [], ["GP-3"]],
        "geometry": [square, None, shapely.Polygon()],
    }, geometry="geometry", crs="EPSG:4326")


def test_a_geodataframe_reads_back_identical():
    f = frame()
    back = from_bytes(to_bytes(f))
    assert isinstance(back, gpd.GeoDataFrame) and back.crs == f.crs
    assert list(back.dtypes) == list(f.dtypes)
    assert_geodataframe_equal(back, f, check_less_precise=False)
    assert shapely.equals_exact(back.geometry.to_numpy()[:1], f.geometry.to_numpy()[:1], tolerance=0).all()
    assert back["parcel_codes"].tolist() == [["GP-1", "GP-2"], [], ["GP-3"]]
    assert back["next_due"].tolist() == [dt.date(2026, 1, 15), None, dt.date(2025, 2, 28)]


def test_plain_and_empty_frames_read_back_identical():
    plain = pd.DataFrame(frame().drop(columns="geometry"))
    back = from_bytes(to_bytes(plain))
    assert type(back) is pd.DataFrame
    pd.testing.assert_frame_equal(back, plain, check_exact=True)
    empty = frame().iloc[:0].reset_index(drop=True)
    back = from_bytes(to_bytes(empty))
    assert list(back.dtypes) == list(empty.dtypes) and back.crs == empty.crs
    assert_geodataframe_equal(back, empty)


def test_frames_read_together_equal_them_read_one_by_one():
    f = frame()
    parts = [f.iloc[1:2], f.iloc[2:], f.iloc[:0]]
    # the first holds no date and only an empty list (Arrow's null types there), yet decides the dtypes read
    together = from_many([to_bytes(p.reset_index(drop=True)) for p in parts])
    expected = f.iloc[1:].reset_index(drop=True)
    assert list(together.dtypes) == list(f.dtypes) and together.crs == f.crs
    assert_geodataframe_equal(together, expected, check_less_precise=False)
    assert together["next_due"].tolist() == [None, dt.date(2025, 2, 28)]
    assert together["parcel_codes"].tolist() == [[], ["GP-3"]]
