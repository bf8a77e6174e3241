"""The one value parser: strict, never coercing a value into something else."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from mapapp.layers import get_layer
from mapapp.values import (
    DateFormat,
    NumberFormat,
    ValueFormat,
    nfc,
    parse_code,
    parse_date,
    parse_value,
)

VI = ValueFormat(numbers=NumberFormat.VI)
DMY = ValueFormat(dates=DateFormat.DMY)
LOTS, CLEARANCE, PROJECTS = get_layer("lots"), get_layer("clearance"), get_layer("projects")


@pytest.mark.parametrize("raw, expected", [(47.5, 47.5), ("47.5", 47.5), (" 52.75 ", 52.75), (55, 55.0), ("1200", 1200.0), ("1e3", 1000.0)])
def test_plain_numbers(raw, expected):
    assert parse_value(LOTS.field("price_usd_m2"), raw) == expected


@pytest.mark.parametrize("raw, words", [
    ("47,5", "not a plain number"),  # was stored as 475
    ("1.234,5", "not a plain number"),  # was stored as 1.2345
    ("52,75", "--number-format vi"),
    ("1,234.5", "not a plain number"),
    (float("nan"), "NaN and Infinity"),
    (float("inf"), "NaN and Infinity"),
    ("NaN", "not a number"),
    ("Infinity", "not a number"),
    (True, "not a number"),
    ({"value": 5}, "an object"),
    ([5], "a list"),
    ("abc", "not a number"),
])
def test_numbers_that_are_refused(raw, words):
    with pytest.raises(ValueError) as refused:
        parse_value(LOTS.field("price_usd_m2"), raw)
    assert words in str(refused.value)


@pytest.mark.parametrize("raw, expected", [("1.234,5", 1234.5), ("47,5", 47.5), ("1.234", 1234.0), ("12", 12.0)])
def test_vietnamese_numbers_where_declared(raw, expected):
    assert parse_value(LOTS.field("price_usd_m2"), raw, VI) == expected


def test_whole_numbers_within_the_column():
    households = CLEARANCE.field("households")
    assert parse_value(households, "3") == 3 and parse_value(households, 3.0) == 3
    for raw, words in ((2**63, "beyond the largest"), ("2.5", "not a whole number"), (-1, "below the minimum")):
        with pytest.raises(ValueError, match=words):
            parse_value(households, raw)


def test_money_beyond_the_column_range_is_refused():
    with pytest.raises(ValueError, match="beyond the largest"):
        parse_value(CLEARANCE.field("paid_vnd"), 1e300)


@pytest.mark.parametrize("raw, expected", [(101, "101"), ("0102", "0102"), (103.0, "103"), (12345678901234567890, "12345678901234567890"), (" L-7 ", "L-7")])
def test_codes_are_text_as_written(raw, expected):
    assert parse_value(LOTS.field("code"), raw) == expected


def test_composed_and_decomposed_text_are_one():
    decomposed = "KCN-HA\u0302\u0323U"
    assert decomposed != "KCN-HẬU" and parse_code(decomposed) == "KCN-HẬU" == nfc(decomposed)
    assert parse_value(LOTS.field("zone_code"), decomposed) == "KCN-HẬU"
    assert parse_value(LOTS.field("tenant"), "Co\u0302ng ty") == "Công ty"


def test_objects_and_lists_are_not_text():
    for raw in ({"name": "x"}, ["x"]):
        with pytest.raises(ValueError, match="not a single value"):
            parse_value(LOTS.field("tenant"), raw)


def test_text_longer_than_the_field_allows_is_refused():
    with pytest.raises(ValueError, match="longer than the 300 allowed"):
        parse_value(LOTS.field("tenant"), "x" * 301)
    assert parse_value(LOTS.field("tenant"), "x" * 300) == "x" * 300


@pytest.mark.parametrize("raw, expected", [
    ("2018-02-05", "2018-02-05"),
    ("2018-02-05T01:30:00+07:00", "2018-02-05"),  # its own offset, not the machine's zone
    ("2018-02-05T23:30:00-05:00", "2018-02-05"),
    ("2018-02-05T01:30:00Z", "2018-02-05"),
    (pd.Timestamp("2018-02-05T01:30:00+07:00"), "2018-02-05"),
    (dt.datetime(2018, 2, 5, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))), "2018-02-05"),
])
def test_dates_and_timestamps(raw, expected):
    assert parse_value(PROJECTS.field("planned_start"), raw) == expected


def test_day_first_dates_only_where_declared():
    field = PROJECTS.field("planned_start")
    with pytest.raises(ValueError, match="--date-format dmy"):
        parse_value(field, "05/02/2018")
    assert parse_value(field, "05/02/2018", DMY) == "2018-02-05"
    with pytest.raises(ValueError, match="not a valid date"):
        parse_value(field, "31/02/2018", DMY)


@pytest.mark.parametrize("raw", ["1989-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_the_plausible_range(raw):
    with pytest.raises(ValueError, match="outside the plausible range"):
        parse_value(PROJECTS.field("planned_end"), raw)


def test_missing_values_are_none():
    for raw in (None, "", "  ", pd.NA, pd.NaT):
        assert parse_value(LOTS.field("tenant"), raw) is None
    assert parse_value(LOTS.field("price_usd_m2"), float("nan"), nan_missing=True) is None  # a file's empty cell


def test_enumerations_exact_after_nfc():
    assert parse_value(LOTS.field("status"), " leased ") == "leased"
    with pytest.raises(ValueError, match="'leasd' is not one of leased, available, reserved"):
        parse_value(LOTS.field("status"), "leasd")


def test_parse_date_never_converts_to_the_machine_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert parse_date("2018-02-05T01:30:00+07:00") == dt.date(2018, 2, 5)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert not math.isnan(parse_value(LOTS.field("price_usd_m2"), "0"))


@pytest.mark.parametrize("value", [pd.NaT, np.datetime64("NaT"), np.datetime64("NaT", "ns")], ids=["pd.NaT", "np.NaT", "np.NaT[ns]"])
def test_not_a_time_is_refused_as_not_a_date_not_a_type_error(value):
    with pytest.raises(ValueError, match="^not a date$"):
        parse_date(value)
