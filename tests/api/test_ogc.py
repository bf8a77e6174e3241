"""OGC API – Features (/ogc): what QGIS and other OGC clients rely on."""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from shapely.geometry import shape

from mapapp import create_app
from mapapp.api.ogc import ogc_bp
from mapapp.layers import LAYERS
from mapapp.sources.importer import import_file
from tests import builders

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def _client(db_url: str):
    app = create_app({"database": db_url})
    if "ogc" not in app.blueprints:
        app.register_blueprint(ogc_bp)
    return app.test_client()


@pytest.fixture
def ogc(loaded_store, db_url):
    """The hand-built dataset (no conflicts), with the OGC blueprint registered."""
    return _client(db_url)


@pytest.fixture
def ogc_conflicts(loaded_store, db_url, tmp_path):
    """Two conflicting lots added: L4 overlaps L1 (in Z1), L5 is leased in the proposed zone Z2."""
    extra = [
        ({"code": "L4", "zone_code": "Z1", "land_use": "factory", "status": "leased"}, builders.mbox(100, 0, 200, 100)),
        ({"code": "L5", "zone_code": "Z2", "land_use": "factory", "status": "leased"}, builders.mbox(2100, 100, 2200, 200)),
    ]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "more_lots.geojson", extra))
    return _client(db_url)


