"""The figures of issue 13's contract, from the sample and from old-style parcels."""
from __future__ import annotations

from datetime import date as D

import geopandas as gpd
import pandas as pd
import pytest

from mapapp.clearance.derive import from_old_parcels
from mapapp.clearance.view import clearance_figures
from mapapp.sources.sample import SAMPLE_AS_OF, sample_clearance_records, sample_dir

AT = D.fromisoformat(SAMPLE_AS_OF)


@pytest.fixture(scope="module")
def sample():
    d = sample_dir()
    parcels = gpd.read_file(d / "clearance.geojson")
    rec = sample_clearance_records(d)
    kinds = rec["clearance_parcels"].rename(columns={"parcel_code": "code"})
    return (gpd.read_file(d / "zones.geojson"), gpd.read_file(d / "lots.geojson"),
            parcels.merge(kinds, on="code"), rec)


def test_sample_figures(sample):
    zones, lots, parcels, rec = sample
    f = clearance_figures(zones, lots, parcels, rec["steps"], rec["complaints"], AT)
    p = f.parcels.set_index("code")
    assert (p["status"] == parcels.set_index("code")["status"]).all()
    assert p.loc["GP-TPT-23", ["status", "step", "due_step", "next_due", "overdue"]].tolist() == [
        "negotiating", "decision", "payment", D(2018, 12, 5), True]
    assert p.loc["GP-SH-27", "step"] == "plan_posted" and p.loc["GP-KDP-01", "step"] is not None
    assert p[p["status"] == "not_started"]["step"].isna().all()
    z = f.zones.set_index("zone_code")
    assert 0 <= z["cleared_share"].min() and z["cleared_share"].max() <= 1
    assert z.loc["CCN-DP", "blocks"] == 2 and round(z.loc["CCN-DP", "largest_cleared_block_ha"], 1) == 40.7
    assert z.loc["CCN-VT", "parcels_open"] == 0 and z.loc["CCN-VT", "expected_handover"] is None
    assert z.loc["KCN-TPT", "expected_handover"] > AT
    lots_ = f.lots.set_index("code")
    assert not lots_.loc["TPT-F05", "ready"] and lots_.loc["TPT-F05", "missing"] == ["GP-TPT-23"]
    assert lots_.loc["TPT-F05", "ready_expected"] > AT
    assert lots_["ready"].sum() >= len(lots) - 5


def test_old_style_parcels_keep_working(sample):
    zones, lots, parcels, _ = sample
    old = from_old_parcels(parcels[["code", "status", "owner", "households"]])
    assert len(old["households"]) == len(parcels) and old["households"]["name"].tolist() == parcels["owner"].tolist()
    assert len(old["complaints"]) == (parcels["status"] == "disputed").sum()
    f = clearance_figures(zones, lots, parcels, old["steps"], old["complaints"], AT)
    assert f.parcels["status"].tolist() == parcels["status"].tolist()
    assert f.parcels["next_due"].isna().all()  # undated steps give no deadline
    # and with no records at all the stored statuses stand
    g = clearance_figures(zones, lots, parcels.drop(columns=["land_kind"]), pd.DataFrame(), None, AT)
    assert g.parcels["status"].tolist() == parcels["status"].tolist()
    cleared = g.parcels[g.parcels["status"] == "cleared"]
    assert cleared["expected_handover"].isna().all() and g.parcels["expected_handover"].notna().sum() == (parcels["status"] != "cleared").sum()


def test_matrix_of_a_sample_zone_and_project(sample, tmp_path):
    from openpyxl import load_workbook

    from mapapp.clearance.matrix import build_matrix, write_xlsx
    from mapapp.clearance.view import project_parcels

    zones, lots, parcels, rec = sample
    m = build_matrix(rec["households"], rec["household_parcels"], parcels, rec["steps"], AT, zone="KCN-TPT")
    assert m.state.loc["GP-TPT-23-H1", "payment"] == "overdue" and m.date.loc["GP-TPT-23-H1", "payment"] == D(2018, 12, 5)
    links = rec["household_parcels"]
    assert set(m.state.index) == set(links.loc[links["parcel_code"].str.startswith("GP-TPT-"), "household_code"])
    path = write_xlsx(m, tmp_path / "kcn-tpt.xlsx", "KCN Tân Phú Thạnh", AT)
    ws = load_workbook(path)["Ma trận GPMB"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "GP-TPT-23-H1")
    assert ws.cell(row, 2).value == "Hộ gia đình GP-TPT-23-1" and ws.cell(row, 3 + 9).value == "05/12/2018"
    projects = gpd.read_file(sample_dir() / "projects.geojson")
    crossed = project_parcels(projects, parcels)
    on_3b = crossed.loc[crossed["project_code"] == "PRJ-CDP-3B", "parcel_code"].tolist()
    assert "GP-CDP-08" in on_3b  # the disputed parcel holding the road up
    m3b = build_matrix(rec["households"], rec["household_parcels"], parcels, rec["steps"], AT, parcel_codes=on_3b)
    assert set(m3b.state.index) == set(links.loc[links["parcel_code"].isin(on_3b), "household_code"])


def test_a_household_sees_only_its_own_file(sample):
    from mapapp.clearance.view import household_file

    _, _, _, rec = sample
    hh = rec["households"]
    shared = hh[hh["note"] != ""].iloc[0]  # holds two parcels
    f = household_file(shared["lookup_code"].lower(), hh, rec["household_parcels"], rec["steps"], rec["payments"])
    assert f["code"] == shared["code"] and len(f["parcels"]) == 2
    assert {s["parcel_code"] for s in f["steps"]} <= set(f["parcels"])
    assert {p["parcel_code"] for p in f["payments"]} <= set(f["parcels"])
    assert all(set(p) == {"parcel_code", "approved_vnd", "paid_vnd", "deposited_vnd", "due_date", "paid_date"} for p in f["payments"])
    assert household_file("", hh, rec["household_parcels"], rec["steps"]) is None
    assert household_file("NOPE1234", hh, rec["household_parcels"], rec["steps"]) is None


def test_filled_cells_are_those_neither_missing_nor_blank():
    from mapapp.clearance.view import _filled

    column = pd.Series(["2018-01-02", "", "  ", None, float("nan"), "2018-01-02", D(2018, 1, 3)], dtype=object)
    expected = column.notna() & (column.astype(str).str.strip() != "")
    assert _filled(column).tolist() == expected.tolist() == [True, False, False, False, False, True, True]
    assert _filled(pd.Series([], dtype=object)).tolist() == []
