"""The bundled sample dataset (data/geo) is what data/geo/make_sample.py makes,
it fits the layer schema, and its planted planning conflicts are the only ones.

Run from the repository root: .venv/bin/python -m pytest tests/test_sample_data.py -q
"""
from __future__ import annotations

import csv
import itertools
import json
import subprocess
import sys
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mapapp.analysis.measure import area_m2, to_metric  # noqa: E402
from mapapp.analysis.progress import schedule_state  # noqa: E402
from mapapp.analysis.progress_reports import Report  # noqa: E402
from mapapp.layers import LAYERS  # noqa: E402
from mapapp.sources.sample import SAMPLE_AS_OF  # noqa: E402

DATA = ROOT / "data" / "geo"
SCRIPT = DATA / "make_sample.py"
GEO_LAYERS = ("boundaries", "zones", "lots", "clearance", "projects")
TOL_M2 = 1.0


def run_script(out: Path) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True,
                   capture_output=True, cwd=ROOT)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_a")
    run_script(out)
    return out


@pytest.fixture(scope="module")
def layers(fresh) -> dict:
    """layer name -> list of (properties, WGS84 geometry, metric geometry)."""
    result = {}
    for name in GEO_LAYERS:
        fc = json.loads((fresh / f"{name}.geojson").read_text(encoding="utf-8"))
        assert fc["type"] == "FeatureCollection"
        geoms = [shape(f["geometry"]) for f in fc["features"]]
        metric = to_metric(geoms)
        result[name] = [(f["properties"], g, m)
                        for f, g, m in zip(fc["features"], geoms, metric)]
    return result


def codes(layers, name) -> set[str]:
    return {p["code"] for p, _, _ in layers[name]}


def by_code(layers, name) -> dict:
    return {p["code"]: (p, g, m) for p, g, m in layers[name]}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- the script


def test_deterministic_and_bundled_matches(fresh, tmp_path):
    run_script(tmp_path)
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for expected in ("boundaries.geojson", "zones.geojson", "lots.geojson", "clearance.geojson",
                     "projects.geojson", "progress_reports.csv", "clearance_events.csv",
                     "directives.json"):
        assert expected in names
    for name in names:
        data = (fresh / name).read_bytes()
        assert data == (tmp_path / name).read_bytes(), f"{name} differs between two runs"
        bundled = DATA / name
        assert bundled.exists(), f"{name} is not bundled: run data/geo/make_sample.py"
        assert bundled.read_bytes() == data, (
            f"data/geo/{name} is not what make_sample.py makes: regenerate it")


def test_size_and_encoding(fresh):
    total = 0
    for p in fresh.iterdir():
        raw = p.read_bytes()
        total += len(raw)
        text = raw.decode("utf-8")  # strict UTF-8
        assert not text.startswith("\ufeff")
        assert "\\u" not in text, f"{p.name}: non-ASCII escaped (ensure_ascii=False)"
        assert unicodedata.normalize("NFC", text) == text, f"{p.name}: not NFC"
    assert total < 1_500_000


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize("name", GEO_LAYERS)
def test_features_validate_against_layers(layers, name):
    spec = LAYERS[name]
    seen = set()
    for props, geom, _ in layers[name]:
        code = props.get("code")
        assert code and code not in seen, f"{name}: duplicate or missing code {code!r}"
        seen.add(code)
        assert set(props) <= set(spec.field_names), f"{name}/{code}: unknown fields"
        assert geom.geom_type in spec.geometry_types, f"{name}/{code}: {geom.geom_type}"
        assert geom.is_valid and not geom.is_empty, f"{name}/{code}: invalid geometry"
        for f in spec.fields:
            v = props.get(f.name)
            if v is None or v == "":
                assert not f.required, f"{name}/{code}: {f.name} is required"
                continue
            if f.type == "str":
                assert isinstance(v, str)
            elif f.type == "float":
                assert isinstance(v, (int, float)) and not isinstance(v, bool)
            elif f.type == "int":
                assert isinstance(v, int) and not isinstance(v, bool)
            elif f.type == "date":
                date.fromisoformat(v)
            if f.choices:
                assert v in f.choices, f"{name}/{code}: {f.name}={v!r}"
            if f.minimum is not None:
                assert v >= f.minimum
            if f.maximum is not None:
                assert v <= f.maximum
            if f.ref:
                assert v in codes(layers, f.ref), f"{name}/{code}: {f.name}={v!r} unknown"


