"""Real clients against a real server (waitress, sample data): GDAL's OAPIF driver, OWSLib, the ogctests conformance suite.

Marked slow: they start a server and child processes. GDAL runs in a child process
(pyogrio holds the GIL while it downloads); the server logs every request it answers,
so the tests see what the clients pushed to it.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest

from tests.api.ogc_live import Live, serve, serve_sample

pytestmark = pytest.mark.slow
GDAL_CLIENT = Path(__file__).with_name("gdal_client.py")
KIND = {"Point": "points", "MultiPoint": "points", "LineString": "lines", "MultiLineString": "lines",
        "Polygon": "polygons", "MultiPolygon": "polygons"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = serve_sample(tmp_path_factory)
    yield server
    server.close()


def get_json(url: str) -> dict:
    with urlopen(url, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def gdal(live: Live, *args: str) -> dict:
    done = subprocess.run([sys.executable, str(GDAL_CLIENT), live.base + "/ogc", *args],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def expected_counts(live: Live) -> dict[str, int]:
    """Counts per collection from /api (the floor API), split by geometry kind as the OGC collections are."""
    out: dict[str, int] = {}
    for layer in ("boundaries", "zones", "lots", "clearance", "projects"):
        kinds = Counter(KIND[f["geometry"]["type"]] for f in get_json(f"{live.base}/api/layers/{layer}")["features"])
        if layer == "projects":
            out.update({f"projects-{k}": n for k, n in kinds.items()})
        else:
            out[layer] = sum(kinds.values())
    kinds = Counter(KIND[f["geometry"]["type"]] for f in get_json(f"{live.base}/api/conflicts")["features"])
    out.update({f"conflicts-{k}": n for k, n in kinds.items()})
    return out


def items_queries(live: Live, collection: str) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(r).query) for r in live.paths(f"/ogc/collections/{collection}/items") if "/items/" not in r]


def test_gdal_reads_every_collection_with_the_right_counts_and_one_geometry_type(live):
    layers = gdal(live)["layers"]
    expected = expected_counts(live)
    assert {name: info["count"] for name, info in layers.items()} == expected
    for name, info in layers.items():
        kind = name.rsplit("-", 1)[-1] if "-" in name else "polygons"
        assert KIND.get(info["geometry"].replace("Multi", "").title().replace("string", "String"), kind) == kind, (name, info)


def test_gdal_pushes_an_attribute_filter_to_the_server(live):
    live.requests.clear()
    read = gdal(live, "lots", "status = 'available'")
    wanted = sorted(f["id"] for f in get_json(f"{live.base}/api/layers/lots?status=available")["features"])
    assert read["codes"] == wanted and 0 < len(wanted) < expected_counts(live)["lots"]
    assert any(q.get("status") == ["available"] for q in items_queries(live, "lots")), live.requests


def test_gdal_pushes_a_bbox_to_the_server(live):
    box = (105.55, 9.75, 105.75, 9.95)
    live.requests.clear()
    read = gdal(live, "lots", "", ",".join(map(str, box)))
    wanted = sorted(f["id"] for f in get_json(f"{live.base}/api/layers/lots?bbox={','.join(map(str, box))}")["features"])
    assert read["codes"] == wanted and 0 < len(wanted) < expected_counts(live)["lots"]
    assert any("bbox" in q for q in items_queries(live, "lots")), live.requests


def test_owslib_lists_collections_queryables_and_items(live):
    from owslib.ogcapi.features import Features

    service = Features(live.base + "/ogc")
    assert "lots" in [c["id"] for c in service.collections()["collections"]]
    assert service.api()["openapi"].startswith("3.0")
    assert {"status", "area_ha", "zone_code"} <= set(service.collection_queryables("lots")["properties"])
    box = [105.55, 9.75, 105.75, 9.95]
    page = service.collection_items("lots", bbox=box, limit=5)
    in_box = get_json(f"{live.base}/api/layers/lots?bbox={','.join(map(str, box))}")["features"]
    assert page["numberMatched"] == len(in_box) > 5 and page["numberReturned"] == len(page["features"]) == 5
    lines = service.collection_items("projects-lines", datetime_="2018-06-01/2018-06-30")
    assert 0 < lines["numberMatched"] <= expected_counts(live)["projects-lines"]
    for feature in lines["features"]:
        start, end = feature["properties"]["planned_start"], feature["properties"]["planned_end"]
        assert (start or "") <= "2018-06-30" and (end is None or end >= "2018-06-01")
    chosen = service.collection_items("lots", filter="status='available' AND area_ha>2", limit=1000)
    assert chosen["numberMatched"] == len(chosen["features"]) > 0
    assert all(f["properties"]["status"] == "available" and f["properties"]["area_ha"] > 2 for f in chosen["features"])
    assert service.collection_item("lots", chosen["features"][0]["id"])["id"] == chosen["features"][0]["id"]


def test_ogctests_conformance_suite_core_passes(live):
    """ogctests (PyPI) features/core: landing page, API definition (OpenAPI), conformance, collections, items, errors."""
    import ogctests

    suite = Path(ogctests.__file__).parent / "features" / "core"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        capture_output=True, text=True, timeout=600, cwd=suite.parent.parent,
        env={**os.environ, "INSTANCE_URL": live.base + "/ogc"},
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert " passed" in done.stdout and "failed" not in done.stdout and "error" not in done.stdout.lower()


@pytest.fixture(scope="module")
def lots_20k(tmp_path_factory):
    """A province of 20,000 lots (bench/synthetic.py), served."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from synthetic import province

    from mapapp.layers import LAYERS
    from mapapp.sources.validate import validate
    from mapapp.store.backend import Store

    data = province(20_000, seed=3)
    frames = {n: data[n][[c for c in data[n].columns if c in LAYERS[n].field_names or c == "geometry"]] for n in ("zones", "lots")}
    url = f"sqlite:///{tmp_path_factory.mktemp('ogc-20k') / 'lots.sqlite'}"
    store = Store(url)
    store.init_schema()
    zones = set(frames["zones"]["code"])
    store.write_layers({n: validate(LAYERS[n], f, zones) for n, f in frames.items()})
    server = serve(url)
    yield server
    server.close()


def test_reading_20000_lots_takes_requests_in_proportion_to_the_pages(lots_20k):
    lots_20k.requests.clear()
    read = gdal(lots_20k, "lots")
    assert read["count"] == 20_000 and len(set(read["codes"])) == 20_000
    pages = items_queries(lots_20k, "lots")
    size = max(int(q["limit"][0]) for q in pages)
    full = [q for q in pages if int(q["limit"][0]) == size]  # GDAL first probes a short page to learn the fields
    assert len(full) == math.ceil(20_000 / size), [r for r in lots_20k.requests]
    assert len(lots_20k.requests) <= len(full) + 8, "a few metadata requests, then one request a page"
    offsets = sorted(int(q.get("offset", ["0"])[0]) for q in full)
    assert offsets == list(range(0, 20_000, size))
