"""CQL2 text: the parser, binding to queryables, evaluation on frames, and ``filter=`` on the server."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from mapapp.api.ogc.catalogue import COLLECTIONS, queryables
from mapapp.api.ogc.cql2 import CQLError, bind, mask, parse


def test_and_binds_tighter_than_or():
    assert parse("a=1 OR b=2 AND c=3") == ("or", [("=", "a", 1), ("and", [("=", "b", 2), ("=", "c", 3)])])
    assert parse("(a=1 OR b=2) and c=3") == ("and", [("or", [("=", "a", 1), ("=", "b", 2)]), ("=", "c", 3)])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("status='available'", ("=", "status", "available")),
        ("tenant = 'Bà Út''s'", ("=", "tenant", "Bà Út's")),
        ('"area_ha" >= 2.5', (">=", "area_ha", 2.5)),
        ("price_usd_m2 <> -3e1", ("<>", "price_usd_m2", -30.0)),
        ("owner IS NULL", ("isnull", "owner")),
        ("owner IS NOT NULL", ("not", ("isnull", "owner"))),
        ("code LIKE 'SH-%'", ("like", "code", "SH-%")),
        ("status IN ('leased', 'reserved')", ("in", "status", ["leased", "reserved"])),
        ("status NOT IN ('leased')", ("not", ("in", "status", ["leased"]))),
        ("area_ha BETWEEN 1 AND 2", ("and", [(">=", "area_ha", 1), ("<=", "area_ha", 2)])),
        ("planned_end < DATE('2018-06-30')", ("<", "planned_end", "2018-06-30")),
        ("NOT status='leased'", ("not", ("=", "status", "leased"))),
    ],
)
def test_predicates(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["", "status", "status=", "status='a' AND", "(status='a'", "status='a')", "status ~ 'a'", "status='open", "DATE('x')=a",
             "planned_end < DATE('2018-13-45')"]
)
def test_malformed_filters_are_refused(text):
    with pytest.raises(CQLError):
        parse(text)


def test_bind_maps_area_ha_to_stored_square_metres_and_checks_types():
    known = queryables(COLLECTIONS["lots"], staff=False)
    assert bind(parse("status='available' AND area_ha>2"), known) == ("and", [("=", "status", "available"), (">", "area_m2", 20_000.0)])
    with pytest.raises(CQLError, match="unknown property 'colour'"):
        bind(parse("colour='red'"), known)
    with pytest.raises(CQLError, match="number"):
        bind(parse("area_ha='big'"), known)
    with pytest.raises(CQLError, match="quotes"):
        bind(parse("status=2"), known)


def test_personal_fields_are_queryable_for_staff_only():
    assert "owner" not in queryables(COLLECTIONS["clearance"], staff=False)
    assert "owner" in queryables(COLLECTIONS["clearance"], staff=True)


def test_mask_follows_sql_semantics():
    frame = pd.DataFrame({"type": ["a", "b", None], "area_m2": [5.0, None, 20.0]})
    assert mask(frame, parse("type='a' OR area_m2>10")).tolist() == [True, False, True]
    assert mask(frame, ("isnull", "type")).tolist() == [False, False, True]
    assert mask(frame, ("like", "type", "_")).tolist() == [True, True, False]
    assert mask(frame, ("in", "type", ["b"])).tolist() == [False, True, False]


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [f["id"] for f in json.loads(response.get_data(as_text=True))["features"]]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("status='available' AND area_ha>1.5", ["L2"]),
        ("status='leased' OR status='reserved'", ["L1", "L3"]),
        ("area_ha<1.5 OR tenant LIKE 'Công%'", ["L1", "L3"]),
        ("price_usd_m2 IS NULL", ["L1", "L3"]),
        ("NOT (land_use='factory')", ["L3"]),
        ("status IN ('available','reserved') AND area_ha BETWEEN 0.5 AND 1.5", ["L3"]),
    ],
)
def test_filter_runs_on_the_server(client, text, expected):
    assert _ids(client.get("/ogc/collections/lots/items", query_string={"filter": text})) == expected


def test_unknown_property_or_language_is_400(client):
    response = client.get("/ogc/collections/lots/items", query_string={"filter": "colour='red'"})
    assert response.status_code == 400 and "colour" in response.get_json()["error"]
    response = client.get("/ogc/collections/clearance/items", query_string={"filter": "owner IS NULL"})
    assert response.status_code == 400, "a personal field is not queryable by the public"
    assert client.get("/ogc/collections/lots/items", query_string={"filter": "status='x'", "filter-lang": "cql2-json"}).status_code == 400