def fc(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    doc = json.loads(response.get_data(as_text=True))
    assert doc["type"] == "FeatureCollection"
    return doc


def ids(doc: dict) -> list:
    return [f["id"] for f in doc["features"]]


def link(doc: dict, rel: str) -> dict | None:
    return next((l for l in doc["links"] if l["rel"] == rel), None)


def bounds(feature: dict) -> tuple[float, float, float, float]:
    return shapely.bounds(shape(feature["geometry"])).tolist()


def test_landing_page_links_resolve(ogc):
    doc = ogc.get("/ogc").get_json()
    assert doc["title"] == "mapapp — Hậu Giang industrial zones"
    assert {"self", "conformance", "data"} <= {l["rel"] for l in doc["links"]}
    for l in doc["links"]:
        assert l["href"].startswith("http://localhost/ogc")
        assert ogc.get(l["href"]).status_code == 200, l


def test_conformance_declares_core_and_geojson(ogc):
    assert {CORE, GEOJSON} <= set(ogc.get("/ogc/conformance").get_json()["conformsTo"])


def test_collections_are_the_layers_with_mixed_ones_split_by_geometry(ogc):
    doc = ogc.get("/ogc/collections").get_json()
    single = [name for name in LAYERS if name != "projects"]
    # the hand-built data holds one road (a line) and no conflicts: only the kinds present are listed
    assert [c["id"] for c in doc["collections"]] == [*single, "projects-lines"]
    types = {c["id"]: c["geometryType"] for c in doc["collections"]}
    assert (types["lots"], types["projects-lines"]) == ("MultiPolygon", "MultiLineString")


def test_conflict_kinds_are_listed_once_found(ogc_conflicts):
    single = [name for name in LAYERS if name != "projects"]
    with_conflicts = [c["id"] for c in ogc_conflicts.get("/ogc/collections").get_json()["collections"]]
    assert with_conflicts == [*single, "projects-lines", "conflicts-polygons"]


def test_unlisted_kinds_and_unsplit_layers_still_answer(ogc):
    assert fc(ogc.get("/ogc/collections/projects-points/items"))["features"] == []
    assert ids(fc(ogc.get("/ogc/collections/projects/items"))) == ["R1"]
    assert ogc.get("/ogc/collections/projects/items/R1").status_code == 200
    assert ogc.get("/ogc/collections/projects-polygons/items/R1").status_code == 404


def test_collection_bbox_comes_from_the_data(ogc):
    z1 = next(f for f in fc(ogc.get("/api/layers/zones"))["features"] if f["id"] == "Z1")
    minx, miny, maxx, maxy = ogc.get("/ogc/collections/zones").get_json()["extent"]["spatial"]["bbox"][0]
    zx0, zy0, zx1, zy1 = bounds(z1)
    assert minx <= zx0 and miny <= zy0 and zx1 <= maxx and zy1 <= maxy
    assert 105 < minx < maxx < 106 and 9 < miny < maxy < 11


def test_empty_collection_spans_the_world(ogc):
    boundaries = ogc.get("/ogc/collections/boundaries").get_json()
    assert boundaries["extent"]["spatial"]["bbox"] == [[-180, -90, 180, 90]]


def test_collection_links_resolve(ogc):
    doc = ogc.get("/ogc/collections/lots").get_json()
    assert ogc.get(link(doc, "self")["href"]).get_json()["id"] == "lots"
    assert ids(fc(ogc.get(link(doc, "items")["href"]))) == ["L1", "L2", "L3"]


def test_titles_follow_language(ogc):
    vi = ogc.get("/ogc/collections/clearance?lang=vi").get_json()
    en = ogc.get("/ogc/collections/clearance?lang=en").get_json()
    assert (vi["title"], en["title"]) == ("Giải phóng mặt bằng", "Land clearance")
    assert "lang=en" in link(en, "items")["href"]


@pytest.mark.parametrize("collection", ["boundaries", "zones", "lots", "clearance", "projects-lines"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_queryable_has_a_title_in_the_language_not_its_column_name(ogc, collection, lang):
    schema = ogc.get(f"/ogc/collections/{collection}/queryables?f=json&lang={lang}").get_json()
    untitled = [name for name, q in schema["properties"].items() if name != "geometry" and q["title"] == name]
    assert untitled == []


def test_items_carry_counts_timestamp_and_codes_as_ids(ogc):
    doc = fc(ogc.get("/ogc/collections/lots/items"))
    assert ids(doc) == ["L1", "L2", "L3"]
    assert (doc["numberMatched"], doc["numberReturned"]) == (3, 3)
    assert dt.datetime.strptime(doc["timeStamp"], "%Y-%m-%dT%H:%M:%SZ")
    assert link(doc, "next") is None and link(doc, "prev") is None
    assert doc["features"][0]["properties"]["tenant"] == "Công ty A&B <Việt>"


def test_paging_follows_next_and_prev_links(ogc):
    first = fc(ogc.get("/ogc/collections/lots/items?limit=1"))
    assert ids(first) == ["L1"]
    assert (first["numberMatched"], first["numberReturned"]) == (3, 1)
    next_href = link(first, "next")["href"]
    assert parse_qs(urlsplit(next_href).query)["offset"] == ["1"]
    second = fc(ogc.get(next_href))
    assert ids(second) == ["L2"]
    assert ids(fc(ogc.get(link(second, "prev")["href"]))) == ["L1"]
    last = fc(ogc.get(link(second, "next")["href"]))
    assert ids(last) == ["L3"] and link(last, "next") is None


def test_paging_keeps_the_filters(ogc):
    first = fc(ogc.get("/ogc/collections/lots/items?limit=1&land_use=factory"))
    assert first["numberMatched"] == 2
    assert ids(fc(ogc.get(link(first, "next")["href"]))) == ["L2"]


def test_limit_above_maximum_is_capped_not_refused(ogc):
    assert ids(fc(ogc.get("/ogc/collections/lots/items?limit=20000"))) == ["L1", "L2", "L3"]


def test_bbox_filter(ogc):
    z2 = next(f for f in fc(ogc.get("/ogc/collections/zones/items"))["features"] if f["id"] == "Z2")
    bbox = ",".join(map(str, bounds(z2)))
    doc = fc(ogc.get(f"/ogc/collections/zones/items?bbox={bbox}"))
    assert ids(doc) == ["Z2"] and doc["numberMatched"] == 1
    assert ids(fc(ogc.get("/ogc/collections/zones/items?bbox=100,20,101,21"))) == []


def test_attribute_filter(ogc):
    doc = fc(ogc.get("/ogc/collections/lots/items?status=leased"))
    assert ids(doc) == ["L1"] and doc["numberMatched"] == 1
    assert ids(fc(ogc.get("/ogc/collections/clearance/items?status=disputed"))) == ["P2"]


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=abc", "limit=-1", "offset=-1", "offset=x", "colour=red", "bbox=1,2,3", "households=2", "f=xml", "bbox=nan,nan,nan,nan",
     "bbox=1,2,3,4,5", "bbox=1,2,inf,4", "datetime=yesterday", "datetime=2019-01-01/2018-01-01", "crs=EPSG:4326",
     "bbox-crs=EPSG:3857", "filter=status", "filter=colour='red'", "filter-lang=cql2-json&filter=status='x'"],
)
def test_bad_queries_are_400_with_a_json_error(ogc, query):
    response = ogc.get(f"/ogc/collections/clearance/items?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_one_feature(ogc):
    response = ogc.get("/ogc/collections/lots/items/L2")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    doc = json.loads(response.get_data(as_text=True))
    assert (doc["type"], doc["id"], doc["properties"]["status"]) == ("Feature", "L2", "available")
    assert ogc.get(link(doc, "self")["href"]).status_code == 200
    assert ogc.get(link(doc, "collection")["href"]).get_json()["id"] == "lots"


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/collections/roads",
        "/ogc/collections/roads/items",
        "/ogc/collections/lots/items/NOPE",
        "/ogc/collections/conflicts/items/NOPE",
    ],
)
def test_unknown_collection_or_feature_is_404_json(ogc, path):
    response = ogc.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]


