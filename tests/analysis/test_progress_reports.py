"""Progress reports known on a date and the checks a new one passes: mapapp.analysis.progress_reports."""
from datetime import date, timedelta

import pytest

from mapapp.analysis.progress_reports import Report, latest_report, validate_report

pytestmark = pytest.mark.dates  # speaks of late, stale or today: must hold at every hour

START = date(2024, 1, 1)
END = START + timedelta(days=100)


def day(n: int) -> date:
    return START + timedelta(days=n)


# latest_report


def test_latest_report_ignores_future_and_breaks_ties_by_list_order():
    a, b, c, d = Report(day(10), 5), Report(day(20), 10), Report(day(20), 12), Report(day(30), 40)
    reports = [d, a, b, c]
    assert latest_report(reports, day(25)) is c
    assert latest_report(reports) is d
    assert latest_report(reports, day(5)) is None


# validate_report


TODAY = day(60)


@pytest.mark.parametrize("bad", ["abc", None, True, -1, 100.5, float("nan")])
def test_validate_refuses_bad_percent(bad):
    with pytest.raises(ValueError, match=r"^percent: .*0 .*100") as err:
        validate_report(bad, day(50), TODAY, [])
    assert "\n" not in str(err.value)


def test_validate_accepts_numeric_string_and_bounds():
    assert validate_report("42.5", day(50), TODAY, []) == []
    assert validate_report(0, day(50), TODAY, []) == []
    assert validate_report(100, TODAY, TODAY, []) == []


def test_validate_refuses_future_and_invalid_date():
    with pytest.raises(ValueError, match=r"^date: .*future"):
        validate_report(10, day(61), TODAY, [])
    with pytest.raises(ValueError, match=r"^date: .*YYYY-MM-DD"):
        validate_report(10, "31/12/2024", TODAY, [])
    assert validate_report(10, day(30).isoformat(), TODAY, []) == []


def test_validate_decrease_is_a_warning_quoting_the_note():
    previous = [Report(day(20), 30), Report(day(40), 50)]
    (warning,) = validate_report(45, day(50), TODAY, previous)
    assert warning.startswith("percent: 45% ") and "2024-02-10 (50%)" in warning
    warnings = validate_report(45, day(50), TODAY, previous, note="đo đạc lại / re-survey")
    assert len(warnings) == 1 and "re-survey" in warnings[0]


def test_validate_backdated_report_compared_with_earlier_and_later():
    previous = [Report(day(20), 30), Report(day(40), 50)]
    older = "is older than the latest report"
    assert [w for w in validate_report(35, day(30), TODAY, previous) if older not in w] == []
    lower = validate_report(25, day(30), TODAY, previous)
    assert any("lower than the report of 2024-01-21 (30%)" in w for w in lower) and any(older in w for w in lower)
    warnings = validate_report(55, day(30), TODAY, previous)
    assert len(warnings) == 2 and "later report" in warnings[1] and older in warnings[0]


def test_validate_warns_on_same_date():
    warnings = validate_report(50, day(40), TODAY, [Report(day(40), 50)])
    assert len(warnings) == 1 and "already exists" in warnings[0]