@pytest.mark.parametrize("name", GEO_LAYERS)
def test_rfc7946_geometry(layers, name):
    for props, geom, _ in layers[name]:
        coords = shapely.get_coordinates(geom)
        assert (coords[:, 0] > 105.3).all() and (coords[:, 0] < 105.95).all()
        assert (coords[:, 1] > 9.55).all() and (coords[:, 1] < 10.02).all()
        assert (abs(coords * 1e7 - (coords * 1e7).round()) < 1e-3).all(), "7 decimals"
        for poly in shapely.get_parts(geom):
            if poly.geom_type == "Polygon":
                assert poly.exterior.is_ccw, f"{name}/{props['code']}: exterior not CCW"


# --------------------------------------------------------------------------- geography


def test_boundaries_tile_the_province(layers):
    feats = layers["boundaries"]
    provinces = [m for p, _, m in feats if p["level"] == "province"]
    districts = {p["name"]: m for p, _, m in feats if p["level"] == "district"}
    assert len(provinces) == 1 and len(districts) == 8
    assert all("illustrative" in p["source"] for p, _, _ in feats)
    province = provinces[0]
    assert 1500e6 < province.area < 1700e6  # 1,601 km² in the data brief
    union = shapely.union_all(list(districts.values()))
    assert union.symmetric_difference(province).area < 10.0
    for a, b in itertools.combinations(districts.values(), 2):
        assert a.intersection(b).area < TOL_M2
    minx, miny, maxx, maxy = shapely.bounds(
        shape(next(g for p, g, _ in feats if p["level"] == "province")))
    assert 105.33 <= minx and maxx <= 105.90 and 9.58 <= miny and maxy <= 9.99
    for p, _, zm in layers["zones"]:  # each zone inside its district
        assert zm.difference(districts[p["district"]]).area < TOL_M2, p["code"]


def test_zones(layers):
    zones = layers["zones"]
    assert codes(layers, "zones") == {"KCN-SH", "KCN-TPT", "CCN-DP", "KCN-DP", "CCN-PHA",
                                      "CCN-VT", "CCN-PH"}
    areas = area_m2([g for _, g, _ in zones]) / 1e4
    for (p, _, _), ha in zip(zones, areas):
        assert abs(ha - p["planned_area_ha"]) <= 0.02 * p["planned_area_ha"], p["code"]
    z = by_code(layers, "zones")
    assert z["KCN-SH"][0]["planned_area_ha"] == 290.79
    assert z["KCN-TPT"][0]["planned_area_ha"] == 200.85
    assert z["KCN-DP"][0]["status"] == "proposed"
    for (pa, _, a), (pb, _, b) in itertools.combinations(zones, 2):
        assert a.intersection(b).area < TOL_M2, (pa["code"], pb["code"])
    province = next(m for p, _, m in layers["boundaries"] if p["level"] == "province")
    for p, _, m in zones:
        assert m.difference(province).area < TOL_M2, p["code"]
    # KCN Đông Phú wraps the cluster without overlapping it
    assert z["KCN-DP"][2].convex_hull.buffer(1.0).contains(z["CCN-DP"][2])


def test_lots(layers):
    lots = layers["lots"]
    assert 150 <= len(lots) <= 300
    assert {p["status"] for p, _, _ in lots} == {"leased", "available", "reserved"}
    assert any(p["tenant"] == 'Công ty A&B <Việt> "Test"' for p, _, _ in lots)
    for p, _, m in lots:
        assert 1.0e4 <= m.area <= 9.0e4, p["code"]
        if p["status"] == "available":
            assert 40 <= p["price_usd_m2"] <= 70
    leased = sum(m.area for p, _, m in lots if p["status"] == "leased")
    assert 0.3 < leased / sum(m.area for _, _, m in lots) < 0.65  # well below 2023


