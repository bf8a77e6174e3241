import csv
import io
import json
import subprocess
import sys

import pytest

from mapapp.sources.importer import import_file
from tests import builders


@pytest.fixture
def conflicted(loaded_store, tmp_path):
    """The hand-built data plus a lot L9 drawn over L1 and L2, and a tenant whose name is markup."""
    lots = [({"code": "L9", "zone_code": "Z1", "land_use": "factory", "status": "leased", "tenant": "<b>x</b>"}, builders.mbox(150, 0, 250, 100))]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l9.geojson", lots))
    return loaded_store


@pytest.fixture
def cclient(conflicted, db_url):
    from mapapp import create_app

    return create_app({"database": db_url}).test_client()


def test_table_lists_every_conflict_with_map_links(cclient, conflicted):
    html = cclient.get("/conflicts").get_data(as_text=True)
    found = conflicted.read_conflicts()
    assert html.count("<tr data-id=") == len(found) > 0
    for cid in found["id"]:
        assert f"/?focus=conflicts:{cid}" in html
    assert "/?focus=lots:L9" in html
    assert "Lô đất chồng lấn nhau" in html


def test_filters_by_type_zone_and_severity(cclient, conflicted):
    only = cclient.get("/conflicts?type=lot_overlap").get_data(as_text=True)
    assert only.count("<tr data-id=") == len(conflicted.read_conflicts(type_="lot_overlap")) == 2
    assert cclient.get("/conflicts?zone=Z2").get_data(as_text=True).count("<tr data-id=") == len(conflicted.read_conflicts(zone="Z2"))
    high = conflicted.read_conflicts()
    n_high = int((high["severity"] == "high").sum())
    assert cclient.get("/conflicts?severity=high").get_data(as_text=True).count("<tr data-id=") == n_high


def test_english_page(cclient):
    html = cclient.get("/conflicts?lang=en").get_data(as_text=True)
    assert "Planning conflicts" in html and "Lots overlap" in html and "Show on map" in html


def test_csv_download_matches_the_filter(cclient, conflicted):
    response = cclient.get("/conflicts.csv?type=lot_overlap")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["type"] for r in rows} == {"lot_overlap"}
    assert sorted(r["codes"] for r in rows) == ["L1;L9", "L2;L9"]
    assert all(float(r["area_m2"]) == pytest.approx(5_000, rel=1e-3) for r in rows)


def test_no_conflicts_message(client):
    html = client.get("/conflicts?type=zone_overlap").get_data(as_text=True)
    assert "Không có xung đột nào" in html


def test_zone_popup_data_counts_conflicts_by_type(cclient):
    doc = json.loads(cclient.get("/api/layers/zones/Z1").get_data(as_text=True))
    assert doc["properties"]["conflicts"]["lot_overlap"] == 2


def cli(db_url, *args):
    env = {"MAPAPP_DATABASE": db_url, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "mapapp.cli", *args], capture_output=True, text=True, env=env)


def test_cli_conflicts_json_is_the_api_collection(conflicted, db_url, cclient):
    result = cli(db_url, "conflicts", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    api = json.loads(cclient.get("/api/conflicts").get_data(as_text=True))
    assert doc["type"] == "FeatureCollection"
    assert sorted(tuple(f["properties"]["codes"]) for f in doc["features"]) == sorted(tuple(f["properties"]["codes"]) for f in api["features"])
    overlap = [f for f in doc["features"] if f["properties"]["type"] == "lot_overlap"]
    for f in overlap:
        assert {"type", "codes", "area_m2", "severity", "description"} <= set(f["properties"])
        assert f["properties"]["area_m2"] == pytest.approx(5_000, rel=1e-3)
        assert f["geometry"]["type"] == "Polygon"


def test_cli_conflicts_table(conflicted, db_url):
    result = cli(db_url, "conflicts", "--type", "lot_overlap")
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["type", "severity", "zone"]
    assert lines[-1] == "2 conflicts"
    assert all("lot_overlap" in line for line in lines[1:-1])
