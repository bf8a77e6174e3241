from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from mapapp.analysis.clearance import (
    clearance_timeline,
    parcel_status_at,
    zone_clearance,
)


def make_parcels() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["P1", "P2", "P3", "P4", "P5"],
            "zone_code": ["Z1", "Z1", "Z1", "Z2", "Z2"],
            "status": ["cleared", "compensated", "disputed", "negotiating", "not_started"],
            "area_m2": [1000.0, 3000.0, 1000.0, 2000.0, 500.0],
            "households": [2, 3, 1, 4, np.nan],
            "compensation_vnd": [100.0, 300.0, 100.0, 200.0, np.nan],
            "paid_vnd": [100.0, 150.0, 0.0, 0.0, 0.0],
        }
    )


def make_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "parcel_code": ["P1", "P1", "P2", "P1", "P4", "P4"],
            "date": [
                date(2024, 1, 10),
                date(2024, 3, 1),
                "2024-02-15",
                pd.Timestamp("2024-05-01"),
                date(2024, 4, 1),
                date(2024, 4, 1),
            ],
            "status": ["negotiating", "compensated", "compensated", "cleared", "negotiating", "disputed"],
            "paid_vnd": [np.nan, 100.0, 150.0, np.nan, 0.0, 0.0],
        }
    )


def by_code(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("code")


def by_zone(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("zone_code")


def test_status_before_any_history_is_not_started_but_register_kept_without_history():
    s = by_code(parcel_status_at(make_parcels(), make_events(), date(2024, 1, 1)))
    assert s.loc["P1", "status"] == "not_started" and s.loc["P1", "paid_vnd"] == 0.0
    assert s.loc["P2", "status"] == "not_started"
    assert s.loc["P3", "status"] == "disputed"  # no events at all: register status
    assert pd.isna(s.loc["P1", "status_date"])


def test_status_at_uses_latest_event_and_carries_paid_forward():
    s = by_code(parcel_status_at(make_parcels(), make_events(), date(2024, 6, 1)))
    assert s.loc["P1", "status"] == "cleared"
    assert s.loc["P1", "paid_vnd"] == 100.0  # missing amount on the 'cleared' event
    assert s.loc["P1", "status_date"] == pd.Timestamp("2024-05-01")
    assert s.loc["P4", "status"] == "disputed"  # same-date tie: later row wins


def test_status_at_event_date_is_inclusive():
    s = by_code(parcel_status_at(make_parcels(), make_events(), date(2024, 3, 1)))
    assert s.loc["P1", "status"] == "compensated" and s.loc["P1", "paid_vnd"] == 100.0


def test_status_at_keeps_geodataframe_and_geometry():
    parcels = gpd.GeoDataFrame(
        make_parcels(), geometry=[Point(105.6 + i / 100, 9.8) for i in range(5)], crs="EPSG:4326"
    )
    out = parcel_status_at(parcels, make_events(), date(2024, 1, 1))
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.geometry.equals(parcels.geometry)
    assert parcels.loc[0, "status"] == "cleared"  # input untouched


def test_zone_clearance_current_register():
    z = by_zone(zone_clearance(make_parcels()))
    assert list(z.index) == ["Z1", "Z2"]
    z1, z2 = z.loc["Z1"], z.loc["Z2"]
    assert z1["parcels"] == 3 and z1["area_m2_total"] == 5000.0 and z1["area_m2_cleared"] == 1000.0
    assert z1["share_cleared"] == pytest.approx(0.2)
    assert z1["households_total"] == 6 and z1["households_compensated"] == 5
    assert z1["compensation_vnd_total"] == 500.0 and z1["paid_vnd"] == 250.0
    assert z1["share_paid"] == pytest.approx(0.5)
    assert z2["area_m2_total"] == 2500.0 and z2["households_total"] == 4
    assert z2["share_cleared"] == 0.0 and z2["compensation_vnd_total"] == 200.0


def test_zone_clearance_at_a_past_date():
    z = by_zone(zone_clearance(make_parcels(), make_events(), date(2024, 3, 15)))
    z1 = z.loc["Z1"]
    assert z1["area_m2_cleared"] == 0.0 and z1["share_cleared"] == 0.0
    assert z1["households_compensated"] == 5
    assert z1["paid_vnd"] == 250.0
    assert z.loc["Z2", "households_compensated"] == 0


def test_zone_without_area_or_compensation_has_zero_shares():
    parcels = make_parcels().iloc[[4]].assign(area_m2=0.0)
    z = zone_clearance(parcels).iloc[0]
    assert z["share_cleared"] == 0.0 and z["share_paid"] == 0.0


def test_unknown_status_refused():
    parcels = make_parcels().assign(status=["cleared", "done", "x", "negotiating", "cleared"])
    with pytest.raises(ValueError, match="parcels.status: unknown done, x"):
        zone_clearance(parcels)
    events = make_events().assign(status="finished")
    with pytest.raises(ValueError, match="events.status: unknown finished"):
        parcel_status_at(make_parcels(), events, date(2024, 6, 1))


def test_clearance_timeline_long_table():
    dates = [date(2024, 1, 1), date(2024, 3, 15), date(2024, 6, 1)]
    t = clearance_timeline(make_parcels(), make_events(), dates)
    assert list(t.columns) == ["zone_code", "date", "share_cleared", "households_compensated", "paid_vnd"]
    assert len(t) == 6
    z1 = t[t["zone_code"] == "Z1"].set_index("date")
    assert list(z1.index) == ["2024-01-01", "2024-03-15", "2024-06-01"]
    assert list(z1["share_cleared"]) == pytest.approx([0.0, 0.0, 0.2])
    assert list(z1["households_compensated"]) == [0, 5, 5]
    assert list(z1["paid_vnd"]) == [0.0, 250.0, 250.0]


def test_clearance_timeline_without_dates_is_empty():
    t = clearance_timeline(make_parcels(), make_events(), [])
    assert t.empty and "share_cleared" in t.columns