def test_clearance(layers):
    parcels = layers["clearance"]
    assert 60 <= len(parcels) <= 120
    assert {p["status"] for p, _, _ in parcels} == set(LAYERS["clearance"].field("status").choices)
    for (pa, _, a), (pb, _, b) in itertools.combinations(parcels, 2):
        if a.intersects(b):
            assert a.intersection(b).area < TOL_M2, (pa["code"], pb["code"])
    for p, _, _ in parcels:
        assert p["paid_vnd"] <= p["compensation_vnd"]
        if p["status"] in ("compensated", "cleared"):
            assert p["paid_vnd"] == p["compensation_vnd"]
    sh = [(p, m) for p, _, m in parcels if p["zone_code"] == "KCN-SH"]
    assert sum(p["households"] for p, _ in sh) == 310
    assert sum(m.area for p, m in sh if p["status"] != "cleared") >= 46e4


# --------------------------------------------------------------------------- conflicts


def find_conflicts(layers) -> set[tuple]:
    """An independent, simple version of the app's checks (metres, 1 m² tolerance)."""
    out = set()
    zones = {p["code"]: (p, m) for p, _, m in layers["zones"]}
    lots = [(p, m) for p, _, m in layers["lots"]]
    uncleared = [(p, m) for p, _, m in layers["clearance"] if p["status"] != "cleared"]
    for (pa, a), (pb, b) in itertools.combinations(lots, 2):
        if a.intersection(b).area > TOL_M2:
            out.add(("lot_overlap", *sorted([pa["code"], pb["code"]])))
    for p, m in lots:
        zp, zm = zones[p["zone_code"]]
        if m.difference(zm).area > TOL_M2:
            out.add(("outside_zone", p["code"], zp["code"]))
        allowed = zp["allowed_land_uses"].split(",") if zp["allowed_land_uses"] else []
        if allowed and p["land_use"] not in allowed:
            out.add(("land_use_mismatch", p["code"], zp["code"]))
        if p["status"] in ("leased", "reserved"):
            for cp, cm in uncleared:
                if m.intersection(cm).area > TOL_M2:
                    out.add(("lot_on_uncleared_land", p["code"], cp["code"]))
    for p, _, m in layers["projects"]:
        size = (lambda g: g.area) if m.geom_type.endswith("Polygon") else (lambda g: g.length)
        zp, zm = zones[p["zone_code"]]
        if size(m.difference(zm)) > 1.0:
            out.add(("outside_zone", p["code"], zp["code"]))
        for cp, cm in uncleared:
            if size(m.intersection(cm)) > 1.0:
                out.add(("project_on_uncleared_land", p["code"], cp["code"]))
    return out


def test_only_the_planted_conflicts(layers, fresh):
    planted = json.loads((fresh / "expected_conflicts.json").read_text(encoding="utf-8"))
    expected = {(c["kind"], c["code"], c["other_code"]) for c in planted}
    assert find_conflicts(layers) == expected
    kinds = defaultdict(int)
    for c in planted:
        kinds[(c["kind"], c["layer"])] += 1
        if c["kind"] != "land_use_mismatch":
            assert c["measure"] >= (20 if c["layer"] == "projects" else 100), c
    assert kinds[("lot_overlap", "lots")] == 2
    assert 2 <= kinds[("lot_on_uncleared_land", "lots")] <= 3
    assert 1 <= kinds[("outside_zone", "lots")] <= 2
    assert kinds[("outside_zone", "projects")] == 1
    assert kinds[("project_on_uncleared_land", "projects")] == 2
    assert 1 <= kinds[("land_use_mismatch", "lots")] <= 2
    parcel = by_code(layers, "clearance")
    on_lots = {parcel[c["other_code"]][0]["status"] for c in planted
               if c["kind"] == "lot_on_uncleared_land"}
    assert "disputed" in on_lots
    on_roads = {parcel[c["other_code"]][0]["status"] for c in planted
                if c["kind"] == "project_on_uncleared_land"}
    assert on_roads == {"disputed", "negotiating"}
    # and PROVENANCE.md names every planted conflict
    provenance = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    for c in planted:
        assert c["code"] in provenance and c["other_code"] in provenance, c


