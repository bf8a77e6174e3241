"""Dates are the province's: a report dated today in Vietnam is not 'in the future' on a UTC server.

Every test here takes "today" from the app's clock (or freezes it), so its answer
does not depend on the hour it runs at nor on the machine's time zone.
"""
import datetime as dt
import os
import time

import pytest

from mapapp import clock
from mapapp.errors import ReportRefused
from mapapp.reports import add_report

pytestmark = pytest.mark.dates

EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11: always different dates
UTC = dt.timezone.utc


@pytest.fixture
def machine_zone():
    """Set the machine's own zone (TZ) for one test, and put it back."""
    saved = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_today_follows_the_configured_zone(monkeypatch):
    monkeypatch.setenv("MAPAPP_TIMEZONE", EAST)
    east = clock.today()
    monkeypatch.setenv("MAPAPP_TIMEZONE", WEST)
    assert clock.today() < east


def test_default_zone_is_vietnam(monkeypatch):
    monkeypatch.delenv("MAPAPP_TIMEZONE", raising=False)
    assert clock.timezone().key == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(
    "utc, province_date",
    [
        ("2026-11-29T23:30:00", "2026-11-30"),  # already tomorrow in Vietnam
        ("2026-11-30T00:30:00", "2026-11-30"),
        ("2026-11-29T16:59:00", "2026-11-29"),  # the last UTC minute before the province's midnight
        ("2026-11-29T17:00:00", "2026-11-30"),
    ],
)
@pytest.mark.parametrize("machine", ["UTC", "America/New_York", "Asia/Tokyo"])
def test_today_is_the_provinces_date_whatever_the_machine_zone(monkeypatch, machine_zone, utc, province_date, machine):
    monkeypatch.delenv("MAPAPP_TIMEZONE", raising=False)
    machine_zone(machine)
    with clock.frozen(dt.datetime.fromisoformat(utc).replace(tzinfo=UTC)):
        assert clock.today().isoformat() == province_date
        assert clock.now().utcoffset() == dt.timedelta(0)


def test_frozen_clock_is_restored():
    real_before = clock.now()
    with clock.frozen(dt.datetime(2018, 2, 5, 1, 30)):
        assert clock.now() == dt.datetime(2018, 2, 5, 1, 30, tzinfo=UTC)
        assert clock.stamp() == "2018-02-05T01:30:00+00:00"
    assert clock.now() >= real_before


def test_a_report_dated_today_where_the_board_is(loaded_store, monkeypatch):
    monkeypatch.setenv("MAPAPP_TIMEZONE", EAST)
    local_today = clock.today().isoformat()
    monkeypatch.setenv("MAPAPP_TIMEZONE", WEST)
    with pytest.raises(ReportRefused, match="in the future"):
        add_report(loaded_store, "R1", percent=50, date=local_today)
    monkeypatch.setenv("MAPAPP_TIMEZONE", EAST)
    assert add_report(loaded_store, "R1", percent=50, date=local_today, confirm=True)["date"] == local_today


@pytest.mark.parametrize("utc", ["2026-11-29T23:30:00", "2026-11-30T00:30:00", "2026-11-29T16:59:00"])
def test_reports_for_today_pass_and_for_tomorrow_fail_at_any_hour(loaded_store, monkeypatch, machine_zone, utc):
    monkeypatch.delenv("MAPAPP_TIMEZONE", raising=False)
    machine_zone("America/New_York")
    with clock.frozen(dt.datetime.fromisoformat(utc)):
        today = clock.today()
        with pytest.raises(ReportRefused, match="in the future"):
            add_report(loaded_store, "R1", percent=50, date=(today + dt.timedelta(days=1)).isoformat())
        assert add_report(loaded_store, "R1", percent=50, date=today.isoformat(), confirm=True)["date"] == today.isoformat()


def test_local_time(monkeypatch):
    monkeypatch.setenv("MAPAPP_TIMEZONE", "Asia/Ho_Chi_Minh")
    assert clock.local_time("2026-11-25T08:26:04+00:00", "vi") == "25/11/2026 15:26"
    assert clock.local_time("2026-11-25T20:00:00+00:00", "en") == "2026-11-26 03:00"
    assert clock.local_time(None, "vi") == ""
