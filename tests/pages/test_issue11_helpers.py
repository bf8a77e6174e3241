"""Page helpers of the planner/investor/leader work: lots' problems, data terms in English, readable
badges, the data's first date, the dashboard's CSV and the offline background file."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mapapp import create_app
from mapapp.pages.contrast import AA, badge_colors, contrast, _rgb
from mapapp.pages.data_terms import term
from mapapp.pages.lot_issues import lot_issues
from mapapp.pages.map_page import data_start
from mapapp.sources.sample import load_sample
from mapapp.store.backend import Store

GEO = Path(__file__).resolve().parents[2] / "data" / "geo"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('helpers') / 'sample.sqlite'}"
    store = Store(url)
    store.init_schema()
    load_sample(store)
    return store, create_app({"database": url, "basemap": "plain"}).test_client()


def test_lot_issues_name_conflicts_and_uncleared_land(sample):
    store, _ = sample
    issues = lot_issues(store)
    assert issues["PHA-A01"]["conflicts"] == [
        {"type": "outside_zone", "severity": "low", "area_m2": 6585.4, "length_m": None, "others": ["CCN-PHA"]}
    ]
    # a lot on a parcel not yet cleared: the parcel, its status and the area under the lot
    assert {"code": "GP-CDP-13", "status": "compensated", "area_m2": 5949.9} in issues["CDP-B03"]["uncleared"]
    clean = [code for code, found in issues.items() if not found["conflicts"] and not found["uncleared"]]
    assert len(clean) > 100
    assert set(lot_issues(store, ["PHA-A01"])) == {"PHA-A01"}


def test_lot_issues_route(sample):
    _, client = sample
    answer = client.get("/lots/PHA-A01/issues").get_json()
    assert answer["code"] == "PHA-A01" and answer["conflicts"][0]["type"] == "outside_zone"
    assert client.get("/lots/NO-SUCH/issues").status_code == 404


def test_terms_in_english_and_vietnamese():
    assert term("Huyện Châu Thành A", "en") == "Châu Thành A district"
    assert term("Ban Quản lý các KCN tỉnh Hậu Giang – Phó Trưởng ban Võ Minh Triều", "en") == (
        "Hậu Giang Industrial Zones Authority – Deputy Head Võ Minh Triều"
    )
    assert term("Ban Quản lý các KCN tỉnh Hậu Giang; Sở Xây dựng", "en") == "Hậu Giang Industrial Zones Authority; Department of Construction"
    assert term("Huyện Châu Thành", "vi") == "Huyện Châu Thành"
    # the sample's clearance leader is a role, wholly in English on English pages
    assert term("Phó Trưởng ban phụ trách GPMB", "en") == "Deputy Head in charge of land clearance"
    assert term("Công ty lạ", "en") == "Công ty lạ"  # no translation known: the text itself, never blank
    assert term(None, "en") == term(float("nan"), "vi") == "—"


@pytest.mark.parametrize("color", ["#1a9850", "#e7298a", "#f08c00", "#d73027", "#bbbbbb", "#2166ac", "#777", "#ffffbf"])
def test_badge_text_reaches_wcag_aa(color):
    background, ink = badge_colors(color)
    assert contrast(_rgb(background), _rgb(ink)) >= AA
    if ink == "#000":
        assert background == color  # a light colour is kept as it is, with black text


def test_data_start_is_the_earliest_dated_record(sample):
    store, _ = sample
    projects = json.loads((GEO / "projects.geojson").read_text(encoding="utf-8"))["features"]
    dates = [f["properties"]["planned_start"] for f in projects]
    for name in ("clearance_events.csv", "progress_reports.csv"):
        with (GEO / name).open(encoding="utf-8") as fh:
            dates += [row["date"] for row in csv.DictReader(fh)]
    assert data_start(store).isoformat() == min(dates)


def test_dashboard_csv_has_every_project_worst_first(sample):
    _, client = sample
    response = client.get("/dashboard.csv?at=2018-06-30")
    assert response.mimetype == "text/csv" and "2018-06-30" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 7 and {r["as_of"] for r in rows} == {"2018-06-30"}
    html = client.get("/dashboard?at=2018-06-30").get_data(as_text=True)
    codes_in_page = [line.split('data-code="')[1].split('"')[0] for line in html.splitlines() if "<tr data-code=" in line]
    assert [r["code"] for r in rows] == codes_in_page
    assert "/dashboard.csv?lang=vi&amp;at=2018-06-30" in html


def test_conflicts_summary_counts_what_the_filter_kept(sample):
    _, client = sample
    html = client.get("/conflicts?type=outside_zone&lang=en").get_data(as_text=True)
    assert '<b class="summary-count">3</b> of 12 conflicts match the filters' in html
    assert '<li data-type="lot_overlap"><a href="?type=lot_overlap&lang=en">Lots overlap</a>: <b>0</b></li>' in html


def test_background_file_is_what_its_script_writes(tmp_path):
    out = tmp_path / "background.geojson"
    subprocess.run([sys.executable, str(GEO / "make_background.py"), "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == (GEO / "background.geojson").read_bytes()
    doc = json.loads(out.read_text(encoding="utf-8"))
    kinds = {(f["properties"]["kind"], f["properties"].get("code")) for f in doc["features"]}
    assert {("road", "QL1A"), ("road", "QL61C"), ("road", "QL91B"), ("river", None)} <= kinds
    assert all("illustrative" in f["properties"]["source"] for f in doc["features"])