def test_the_app_finds_only_the_planted_conflicts(fresh):
    gpd = pytest.importorskip("geopandas")
    from mapapp.analysis.conflicts import find_conflicts

    frames = [gpd.read_file(fresh / f"{n}.geojson") for n in ("zones", "lots", "clearance",
                                                             "projects")]
    found = find_conflicts(*frames)
    got = sorted((t, *sorted(c)) for t, c in zip(found["type"], found["codes"]))
    planted = json.loads((fresh / "expected_conflicts.json").read_text(encoding="utf-8"))
    assert got == sorted((c["kind"], *sorted([c["code"], c["other_code"]])) for c in planted)


def test_conflict_free_lots_sit_inside_their_zone(layers, fresh):
    planted = json.loads((fresh / "expected_conflicts.json").read_text(encoding="utf-8"))
    flagged = {c["code"] for c in planted} | {c["other_code"] for c in planted}
    zones = {p["code"]: m for p, _, m in layers["zones"]}
    for p, _, m in layers["lots"]:
        if p["code"] not in flagged:
            assert m.within(zones[p["zone_code"]].buffer(-1.0)), p["code"]


# --------------------------------------------------------------------------- tables


def test_progress_reports(layers, fresh):
    rows = read_csv(fresh / "progress_reports.csv")
    assert list(rows[0]) == ["project_code", "date", "percent", "disbursed_vnd", "note",
                             "reported_by", "reached_m"]
    projects = by_code(layers, "projects")
    reports = defaultdict(list)
    for r in rows:
        reports[r["project_code"]].append(r)
    assert set(reports) == set(projects)
    at = date.fromisoformat(SAMPLE_AS_OF)  # the date the app shows the sample at
    states = {}
    for code, rs in reports.items():
        p, _, m = projects[code]
        assert 3 <= len(rs) <= 8
        dates = [date.fromisoformat(r["date"]) for r in rs]
        assert dates == sorted(dates) and dates[0].year >= 2017 and dates[-1] <= at
        pct = [float(r["percent"]) for r in rs]
        assert pct == sorted(pct) and pct[-1] == p["progress_pct"]
        assert (p["status"] == "completed") == (pct[-1] == 100)
        money = [int(r["disbursed_vnd"]) for r in rs]
        assert money == sorted(money) and money[-1] <= p["budget_vnd"]
        assert all(r["note"] for r in rs)
        if p["kind"] == "road":
            reached = [int(r["reached_m"]) for r in rs]
            assert reached == sorted(reached) and reached[-1] <= m.length + 1.0
        else:
            assert all(r["reached_m"] == "" for r in rs)
        start, end = (date.fromisoformat(p[k]) for k in ("planned_start", "planned_end"))
        assert 2017 <= start.year <= 2019 and 2017 <= end.year <= 2019 and start < end
        state = schedule_state(start, end, [Report(d, x) for d, x in zip(dates, pct)], at)
        states[code] = (state.status, state.stale, pct[-1] == 100 and dates[-1] < end)
    # an interesting mix at the sample's date: on track, one or two late, one done
    # early, one with a stale last report
    kinds = [s for s, _, _ in states.values()]
    assert kinds.count("on_track") >= 2 and 1 <= kinds.count("late") <= 2
    assert any(early for _, _, early in states.values())
    assert any(stale for _, stale, _ in states.values())


