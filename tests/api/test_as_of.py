"""``?at=D`` on the dated layers: each parcel at its latest event on or before D, projects without later reports."""
from __future__ import annotations

import json

import pytest

from mapapp.reports import add_report

pytestmark = pytest.mark.dates  # speaks of late, stale or today: must hold at every hour

# P1 and P2 of the hand-built data (register statuses: cleared, disputed); inserted in this order.
EVENTS = [
    {"parcel_code": "P1", "date": "2018-01-10", "status": "negotiating", "paid_vnd": 0.0},
    {"parcel_code": "P1", "date": "2018-03-01", "status": "compensated", "paid_vnd": 5e8},
    {"parcel_code": "P1", "date": "2018-05-20", "status": "cleared", "paid_vnd": None},
    {"parcel_code": "P2", "date": "2018-02-01", "status": "negotiating", "paid_vnd": 0.0},
    {"parcel_code": "P2", "date": "2018-04-15", "status": "compensated", "paid_vnd": 2e8},
    {"parcel_code": "P2", "date": "2018-04-15", "status": "disputed", "paid_vnd": None},
]


@pytest.fixture
def api(loaded_store, loaded_app, make_user):
    """A staff client: amounts paid are personal data, shown to staff only."""
    loaded_store.write_layers({}, events=EVENTS)
    add_report(loaded_store, "R1", percent=10, date="2018-02-01", confirm=True)
    add_report(loaded_store, "R1", percent=30, date="2018-05-01", reached_m=300, confirm=True)
    add_report(loaded_store, "R1", percent=70, date="2018-09-01", reached_m=700, confirm=True)
    client = loaded_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + make_user(loaded_store, "planner1", "planner")
    return client


def features(client, layer: str, at: str | None = None) -> dict[str, dict]:
    response = client.get(f"/api/layers/{layer}" + (f"?at={at}" if at else ""))
    assert response.status_code == 200, response.get_data(as_text=True)
    return {f["properties"]["code"]: f["properties"] for f in json.loads(response.data)["features"]}


@pytest.mark.parametrize(
    "at, p1, p2",
    [
        ("2017-12-31", ("not_started", 0.0), ("not_started", 0.0)),  # both histories start later
        ("2018-01-10", ("negotiating", 0.0), ("not_started", 0.0)),  # an event counts on its own day
        ("2018-02-28", ("negotiating", 0.0), ("negotiating", 0.0)),
        ("2018-03-01", ("compensated", 5e8), ("negotiating", 0.0)),
        ("2018-04-15", ("compensated", 5e8), ("disputed", 2e8)),  # same day: the later-stored event wins
        ("2018-05-19", ("compensated", 5e8), ("disputed", 2e8)),
        ("2018-05-20", ("cleared", 5e8), ("disputed", 2e8)),  # no amount: the previous one is kept
        ("2030-01-01", ("cleared", 5e8), ("disputed", 2e8)),
    ],
)
def test_clearance_at_a_date_is_each_parcels_latest_event(api, at, p1, p2):
    parcels = features(api, "clearance", at)
    assert (parcels["P1"]["status"], parcels["P1"]["paid_vnd"]) == p1
    assert (parcels["P2"]["status"], parcels["P2"]["paid_vnd"]) == p2


def test_clearance_matches_the_history_day_by_day(api):
    """Status and the date of the event it comes from, against the events themselves."""
    for day in ("2018-01-09", "2018-01-10", "2018-03-01", "2018-04-14", "2018-04-15", "2018-05-20"):
        latest = {"P1": ("not_started", None), "P2": ("not_started", None)}
        for event in EVENTS:
            if event["date"] <= day:
                latest[event["parcel_code"]] = (event["status"], event["date"])
        shown = {
            code: (p["status"], p["status_date"] and p["status_date"][:10])
            for code, p in features(api, "clearance", day).items()
        }
        assert shown == latest, day


@pytest.mark.parametrize(
    "at, actual, last, reached",
    [
        ("2018-01-15", None, None, None),  # no report yet
        ("2018-04-30", 10.0, "2018-02-01", None),  # the 30 % and 70 % reports are later
        ("2018-05-01", 30.0, "2018-05-01", 300.0),  # a report counts on its own day
        ("2018-08-31", 30.0, "2018-05-01", 300.0),
        ("2018-09-01", 70.0, "2018-09-01", 700.0),
    ],
)
def test_projects_at_a_date_ignore_later_reports(api, at, actual, last, reached):
    r1 = features(api, "projects", at)["R1"]
    assert (r1["actual_pct"], r1["last_report"], r1["reached_m"], r1["as_of"]) == (actual, last, reached, at)


def test_projects_status_follows_the_date(api):
    statuses = {at: features(api, "projects", at)["R1"]["schedule_status"] for at in ("2017-12-01", "2018-01-15", "2018-09-01")}
    assert statuses == {"2017-12-01": "not_started", "2018-01-15": "no_report", "2018-09-01": "on_track"}


def test_bad_date_is_refused(api):
    response = api.get("/api/layers/clearance?at=2018-13-01")
    assert response.status_code == 400 and "YYYY-MM-DD" in response.get_json()["error"]
