"""The items query: bbox (4 or 6 finite numbers), datetime (instants and intervals), limit and paging."""
from __future__ import annotations

import json

import pytest

from mapapp.api.ogc.common import BadQuery
from mapapp.api.ogc.params import parse_bbox, parse_datetime


def test_bbox_four_or_six_numbers():
    assert parse_bbox("1,2,3,4") == (1, 2, 3, 4)
    assert parse_bbox("1,2,-5,3,4,100") == (1, 2, 3, 4)


@pytest.mark.parametrize("text", ["nan,nan,nan,nan", "1,2,3", "1,2,3,4,5", "1,2,inf,4", "a,b,c,d", "3,2,1,4", ""])
def test_bad_bbox(text):
    with pytest.raises(BadQuery):
        parse_bbox(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2018-06-01", ("2018-06-01", "2018-06-01")),
        ("2018-06-01T10:00:00Z", ("2018-06-01", "2018-06-01")),
        ("2018-01-01/2018-12-31", ("2018-01-01", "2018-12-31")),
        ("../2018-12-31", (None, "2018-12-31")),
        ("2018-01-01/..", ("2018-01-01", None)),
        ("2018-01-01T00:00:00Z/", ("2018-01-01", None)),
        ("../..", (None, None)),
    ],
)
def test_datetime(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "2018-13-01", "2019-01-01/2018-01-01", "a/b/c"])
def test_bad_datetime(text):
    with pytest.raises(BadQuery):
        parse_datetime(text)


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [f["id"] for f in json.loads(response.get_data(as_text=True))["features"]]


@pytest.mark.parametrize(
    "when, expected",
    [("2018-06-01", ["R1"]), ("2020-01-01", []), ("2017-01-01/2017-12-31", []), ("../2018-01-01", ["R1"]),
     ("2018-12-31/..", ["R1"]), ("2019-01-01T00:00:00Z/..", [])],
)
def test_projects_match_their_planned_span(client, when, expected):
    assert _ids(client.get(f"/ogc/collections/projects-lines/items?datetime={when}")) == expected


def test_clearance_matches_its_event_dates(client, loaded_store):
    loaded_store.write_layers({}, events=[
        {"parcel_code": "P1", "date": "2018-03-01", "status": "negotiating"},
        {"parcel_code": "P1", "date": "2018-09-01", "status": "cleared"},
        {"parcel_code": "P2", "date": "2019-05-01", "status": "disputed"},
    ])
    assert _ids(client.get("/ogc/collections/clearance/items?datetime=2018-06-01")) == ["P1"]
    assert _ids(client.get("/ogc/collections/clearance/items?datetime=2018-10-01/..")) == ["P2"]
    assert _ids(client.get("/ogc/collections/clearance/items?datetime=2018-01-01/2019-12-31")) == ["P1", "P2"]
    assert _ids(client.get("/ogc/collections/clearance/items?datetime=../2017-12-31")) == []


def test_collections_without_time_match_every_datetime(client):
    assert _ids(client.get("/ogc/collections/lots/items?datetime=1900-01-01")) == ["L1", "L2", "L3"]


def test_six_number_bbox_and_bbox_with_attribute(client):
    everything = _ids(client.get("/ogc/collections/lots/items?bbox=100,0,0,110,20,100"))
    assert everything == ["L1", "L2", "L3"]
    assert _ids(client.get("/ogc/collections/lots/items?bbox=100,0,110,20&status=available")) == ["L2"]


def test_pages_add_up_and_count_matches(client):
    first = json.loads(client.get("/ogc/collections/lots/items?limit=2").get_data(as_text=True))
    second = json.loads(client.get("/ogc/collections/lots/items?limit=2&offset=2").get_data(as_text=True))
    assert (first["numberMatched"], first["numberReturned"], second["numberReturned"]) == (3, 2, 1)
    assert [f["id"] for f in first["features"] + second["features"]] == ["L1", "L2", "L3"]
    assert not any(l["rel"] == "next" for l in second["links"])