def test_clearance_events(layers, fresh):
    rows = read_csv(fresh / "clearance_events.csv")
    assert list(rows[0]) == ["parcel_code", "date", "status", "paid_vnd"]
    parcels = by_code(layers, "clearance")
    events = defaultdict(list)
    for r in rows:
        events[r["parcel_code"]].append(r)
    assert set(events) == set(parcels)
    choices = LAYERS["clearance"].field("status").choices
    for code, evs in events.items():
        p = parcels[code][0]
        dates = [date.fromisoformat(e["date"]) for e in evs]
        assert dates == sorted(dates) and 2016 <= dates[0].year
        assert dates[-1] <= date.fromisoformat(SAMPLE_AS_OF)
        assert all(e["status"] in choices for e in evs)
        assert evs[-1]["status"] == p["status"]
        assert float(evs[-1]["paid_vnd"]) == p["paid_vnd"]
        paid = [float(e["paid_vnd"]) for e in evs]
        assert paid == sorted(paid)


def test_directives(layers, fresh):
    items = json.loads((fresh / "directives.json").read_text(encoding="utf-8"))
    assert [d["item"] for d in items] == list(range(1, 13))
    for d in items:
        assert d["text_vi"] and d["text_en"] and d["responsible"]
        assert d["status"] in ("not_started", "in_progress", "done", "ongoing")
        for link in d["links"]:
            assert link["code"] in codes(layers, link["layer"]), link
    links = {d["item"]: d["links"] for d in items}
    for item in (8, 9, 10, 11):
        assert links[item], f"item {item} has no links"
    assert {"layer": "zones", "code": "KCN-DP"} in links[9]
    assert {l["code"] for l in links[10] if l["layer"] == "projects"} == codes(layers, "projects")
    uncleared = {p["code"] for p, _, _ in layers["clearance"] if p["status"] != "cleared"}
    assert {l["code"] for l in links[11]} == uncleared
    assert "Phó Trưởng ban" in next(d for d in items if d["item"] == 11)["responsible"]


# --------------------------------------------------------------------------- issue 13: clearance records


@pytest.fixture(scope="module")
def records(fresh) -> dict:
    from mapapp.sources.sample import sample_clearance_records

    return sample_clearance_records(fresh)


def sample_parcels(layers, records):
    import pandas as pd

    props = pd.DataFrame([p for p, _, _ in layers["clearance"]])
    kinds = records["clearance_parcels"].rename(columns={"parcel_code": "code"})
    return props.merge(kinds, on="code", how="left")


def test_every_zone_inside_the_2018_province(layers):
    province = next(g for p, g, _ in layers["boundaries"] if p["level"] == "province")
    # the limit with Cần Thơ runs at about 9.969 N between 105.72 and 105.74 E (data brief)
    assert province.contains(shapely.Point(105.73, 9.9685)) and not province.contains(shapely.Point(105.73, 9.9695))
    tpt = by_code(layers, "zones")["KCN-TPT"][1]
    assert shapely.bounds(tpt)[3] < 9.969 - 0.002  # at least ~200 m south of it
    for p, g, _ in layers["zones"]:
        assert g.within(province), p["code"]


def test_people_named_by_role_only(layers, records, fresh):
    import re

    for path in fresh.iterdir():
        assert "Võ Minh Triều" not in path.read_text(encoding="utf-8"), path.name
    placeholder = re.compile(r"^(Hộ gia đình|Tổ chức) GP-[A-Z]+-\d{2}-\d+$")
    assert all(placeholder.match(p["owner"]) for p, _, _ in layers["clearance"])
    assert all(placeholder.match(n) for n in records["households"]["name"])
    items = json.loads((fresh / "directives.json").read_text(encoding="utf-8"))
    assert next(d for d in items if d["item"] == 11)["responsible"].endswith("Phó Trưởng ban phụ trách GPMB")
    projects = by_code(layers, "projects")
    assert projects["PRJ-CDP-3B"][0]["responsible"] == "Phó Trưởng ban phụ trách GPMB"


