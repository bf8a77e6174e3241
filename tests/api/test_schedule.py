"""Schedule state on the map: a project's own planned curve, the configured staleness."""
import json

import pytest

from mapapp import create_app
from mapapp.edits import edit_feature
from mapapp.reports import add_report
from mapapp.errors import EditRefused

pytestmark = pytest.mark.dates  # speaks of late, stale or today: must hold at every hour


def props(client, url):
    return json.loads(client.get(url).get_data(as_text=True))["features"][0]["properties"]


def test_linear_plan_without_a_curve(client):
    assert props(client, "/api/layers/projects?at=2018-07-02")["planned_pct"] == pytest.approx(50, abs=0.5)


def test_a_planned_curve_replaces_the_linear_plan(loaded_store, db_url):
    # slow start: 10 % planned by 1 July, then the rest by the end of the year
    edit_feature(loaded_store, "projects", "R1", {"planned_curve": "2018-01-01:0; 2018-07-01:10; 2018-12-31:100"})
    client = create_app({"database": db_url}).test_client()
    p = props(client, "/api/layers/projects?at=2018-07-01")
    assert p["planned_pct"] == pytest.approx(10, abs=0.01)
    assert p["planned_curve"] == "2018-01-01:0;2018-07-01:10;2018-12-31:100"
    detail = client.get("/api/projects/R1?at=2018-07-01").get_json()
    planned = dict(detail["s_curve"]["planned"])
    assert planned["2018-07-01"] == pytest.approx(10, abs=0.01)


@pytest.mark.parametrize(
    "curve,message",
    [("2018-01-01:0;2018-06-01:120", "from 0 to 100"), ("2018-06-01:50;2018-01-01:60", "dates must increase"),
     ("2018-01-01:50;2018-06-01:40", "must not decrease"), ("soon:50", "not DATE:PERCENT")],
)
def test_bad_curves_are_refused(loaded_store, curve, message):
    with pytest.raises(EditRefused, match=f"field planned_curve: .*{message}"):
        edit_feature(loaded_store, "projects", "R1", {"planned_curve": curve})


def test_stale_days_come_from_the_settings(loaded_store, db_url):
    add_report(loaded_store, "R1", date="2018-03-01", percent=20.0, confirm=True)
    at = "2018-04-15"  # 45 days after the last report dated before it
    strict = create_app({"database": db_url, "stale_days": 30}).test_client()
    lenient = create_app({"database": db_url, "stale_days": 60}).test_client()
    assert props(strict, f"/api/layers/projects?at={at}")["stale"] is True
    assert props(lenient, f"/api/layers/projects?at={at}")["stale"] is False


def test_projects_carry_the_parcels_that_block_them(loaded_store, db_url, tmp_path):
    from mapapp.sources.importer import import_file
    from tests import builders

    # the disputed parcel P2 (700..800 m) is crossed by a second road along y = 750
    road = [({"code": "R2", "name": "Đường số 2", "kind": "road", "zone_code": "Z1", "status": "in_progress"}, builders.mline((600, 750), (900, 750)))]
    import_file(loaded_store, "projects", builders.write_geojson(tmp_path / "r2.geojson", road))
    client = create_app({"database": db_url}).test_client()
    features = {f["id"]: f["properties"] for f in json.loads(client.get("/api/layers/projects").get_data(as_text=True))["features"]}
    assert features["R2"]["blocked_by"] == ["P2"]
    assert features["R1"]["blocked_by"] == []
