"""Dates are the province's: a report dated today in Vietnam is not 'in the future' on a UTC server."""
import pytest

from mapapp import clock
from mapapp.errors import ReportRefused
from mapapp.reports import add_report

EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11: always different dates


def test_today_follows_the_configured_zone(monkeypatch):
    monkeypatch.setenv("MAPAPP_TIMEZONE", EAST)
    east = clock.today()
    monkeypatch.setenv("MAPAPP_TIMEZONE", WEST)
    assert clock.today() < east


def test_default_zone_is_vietnam(monkeypatch):
    monkeypatch.delenv("MAPAPP_TIMEZONE", raising=False)
    assert clock.timezone().key == "Asia/Ho_Chi_Minh"


def test_a_report_dated_today_where_the_board_is(loaded_store, monkeypatch):
    monkeypatch.setenv("MAPAPP_TIMEZONE", EAST)
    local_today = clock.today().isoformat()
    monkeypatch.setenv("MAPAPP_TIMEZONE", WEST)
    with pytest.raises(ReportRefused, match="in the future"):
        add_report(loaded_store, "R1", percent=50, date=local_today)
    monkeypatch.setenv("MAPAPP_TIMEZONE", EAST)
    assert add_report(loaded_store, "R1", percent=50, date=local_today)["date"] == local_today


def test_local_time(monkeypatch):
    monkeypatch.setenv("MAPAPP_TIMEZONE", "Asia/Ho_Chi_Minh")
    assert clock.local_time("2026-11-25T08:26:04+00:00", "vi") == "25/11/2026 15:26"
    assert clock.local_time("2026-11-25T20:00:00+00:00", "en") == "2026-11-26 03:00"
    assert clock.local_time(None, "vi") == ""