def test_records_fit_the_parcels(layers, records):
    from mapapp.clearance.procedure import check_steps, records_from_frame

    parcels = sample_parcels(layers, records)
    assert parcels["land_kind"].isin(["agricultural", "non_agricultural"]).all()
    links = records["household_parcels"]
    assert set(links["household_code"]) == set(records["households"]["code"])
    assert set(links["parcel_code"]) == set(parcels["code"])
    assert links.groupby("parcel_code").size().reindex(parcels["code"]).tolist() == parcels["households"].tolist()
    assert (links.groupby("household_code").size() > 1).sum() >= 3  # households holding two parcels
    assert records["households"]["lookup_code"].is_unique
    by_parcel = records_from_frame(records["steps"])
    for code, kind in zip(parcels["code"], parcels["land_kind"]):
        check_steps(by_parcel.get(code, []), kind, require_documents=True)  # in order, documented, no legal minimum broken
    paid = records["payments"].assign(total=lambda f: f["paid_vnd"] + f["deposited_vnd"]).groupby("parcel_code")["total"].sum()
    for p in parcels.itertuples():
        assert paid.get(p.code, 0.0) == p.paid_vnd, p.code


def test_statuses_derived_from_the_steps_are_the_sample_statuses(layers, records, fresh):
    from mapapp.clearance.derive import derive_statuses

    parcels = sample_parcels(layers, records)
    at = date.fromisoformat(SAMPLE_AS_OF)
    derived = derive_statuses(parcels["code"], records["steps"], records["complaints"], at)
    assert derived.tolist() == parcels["status"].tolist()
    # and so is the history: clearance_events.csv is the derived status at each of its dates
    events = read_csv(fresh / "clearance_events.csv")
    for on in sorted({e["date"] for e in events}):
        status = derive_statuses(parcels["code"], records["steps"], records["complaints"], date.fromisoformat(on))
        for e in (e for e in events if e["date"] == on):
            assert status[e["parcel_code"]] == e["status"], e


def test_planted_clearance_cases(layers, records):
    from mapapp.clearance.procedure import late_interest, progress_table

    steps = records["steps"]
    at = date.fromisoformat(SAMPLE_AS_OF)
    dated = {(r.parcel_code, r.step): date.fromisoformat(r.date) for r in steps.itertuples()}
    # a compulsory inventory: 15 days of persuasion, then the decision, then the inventory
    (code,) = steps.loc[steps["step"] == "compulsory_inventory", "parcel_code"]
    assert code == "GP-SH-27"  # as PROVENANCE.md says
    assert (dated[(code, "compulsory_inventory")] - dated[(code, "persuasion")]).days >= 15
    assert dated[(code, "inventory")] > dated[(code, "compulsory_inventory")]
    # an overdue payment: GP-TPT-23, under the leased lot TPT-F05, approved 2018-11-05, due 2018-12-05
    progress = progress_table(sample_parcels(layers, records), steps, at).set_index("parcel_code")
    assert progress.loc["GP-TPT-23", ["due_step", "next_due", "overdue"]].tolist() == ["payment", date(2018, 12, 5), True]
    # a payment made late, with its interest (Art. 94: 0.03 % a day)
    pay = records["payments"]
    late = pay[pay["interest_vnd"] > 0]
    assert len(late) and all(late_interest(r.paid_vnd, date.fromisoformat(r.due_date), date.fromisoformat(r.paid_date)) == r.interest_vnd
                             for r in late.itertuples())
    assert (pay["deposited_vnd"] > 0).any() and (steps["step"] == "deposit").sum() == 1
    enforced = steps[steps["step"] == "enforcement"]
    assert len(enforced) == 1 and set(enforced["conditions"].iloc[0].split(",")) == {
        "decision_in_force", "persuasion_done", "decision_posted", "user_refuses"}
    # complaints: open ones on the disputed parcels; one settled while the steps went on
    complaints = records["complaints"]
    statuses = {p["code"]: p["status"] for p, _, _ in layers["clearance"]}
    open_ = complaints[complaints["settled"] == ""]
    assert set(open_["parcel_code"]) == {c for c, s in statuses.items() if s == "disputed"}
    settled = complaints[complaints["settled"] != ""].iloc[0]
    during = [d for (c, _), d in dated.items() if c == settled["parcel_code"]
              and date.fromisoformat(settled["filed"]) <= d <= date.fromisoformat(settled["settled"])]
    assert during, "the procedure went on during the complaint (Decree 102/2024 Art. 40)"


