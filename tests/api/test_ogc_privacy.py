"""Personal data through /ogc: for signed-in staff only, in features, queryables, filters and the API definition."""
from __future__ import annotations

import json

from tests.conftest import bearer


def _props(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {f["id"]: f["properties"] for f in json.loads(response.get_data(as_text=True))["features"]}


def test_public_sees_no_personal_data(client):
    props = _props(client.get("/ogc/collections/clearance/items"))
    assert props["P1"]["status"] == "cleared"
    assert not {"owner", "households", "compensation_vnd", "paid_vnd"} & set(props["P1"])
    one = json.loads(client.get("/ogc/collections/clearance/items/P1").get_data(as_text=True))
    assert "owner" not in one["properties"]
    assert "owner" not in json.loads(client.get("/ogc/collections/clearance/queryables").get_data(as_text=True))["properties"]


def test_staff_see_and_filter_on_it(client, loaded_store, make_user):
    token = bearer(make_user(loaded_store, "thu", "planner"))
    props = _props(client.get("/ogc/collections/clearance/items", headers=token))
    assert props["P1"]["owner"] == "Hộ ông Nguyễn Văn A" and props["P2"]["households"] == 2
    assert list(_props(client.get("/ogc/collections/clearance/items?filter=households>1", headers=token))) == ["P2"]
    assert list(_props(client.get("/ogc/collections/clearance/items?households=1", headers=token))) == ["P1"]
    schema = json.loads(client.get("/ogc/collections/clearance/queryables", headers=token).get_data(as_text=True))
    assert "owner" in schema["properties"]
