"""/api/projects/<code>: one project's baseline, schedule at a date, reports, S-curve, blocking parcels."""
from __future__ import annotations

import json

import pytest

from mapapp.sources.importer import import_file
from tests import builders
from tests.pages.test_leader_pages import AS_OF, LEADER, extend_dataset

pytestmark = pytest.mark.dates  # speaks of late, stale or today: must hold at every hour


@pytest.fixture
def api(loaded_store, loaded_app, tmp_path):
    extend_dataset(loaded_store, tmp_path)
    return loaded_app.test_client()


@pytest.fixture
def staff_api(api, loaded_store, make_user):
    api.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + make_user(loaded_store, "leader1", "leader")
    return api


def test_project_json(staff_api):
    response = staff_api.get("/api/projects/R2")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == "R2" and body["at"] == AS_OF
    props = body["properties"]
    assert (props["name"], props["planned_start"], props["planned_end"], props["budget_vnd"], props["responsible"]) == (
        "Đường số 2", "2018-01-01", "2018-12-31", 35e9, LEADER)
    assert round(props["length_m"]) == 1000 and "geom" not in props and "minx" not in props
    assert body["schedule"]["status"] == "on_track" and body["schedule"]["actual_pct"] == 45.0
    assert body["schedule"]["planned_pct"] == 49.5 and body["schedule"]["slip_pct"] == 4.5
    assert [r["percent"] for r in body["reports"] if r["date"] <= AS_OF] == [45.0]
    assert body["s_curve"]["actual"] == [["2018-05-15", 45.0]]
    assert body["s_curve"]["planned"][-1] == ["2018-12-31", 100.0]
    (parcel,) = body["blocking_parcels"]
    assert (parcel["code"], parcel["status"], parcel["owner"], parcel["households"]) == ("P2", "disputed", "Hộ bà Trần Thị B", 2)
    assert parcel["length_m"] == pytest.approx(100, abs=0.1)


def test_the_public_sees_blocking_parcels_without_their_households(api):
    (parcel,) = api.get("/api/projects/R2").get_json()["blocking_parcels"]
    assert (parcel["code"], parcel["status"]) == ("P2", "disputed")
    assert "owner" not in parcel and "households" not in parcel
    assert "Trần Thị B" not in api.get("/api/projects/R2").get_data(as_text=True)


def test_schedule_at_a_date(api):
    early = api.get("/api/projects/R1?at=2018-03-01").get_json()
    late = api.get("/api/projects/R1").get_json()
    assert early["at"] == "2018-03-01" and early["schedule"]["status"] == "at_risk"
    assert early["schedule"]["actual_pct"] == 10.0 and early["s_curve"]["actual"] == [["2018-02-01", 10.0]]
    assert late["schedule"]["status"] == "late" and late["schedule"]["last_report"] == "2018-05-01"
    assert late["blocking_parcels"] == []


def test_same_schedule_as_the_map(api):
    mine = api.get("/api/projects/R1?at=2018-06-30").get_json()["schedule"]
    layer = json.loads(api.get("/api/layers/projects?at=2018-06-30").data)
    (feature,) = [f for f in layer["features"] if f["properties"]["code"] == "R1"]
    theirs = feature["properties"]
    assert (mine["status"], mine["planned_pct"], mine["actual_pct"], mine["slip_pct"], mine["days_late"]) == (
        theirs["schedule_status"], theirs["planned_pct"], theirs["actual_pct"], theirs["slip_pct"], theirs["days_late"])


def test_unknown_project_is_a_json_404(api):
    response = api.get("/api/projects/NOPE")
    assert response.status_code == 404 and "NOPE" in response.get_json()["error"]


def test_bad_date_is_a_400(api):
    response = api.get("/api/projects/R1?at=30/06/2018")
    assert response.status_code == 400 and "YYYY-MM-DD" in response.get_json()["error"]


def test_project_without_baseline_has_no_curve(api, loaded_store, tmp_path):
    undated = ({"code": "W1", "name": "Trạm bơm", "kind": "other", "status": "planned"}, builders.mbox(100, 400, 150, 450))
    import_file(loaded_store, "projects", builders.write_geojson(tmp_path / "w1.geojson", [undated]))
    body = api.get("/api/projects/W1").get_json()
    assert body["s_curve"] is None and body["reports"] == [] and body["blocking_parcels"] == []
    page = api.get("/projects/W1?lang=en").get_data(as_text=True)
    assert "no planned start and end dates" in page and "s-curve-data" not in page
