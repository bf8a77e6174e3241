"""Filing progress reports (library and `mapapp report` CLI): nonsense is refused, nothing is lost."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from mapapp import clock
from mapapp.queries.layers import layer_view
from mapapp.errors import ConfirmationNeeded, ReportRefused
from mapapp.reports import add_report

pytestmark = pytest.mark.dates

TOMORROW = "<tomorrow in the province>"  # resolved when the test runs, from the app's clock


def resolve(value):
    """The province's tomorrow (``clock.today() + 1``) in place of the placeholder."""
    if value == TOMORROW:
        return (clock.today() + dt.timedelta(days=1)).isoformat()
    return value


def current(store, code: str, at: str) -> float | None:
    """The actual percent the map shows for ``code`` at ``at``."""
    frame = layer_view(store, "projects", at=dt.date.fromisoformat(at))
    return frame.set_index("code").loc[code, "actual_pct"]


@pytest.mark.parametrize(
    "code, fields, words",
    [
        ("R1", {"percent": 150, "date": "2018-06-01"}, "0 to 100"),
        ("R1", {"percent": -1, "date": "2018-06-01"}, "0 to 100"),
        ("R1", {"percent": "abc", "date": "2018-06-01"}, "number"),
        ("R1", {"percent": "", "date": "2018-06-01"}, "number"),
        ("R1", {"percent": float("nan"), "date": "2018-06-01"}, "number"),
        ("R1", {"percent": 50, "date": TOMORROW}, "future"),
        ("R1", {"percent": 50, "date": "2018-02-30"}, "invalid date"),
        ("R1", {"percent": 50, "date": "2018-06-01", "disbursed_vnd": "-5"}, "disbursed"),
        ("NOPE", {"percent": 50, "date": "2018-06-01"}, "does not exist"),
    ],
)
def test_refused_report_stores_nothing(loaded_store, code, fields, words):
    before = loaded_store.reports()
    with pytest.raises(ReportRefused) as refused:
        add_report(loaded_store, code, **{k: resolve(v) for k, v in fields.items()})
    message = str(refused.value)
    assert words in message and "\n" not in message
    assert loaded_store.reports() == before


def test_history_is_kept_and_the_latest_report_is_current(loaded_store):
    # the fixture's import filed today's 40 %: every 2018 report is older than the latest, so confirmed
    first = add_report(loaded_store, "R1", percent=10, date="2018-02-01", note="khởi công", confirm=True)
    assert current(loaded_store, "R1", "2018-03-01") == 10.0
    snapshot = loaded_store.reports("R1")
    add_report(loaded_store, "R1", percent=35, date="2018-06-01", reported_by="Tư vấn giám sát", confirm=True)
    add_report(loaded_store, "R1", percent=20, date="2018-04-01", confirm=True)  # back-dated: fills the history
    rows = loaded_store.reports("R1")
    assert all(r in rows for r in snapshot)  # nothing overwritten
    dated_2018 = [(r["date"], r["percent"]) for r in rows if r["date"].startswith("2018")]
    assert dated_2018 == [("2018-02-01", 10.0), ("2018-04-01", 20.0), ("2018-06-01", 35.0)]
    assert first["note"] == "khởi công"
    assert current(loaded_store, "R1", "2018-06-30") == 35.0
    assert current(loaded_store, "R1", "2018-05-01") == 20.0
    assert current(loaded_store, "R1", "2018-03-01") == 10.0


@pytest.mark.parametrize(
    "report, warning",
    [
        ({"percent": 30, "date": "{today}"}, "lower than the report of {today} (40%)"),  # progress going down
        ({"percent": 50, "date": "2018-06-01"}, "is older than the latest report, of {today}"),
        ({"percent": 45, "date": "{today}"}, "a report for {today} already exists"),
        ({"percent": 45, "date": "{today}", "disbursed_vnd": 1e9}, "disbursed: 1,000,000,000 VND"),
    ],
)
def test_warnings_are_confirmed_or_nothing_is_stored(loaded_store, report, warning):
    """The fixture's import filed 40 % today (with 2 bn disbursed, below); each warning needs a confirmation."""
    today = clock.today().isoformat()
    add_report(loaded_store, "R1", percent=40, date=today, disbursed_vnd=2e9, confirm=True)
    fields = {k: v.format(today=today) if isinstance(v, str) else v for k, v in report.items()}
    before = loaded_store.reports()
    with pytest.raises(ConfirmationNeeded) as asked:
        add_report(loaded_store, "R1", **fields)
    assert any(warning.format(today=today) in w for w in asked.value.warnings), asked.value.warnings
    assert loaded_store.reports() == before
    row = add_report(loaded_store, "R1", **fields, confirm=True, note="Đo đạc lại khối lượng")
    assert any(warning.format(today=today) in w for w in row["warnings"])
    assert len(loaded_store.reports()) == len(before) + 1
    entry = loaded_store.audit(layer="projects", code="R1")[0]
    assert entry["action"] == "report" and any(warning.format(today=today) in w for w in entry["warnings"])


# -- the `mapapp report` command -------------------------------------------------
def run_cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    # coreutils' timeout bounds the run: Python's own timeout polls with time.sleep, which a
    # shifted clock (faketime with FAKETIME_DONT_FAKE_MONOTONIC=1) makes fail with EINVAL
    return subprocess.run(
        ["timeout", "120", sys.executable, "-m", "mapapp.cli", "report", *args],
        # the whole environment, so a shifted clock (faketime's LD_PRELOAD) reaches the command too
        env={**os.environ, "MAPAPP_DATABASE": db_url},
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "args, words",
    [
        (["R1", "--percent", "150"], "0 to 100"),
        (["R1", "--percent", "50", "--date", TOMORROW], "future"),
        (["NOPE", "--percent", "50"], "does not exist"),
    ],
)
def test_cli_refuses_with_one_line_and_stores_nothing(loaded_store, db_url, args, words):
    before = loaded_store.reports()
    done = run_cli(db_url, *map(resolve, args))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mapapp: error:") and words in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert loaded_store.reports() == before


def test_cli_adds_a_report_to_the_history(loaded_store, db_url):
    before = loaded_store.reports("R1")
    done = run_cli(db_url, "R1", "--percent", "55", "--date", "2018-12-01", "--note", "Trải nhựa", "--by", "Nhà thầu", "--confirm")
    assert done.returncode == 0, done.stderr
    assert "report stored for R1: 55 % on 2018-12-01" in done.stdout
    after = loaded_store.reports("R1")
    (new,) = [r for r in after if r not in before]
    assert (new["percent"], new["date"], new["note"], new["reported_by"]) == (55.0, "2018-12-01", "Trải nhựa", "Nhà thầu")
    assert all(r in after for r in before)
