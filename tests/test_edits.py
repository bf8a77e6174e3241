"""Attribute edits: validated like imports, conflicts recomputed, parcel history kept."""
import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from mapapp.edits import edit_feature, parse_assignments
from mapapp.errors import EditRefused, NotFound
from mapapp.sources.importer import import_file
from tests import builders
from tests.conftest import bearer
from tests.conftest import data_snapshot


@pytest.fixture
def blocked(loaded_store, tmp_path):
    """Lot L9 leased on the disputed parcel P2: one lot_on_uncleared_land conflict."""
    lot = [({"code": "L9", "zone_code": "Z1", "land_use": "factory", "status": "leased"}, builders.mbox(700, 700, 800, 800))]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l9.geojson", lot))
    assert list(loaded_store.read_conflicts(type_="lot_on_uncleared_land")["codes"]) == [["L9", "P2"]]
    return loaded_store


def test_clearing_a_parcel_removes_its_conflict_and_records_the_event(blocked):
    edit_feature(blocked, "clearance", "P2", {"status": "cleared", "paid_vnd": 1.5e9}, when=dt.date(2018, 5, 2))
    assert blocked.read_conflicts(type_="lot_on_uncleared_land").empty
    assert blocked.get_feature("clearance", "P2")["status"].iloc[0] == "cleared"
    events = [e for e in blocked.clearance_events() if e["parcel_code"] == "P2"]
    assert [(e["date"], e["status"], e["paid_vnd"]) for e in events] == [("2018-05-02", "cleared", 1.5e9)]


def test_an_edit_that_keeps_the_status_adds_no_event(blocked):
    edit_feature(blocked, "clearance", "P2", {"owner": "Hộ bà Trần Thị C"})
    assert blocked.clearance_events() == []
    assert blocked.get_feature("clearance", "P2")["owner"].iloc[0] == "Hộ bà Trần Thị C"


def test_leasing_a_lot_on_uncleared_land_creates_a_conflict(loaded_store, tmp_path):
    lot = [({"code": "L9", "zone_code": "Z1", "land_use": "factory", "status": "available"}, builders.mbox(700, 700, 800, 800))]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l9.geojson", lot))
    assert loaded_store.read_conflicts(type_="lot_on_uncleared_land").empty
    edit_feature(loaded_store, "lots", "L9", {"status": "leased", "tenant": "Công ty X"})
    assert len(loaded_store.read_conflicts(type_="lot_on_uncleared_land")) == 1


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"status": "gone"}, r"layer clearance, feature P2, field status: 'gone' is not one of"),
        ({"staus": "cleared"}, r"field staus: unknown attribute"),
        ({"code": "P3"}, r"field code: a code cannot be changed"),
        ({"households": -1}, r"field households: -1 is below the minimum 0"),
        ({"zone_code": "NOPE"}, r"field zone_code: zone 'NOPE' does not exist"),
        ({}, r"nothing to change"),
    ],
)
def test_refused_edits_store_nothing(blocked, changes, message):
    before = data_snapshot(blocked)
    with pytest.raises(EditRefused, match=message):
        edit_feature(blocked, "clearance", "P2", changes)
    assert data_snapshot(blocked) == before


def test_unknown_feature(blocked):
    with pytest.raises(NotFound):
        edit_feature(blocked, "clearance", "P9", {"status": "cleared"})


def test_parse_assignments():
    assert parse_assignments(["status=cleared", "owner=Hộ ông A=B", "paid_vnd="]) == {"status": "cleared", "owner": "Hộ ông A=B", "paid_vnd": None}
    with pytest.raises(EditRefused, match="field=value"):
        parse_assignments(["cleared"])


def test_patch_api(blocked, db_url, make_user):
    from mapapp import create_app

    client = create_app({"database": db_url}).test_client()
    auth = bearer(make_user(blocked, "planner1", "planner"))
    tag = client.get("/api/layers/clearance/P2").headers["ETag"]
    ok = client.patch("/api/layers/clearance/P2", json={"properties": {"status": "cleared"}}, headers={**auth, "If-Match": tag})
    assert ok.status_code == 200 and ok.headers["ETag"] != tag
    assert json.loads(ok.get_data(as_text=True))["properties"]["status"] == "cleared"
    assert json.loads(client.get("/api/conflicts?type=lot_on_uncleared_land").get_data(as_text=True))["features"] == []
    tag = ok.headers["ETag"]
    bad = client.patch("/api/layers/clearance/P2", json={"status": "gone"}, headers={**auth, "If-Match": tag})
    assert bad.status_code == 400 and "field status" in bad.get_json()["error"]
    assert client.patch("/api/layers/clearance/P2", data="x", headers={**auth, "If-Match": tag}).status_code == 415
    assert client.patch("/api/layers/clearance/NOPE", json={"status": "cleared"}, headers={**auth, "If-Match": "*"}).status_code == 404
    assert client.patch("/api/layers/roads/X", json={"status": "cleared"}, headers={**auth, "If-Match": "*"}).status_code == 404


def test_cli_set(blocked, db_url):
    env = {"MAPAPP_DATABASE": db_url, "PATH": "/usr/bin:/bin", "MAPAPP_INSTANCE": os.environ["MAPAPP_INSTANCE"]}
    run = lambda *a: subprocess.run([sys.executable, "-m", "mapapp.cli", *a], capture_output=True, text=True, env=env)
    bad = run("set", "clearance", "P2", "status=gone")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "field status" in bad.stderr
    good = run("set", "clearance", "P2", "status=cleared")
    assert good.returncode == 0 and "conflicts now: 0" in good.stdout