def test_a_zone_mostly_cleared_but_not_in_one_piece(fresh):
    gpd = pytest.importorskip("geopandas")
    from mapapp.clearance.blocks import cleared_blocks, zone_clearance

    parcels, zones = gpd.read_file(fresh / "clearance.geojson"), gpd.read_file(fresh / "zones.geojson")
    z = zone_clearance(parcels, zones, cleared_blocks(parcels, zones)).set_index("zone_code")
    cdp = z.loc["CCN-DP"]  # the canal strip GP-CDP-17 splits the cluster's cleared land in two
    assert cdp["cleared_share"] > 0.9 and cdp["blocks"] == 2
    assert cdp["largest_cleared_block_ha"] < cdp["cleared_ha"] - 10
    assert (round(cdp["largest_cleared_block_ha"], 1), round(cdp["cleared_ha"] - cdp["largest_cleared_block_ha"], 1)) == (40.7, 14.6)
    assert (z.drop(index=["CCN-DP", "KCN-DP"])["blocks"] == 1).all()


def test_blockers_and_the_late_list(layers, records, fresh):
    from mapapp.clearance.blockers import LEADER_ROLES, check_blocker, late_list
    from mapapp.clearance.procedure import progress_table
    from mapapp.sources.sample import sample_blockers

    blockers = sample_blockers(fresh)
    assert all(check_blocker(b) for b in blockers) and {b.leader for b in blockers} <= set(LEADER_ROLES)
    assert {b.kind for b in blockers} == {"parcel", "household", "project", "enterprise"}
    b = {x.code: x for x in blockers}
    assert b["VM-02"].holds_up == ("PRJ-CDP-3B",) and b["VM-01"].holds_up == ("SH-H03",)
    at = date.fromisoformat(SAMPLE_AS_OF)
    parcels = sample_parcels(layers, records)
    late = late_list(progress_table(parcels, records["steps"], at), blockers, at, dict(zip(parcels["code"], parcels["zone_code"])))
    tasks = set(late.loc[late["kind"] == "task", "code"])
    assert tasks == {"VM-01", "VM-03", "VM-04", "VM-08"}  # VM-02 rescheduled to 2019-01-31; VM-07 resolved
    steps = late[late["kind"] == "step"].set_index("code")
    assert steps.loc["GP-TPT-23", "due"] == date(2018, 12, 5) and steps.loc["GP-TPT-23", "days_late"] == 26


def test_administrative_units_as_of_a_date(fresh):
    from mapapp.clearance.units import units_as_of
    from mapapp.sources.sample import sample_units

    units, placements = sample_units(fresh)
    boundaries = {f["properties"]["name"] for f in json.loads((fresh / "boundaries.geojson").read_text(encoding="utf-8"))["features"]}
    assert {u.name for u in units.values() if u.level == "district"} <= boundaries
    then = units_as_of(units, placements, "KCN-TPT", date(2018, 2, 5))
    assert [then[k].name for k in ("province", "district", "commune")] == ["Tỉnh Hậu Giang", "Huyện Châu Thành A", "Xã Tân Phú Thạnh"]
    now = units_as_of(units, placements, "KCN-TPT", date(2025, 7, 1))
    assert (now["province"].name, now["district"]) == ("Thành phố Cần Thơ", None) and now["commune"].illustrative
    assert set(placements) == {"KCN-SH", "KCN-TPT", "CCN-DP", "KCN-DP", "CCN-PHA", "CCN-VT", "CCN-PH"}