def test_conflicts_are_features_with_their_ids(ogc_conflicts):
    doc = fc(ogc_conflicts.get("/ogc/collections/conflicts/items"))
    assert doc["numberMatched"] == len(doc["features"]) >= 2
    stored = fc(ogc_conflicts.get("/api/conflicts"))
    assert sorted(ids(doc)) == sorted(ids(stored))
    first = doc["features"][0]
    one = json.loads(ogc_conflicts.get(f"/ogc/collections/conflicts/items/{first['id']}").get_data(as_text=True))
    assert (one["id"], one["properties"]["type"]) == (first["id"], first["properties"]["type"])


def test_conflicts_filter_by_attribute_and_bbox(ogc_conflicts):
    everything = fc(ogc_conflicts.get("/ogc/collections/conflicts/items"))["features"]
    in_z2 = [f["id"] for f in everything if f["properties"]["zone_code"] == "Z2"]
    assert in_z2 and len(in_z2) < len(everything)
    assert ids(fc(ogc_conflicts.get("/ogc/collections/conflicts/items?zone_code=Z2"))) == in_z2
    z2 = next(f for f in fc(ogc_conflicts.get("/ogc/collections/zones/items"))["features"] if f["id"] == "Z2")
    bbox = ",".join(map(str, bounds(z2)))
    assert ids(fc(ogc_conflicts.get(f"/ogc/collections/conflicts/items?bbox={bbox}"))) == in_z2
    assert ogc_conflicts.get("/ogc/collections/conflicts/items?status=x").status_code == 400


def test_conflicts_extent_covers_them(ogc_conflicts):
    minx, miny, maxx, maxy = ogc_conflicts.get("/ogc/collections/conflicts").get_json()["extent"]["spatial"]["bbox"][0]
    for feature in fc(ogc_conflicts.get("/ogc/collections/conflicts/items"))["features"]:
        x0, y0, x1, y1 = bounds(feature)
        assert minx <= x0 and miny <= y0 and x1 <= maxx and y1 <= maxy


def test_no_cyclic_collection_while_a_page_is_built(ogc):
    """A page's temporaries are freed by reference counting as they go: the collector does not run while it is
    built (full passes over the figures kept in memory cost ~100 ms), though it runs around it."""
    from tests.conftest import collections_during

    responses = []
    everywhere, building = collections_during(lambda: responses.append(ogc.get("/ogc/collections/lots/items?f=json")),
                                              inside=("page", "collection_json"))
    assert responses[0].status_code == 200 and everywhere > 0 and building == 0
