import json

import pytest

from mapapp.layers import LAYERS
from tests.helpers import search_codes


def fc(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    doc = json.loads(response.get_data(as_text=True))
    assert doc["type"] == "FeatureCollection"
    return doc


def test_layers_lists_every_layer_with_counts(client):
    doc = client.get("/api/layers").get_json()
    counts = {layer["name"]: layer["count"] for layer in doc["layers"]}
    assert counts == {"boundaries": 0, "zones": 2, "lots": 3, "clearance": 2, "projects": 1}
    assert [layer["name"] for layer in doc["layers"]] == list(LAYERS)


def test_layers_titles_follow_language(client):
    vi = {l["name"]: l["title"] for l in client.get("/api/layers").get_json()["layers"]}
    en = {l["name"]: l["title"] for l in client.get("/api/layers?lang=en").get_json()["layers"]}
    assert vi["clearance"] == "Giải phóng mặt bằng"
    assert en["clearance"] == "Land clearance"


def test_layer_is_rfc7946_with_wgs84_coordinates(client):
    doc = fc(client.get("/api/layers/lots"))
    assert [f["id"] for f in doc["features"]] == ["L1", "L2", "L3"]
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"][0][0]
        assert 105 < lon < 106 and 9 < lat < 11
    props = doc["features"][0]["properties"]
    assert props["area_ha"] == pytest.approx(2.0, rel=1e-3)
    assert props["tenant"] == "Công ty A&B <Việt>"  # data as is in JSON; pages escape it


def test_bbox_filter(client):
    doc = fc(client.get("/api/layers/zones"))
    z2 = next(f for f in doc["features"] if f["id"] == "Z2")
    xs = [p[0] for p in z2["geometry"]["coordinates"][0]]
    ys = [p[1] for p in z2["geometry"]["coordinates"][0]]
    bbox = f"{min(xs)},{min(ys)},{max(xs)},{max(ys)}"
    assert [f["id"] for f in fc(client.get(f"/api/layers/zones?bbox={bbox}"))["features"]] == ["Z2"]
    assert fc(client.get("/api/layers/zones?bbox=100,20,101,21"))["features"] == []


@pytest.mark.parametrize("query", ["bbox=1,2,3", "bbox=a,b,c,d", "bbox=5,5,1,1", "colour=red", "at=yesterday"])
def test_bad_queries_are_400_with_a_json_error(client, query):
    response = client.get(f"/api/layers/lots?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_equality_filters(client):
    assert [f["id"] for f in fc(client.get("/api/layers/lots?status=leased"))["features"]] == ["L1"]
    assert [f["id"] for f in fc(client.get("/api/layers/lots?zone_code=Z1&land_use=warehouse"))["features"]] == ["L3"]
    assert fc(client.get("/api/layers/lots?status=nothing"))["features"] == []


def test_one_feature_and_404s(client):
    response = client.get("/api/layers/lots/L2")
    feature = json.loads(response.get_data(as_text=True))
    assert feature["type"] == "Feature" and feature["id"] == "L2"
    assert feature["properties"]["price_usd_m2"] == 55
    for url in ("/api/layers/lots/NOPE", "/api/layers/roads", "/api/layers/roads/X"):
        missing = client.get(url)
        assert missing.status_code == 404
        assert "error" in missing.get_json()


def test_zone_properties_carry_occupancy_and_conflicts(client):
    doc = fc(client.get("/api/layers/zones"))
    z1 = next(f for f in doc["features"] if f["id"] == "Z1")["properties"]
    # leasable lots: L1 leased 2 ha, L2 available 2 ha, L3 reserved 1 ha
    assert z1["lots_total"] == 3
    assert z1["leased_ha"] == pytest.approx(2.0, abs=0.01)
    assert z1["available_ha"] == pytest.approx(2.0, abs=0.01)
    assert z1["occupancy_pct"] == pytest.approx(40.0, abs=0.1)
    assert isinstance(z1["conflicts"], dict)


def test_projects_carry_schedule_state(client):
    doc = fc(client.get("/api/layers/projects?at=2018-07-02"))
    r1 = doc["features"][0]["properties"]
    assert r1["as_of"] == "2018-07-02"
    assert r1["planned_pct"] == pytest.approx(50.0, abs=1.0)
    assert r1["schedule_status"] in {"no_report", "late", "at_risk", "on_track", "not_started", "done"}


def test_search_ignores_diacritics(client):
    results = client.get("/api/search?q=thu nghiem").get_json()["results"]
    assert [(r["layer"], r["code"]) for r in results] == [("zones", "Z1")]
    tenants = client.get("/api/search?q=hau giang").get_json()["results"]
    assert ("lots", "L3") in [(r["layer"], r["code"]) for r in tenants]
    assert client.get("/api/search?q=x").get_json()["results"] == []


def test_conflicts_endpoint_filters(client):
    doc = fc(client.get("/api/conflicts"))
    types = {f["properties"]["type"] for f in doc["features"]}
    for t in types:
        only = fc(client.get(f"/api/conflicts?type={t}"))["features"]
        assert only and {f["properties"]["type"] for f in only} == {t}
    assert fc(client.get("/api/conflicts?zone=NOPE"))["features"] == []
    assert client.get("/api/conflicts?bbox=1").status_code == 400


def test_search_treats_like_wildcards_as_text(client):
    assert client.get("/api/search?q=%25%25").get_json()["results"] == []  # '%%' is not 'anything'
    assert client.get("/api/search?q=__").get_json()["results"] == []


def test_search_text_is_filled_for_rows_from_an_older_database(loaded_store):
    from sqlalchemy import update

    from mapapp.store import schema

    with loaded_store.engine.begin() as conn:
        conn.execute(update(schema.layer_tables["zones"]).values(search_text=None))
    assert search_codes(loaded_store, "zones", "thu nghiem", 5) == []
    loaded_store.init_schema()
    assert search_codes(loaded_store, "zones", "thu nghiem", 5) == ["Z1"]


def test_search_queries_are_limited_in_length(client):
    assert client.get("/api/search?q=" + "a" * 100).status_code == 200
    long = client.get("/api/search?q=" + "a" * 101)
    assert long.status_code == 400 and "at most 100 characters" in long.get_json()["error"]


def test_decomposed_text_in_paths_and_filters_finds_the_feature(client, loaded_store):
    from mapapp.edits import edit_feature

    edit_feature(loaded_store, "lots", "L3", {"tenant": "Kho Hậu Giang"})
    decomposed = "Kho Ha\u0302\u0323u Giang"
    found = client.get("/api/layers/lots", query_string={"tenant": decomposed}).get_json()["features"]
    assert [f["id"] for f in found] == ["L3"]


@pytest.mark.parametrize(("query", "said"), [
    ("type=lot_overlaps", "type 'lot_overlaps' is not one of lot_overlap, lot_on_uncleared_land, "),
    ("severity=HIGH", "severity 'HIGH' is not one of high, medium, low"),
])
def test_conflicts_refuse_an_unknown_type_or_severity_naming_the_accepted_ones(client, query, said):
    response = client.get(f"/api/conflicts?{query}")
    assert response.status_code == 400 and response.get_json()["error"].startswith(said)
