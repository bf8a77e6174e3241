"""The landing page's service-desc / service-doc and the OpenAPI 3.0 document generated from the layer specs."""
from __future__ import annotations

import json

from openapi_schema_validator import OAS30Validator

from mapapp.layers import LAYERS

OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


def _doc(client) -> dict:
    landing = client.get("/ogc").get_json()
    desc = next(l for l in landing["links"] if l["rel"] == "service-desc")
    assert desc["type"] == OPENAPI and desc["href"].startswith("http://localhost/ogc")
    response = client.get(desc["href"])
    assert response.status_code == 200 and response.content_type.startswith("application/vnd.oai.openapi+json")
    return json.loads(response.get_data(as_text=True))


def test_every_landing_link_is_absolute_and_resolves(client):
    landing = client.get("/ogc").get_json()
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= {l["rel"] for l in landing["links"]}
    for l in landing["links"]:
        assert l["href"].startswith("http://localhost/ogc"), l
        assert client.get(l["href"]).status_code == 200, l


def test_document_lists_each_collection_with_its_queryables(client):
    doc = _doc(client)
    assert doc["openapi"].startswith("3.0") and doc["servers"][0]["url"] == "http://localhost/ogc"
    listed = [c["id"] for c in client.get("/ogc/collections").get_json()["collections"]]
    for cid in listed:
        assert {f"/collections/{cid}", f"/collections/{cid}/items", f"/collections/{cid}/items/{{featureId}}",
                f"/collections/{cid}/queryables"} <= set(doc["paths"])
    params = {p.get("name"): p for p in doc["paths"]["/collections/lots/items"]["get"]["parameters"]}
    for field in LAYERS["lots"].fields:
        assert field.name in params
    assert params["status"]["schema"]["enum"] == list(LAYERS["lots"].field("status").choices)
    assert params["price_usd_m2"]["schema"]["type"] == "number"
    clearance = {p.get("name") for p in doc["paths"]["/collections/clearance/items"]["get"]["parameters"]}
    assert "owner" not in clearance, "personal fields are not offered to the public"


def test_parameter_schemas_are_valid_openapi_30(client):
    doc = _doc(client)
    for name, param in doc["components"]["parameters"].items():
        OAS30Validator.check_schema(param["schema"])
    for path in doc["paths"].values():
        for param in path["get"]["parameters"]:
            if "$ref" in param:
                assert param["$ref"].split("/")[-1] in doc["components"]["parameters"]
            else:
                OAS30Validator.check_schema(param["schema"])


def test_service_doc_is_html(client):
    response = client.get("/ogc/api?f=html")
    assert response.mimetype == "text/html" and "/collections/lots/items" in response.get_data(as_text=True)


def test_conformance_declares_what_is_implemented(client):
    classes = set(client.get("/ogc/conformance").get_json()["conformsTo"])
    for part in ("core", "geojson", "html", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{part}" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables" in classes


def test_queryables_are_a_json_schema_with_the_geometry(client):
    response = client.get("/ogc/collections/projects-lines/queryables")
    assert response.mimetype == "application/schema+json"
    schema = json.loads(response.get_data(as_text=True))
    assert schema["properties"]["geometry"]["format"] == "geometry-linestring-or-multilinestring"
    assert schema["properties"]["status"]["enum"] == list(LAYERS["projects"].field("status").choices)
    assert "length_m" in schema["properties"] and "area_ha" not in schema["properties"]
