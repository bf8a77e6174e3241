"""Issue 13 wired into the app: records in the store, the API contract, the write path, old-style parcels, the CLI."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from mapapp import create_app
from mapapp.changes.blockers import reschedule_blocker, set_blocker_state
from mapapp.changes.clearance import add_household, record_payment, record_step
from mapapp.changes.model import Actor
from mapapp.edits import edit_feature
from mapapp.errors import ChangeRefused, VersionConflict
from mapapp.sources.sample import load_sample
from mapapp.store.backend import Store

WEB = Actor("leader1", "web")


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('wired') / 'sample.sqlite'}")
    store.init_schema()
    load_sample(store)
    return store.url


@pytest.fixture(scope="module")
def api(sample_url):
    return create_app({"database": sample_url}).test_client()


def props(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_json()["properties"]


def test_the_sample_records_are_in_the_store(sample_url):
    store = Store(sample_url)
    counts = {name: len(frame) for name, frame in store.clearance_records().items()}
    assert counts == {"households": 613, "household_parcels": 622, "clearance_parcels": 111, "steps": 800,
                      "payments": 415, "complaints": 20}
    assert [b.code for b, _ in store.blockers()] == [f"VM-0{i}" for i in range(1, 9)]
    units, placements = store.admin_units()
    assert units["HG-CTH"].name == "Huyện Châu Thành" and "CCN-DP" in placements


def test_parcels_carry_status_step_and_next_due(api):
    # GP-TPT-23: plan approved 2018-11-05, decision 2018-11-14, not paid: payment due 30 days after the
    # approval (Land Law 2024 Art. 94(1)) = 2018-12-05, overdue on the sample's date (2018-12-31)
    p = props(api, "/api/layers/clearance/GP-TPT-23")
    assert (p["status"], p["step"], p["due_step"], p["next_due"], p["overdue"]) == (
        "negotiating", "decision", "payment", "2018-12-05", True)
    # a parcel with no step yet
    untouched = [f["properties"] for f in api.get("/api/layers/clearance").get_json()["features"] if f["properties"]["status"] == "not_started"]
    assert untouched and all(q["step"] is None and q["next_due"] is None for q in untouched)


def test_derived_statuses_follow_the_date_in_view(api):
    # GP-TPT-23's steps start with the meeting on 2018-03-03: not started before, negotiating after
    assert props(api, "/api/layers/clearance/GP-TPT-23?at=2018-03-02")["status"] == "not_started"
    whole = api.get("/api/layers/clearance?at=2018-03-04").get_json()["features"]
    assert {f["properties"]["code"]: f["properties"]["status"] for f in whole}["GP-TPT-23"] == "negotiating"
    early = {f["properties"]["code"]: f["properties"]["step"] for f in whole}
    assert early["GP-TPT-23"] == "meeting"


def test_zones_and_lots_carry_their_clearance_figures(api):
    z = props(api, "/api/layers/zones/CCN-DP")
    assert 0 <= z["cleared_share"] <= 1 and round(z["largest_cleared_block_ha"], 1) == 40.7
    assert z["units_as_of"] == "Xã Đông Phú, Huyện Châu Thành, Tỉnh Hậu Giang"
    assert props(api, "/api/layers/zones/CCN-DP?at=2026-01-05")["units_as_of"] == "Xã Đông Phước, Thành phố Cần Thơ"
    lot = props(api, "/api/layers/lots/TPT-F05")
    assert lot["ready"] is False and lot["ready_expected"] > "2018-12-31" and lot["clearance_missing"] == ["GP-TPT-23"]
    leased = [f["properties"] for f in api.get("/api/layers/lots").get_json()["features"]]
    assert all(isinstance(f["ready"], bool) for f in leased)
    assert all(f["ready_expected"] is None for f in leased if f["ready"])


def step_count(store: Store, code: str) -> int:
    steps = store.clearance_records([code])["steps"]
    return len(steps)


def test_a_step_out_of_order_is_refused_naming_the_rule_and_nothing_is_stored(sample_store):
    before = (step_count(sample_store, "GP-TPT-23"), len(sample_store.audit()), sample_store.get_feature("clearance", "GP-TPT-23")["version"].iloc[0])
    with pytest.raises(ChangeRefused) as refused:
        record_step(sample_store, "GP-TPT-23", "handover", "2018-12-20", WEB, doc_type="Biên bản bàn giao", doc_number="5/BB-BG")
    assert str(refused.value) == ("layer clearance_steps, feature GP-TPT-23, field step: handover: needs payment or deposit first "
                                  "(Luật Đất đai 2024, Điều 94: bàn giao sau khi đã chi trả hoặc gửi tiền bồi thường)")
    with pytest.raises(ChangeRefused, match="field doc_number: a value is required"):
        record_step(sample_store, "GP-TPT-23", "payment", "2018-12-20", WEB, doc_type="Biên bản chi trả")
    with pytest.raises(ChangeRefused, match="field date: "):
        record_step(sample_store, "GP-TPT-23", "payment", "20/12/2018", WEB, doc_type="Biên bản", doc_number="1")
    # GP-SH-27 has its plan posted only: no approval before the appraisal (Art. 87(4))
    with pytest.raises(ChangeRefused, match=r"field step: approval: needs appraisal first \(Luật Đất đai 2024, Điều 87 khoản 4"):
        record_step(sample_store, "GP-SH-27", "approval", "2018-12-20", WEB, doc_type="Quyết định", doc_number="9/QĐ")
    after = (step_count(sample_store, "GP-TPT-23"), len(sample_store.audit()), sample_store.get_feature("clearance", "GP-TPT-23")["version"].iloc[0])
    assert after == before


def test_recording_steps_moves_status_step_and_the_zone(sample_store):
    client = create_app({"database": sample_store.url}).test_client()
    zone_before = props(client, "/api/layers/zones/KCN-TPT")
    version = int(sample_store.get_feature("clearance", "GP-TPT-23")["version"].iloc[0])
    v2 = record_step(sample_store, "GP-TPT-23", "payment", "2018-12-20", WEB, doc_type="Biên bản chi trả", doc_number="31/BB-CT",
                     signer="Hội đồng bồi thường", if_version=version)
    assert v2 == version + 1
    p = props(client, "/api/layers/clearance/GP-TPT-23")
    assert (p["status"], p["overdue"], p["next_due"]) == ("compensated", False, None)
    with pytest.raises(VersionConflict):  # the form was opened before the payment was recorded
        record_step(sample_store, "GP-TPT-23", "handover", "2018-12-27", WEB, doc_type="Biên bản", doc_number="1", if_version=version)
    record_step(sample_store, "GP-TPT-23", "handover", "2018-12-27", WEB, doc_type="Biên bản bàn giao", doc_number="32/BB-BG")
    p = props(client, "/api/layers/clearance/GP-TPT-23")
    assert (p["status"], p["step"]) == ("cleared", "handover")
    zone_after = props(client, "/api/layers/zones/KCN-TPT")
    assert zone_after["cleared_share"] > zone_before["cleared_share"]
    assert props(client, "/api/layers/lots/TPT-F05")["ready"] is True
    # the parcel's status history follows: the date control shows it compensated on the 20th, cleared on the 27th
    assert props(client, "/api/layers/clearance/GP-TPT-23?at=2018-12-21")["status"] == "compensated"
    events = [e for e in sample_store.clearance_events() if e["parcel_code"] == "GP-TPT-23"][-2:]
    assert [(e["date"], e["status"]) for e in events] == [("2018-12-20", "compensated"), ("2018-12-27", "cleared")]
    audit = sample_store.audit(code="GP-TPT-23", limit=4)
    assert [(a["action"], a["layer"]) for a in audit] == [("update", "clearance"), ("step", "clearance_steps")] * 2
    assert audit[1]["after"]["doc_number"] == "32/BB-BG" and audit[0]["before"] == {"status": "compensated"}


def test_enforcement_needs_every_condition_of_article_89(sample_store):
    with pytest.raises(ChangeRefused, match="enforcement conditions not met: decision_posted, user_refuses"):
        record_step(sample_store, "GP-TPT-23", "enforcement", "2018-12-20", WEB, doc_type="Quyết định cưỡng chế",
                    doc_number="7/QĐ-CC", conditions=["decision_in_force", "persuasion_done"])


def test_payment_due_date_and_late_interest(sample_store):
    # approved 2018-11-05, due 30 days later (2018-12-05), paid 2018-12-15: 10 days late at 0.03 %/day
    # on 100,000,000 VND = 300,000 VND (Land Law 2024 Art. 94(2); Law 38/2019/QH14 Art. 59)
    hh = sample_store.clearance_records(["GP-TPT-23"])["household_parcels"]["household_code"].iloc[0]
    row = record_payment(sample_store, "GP-TPT-23", hh, WEB, approved_vnd=100_000_000, approval_date="2018-11-05",
                         paid_vnd=100_000_000, paid_date="2018-12-15")
    assert (row["due_date"], row["interest_vnd"]) == ("2018-12-05", 300_000.0)
    stored = sample_store.clearance_records(["GP-TPT-23"])["payments"]
    assert stored.loc[stored["household_code"] == hh, "interest_vnd"].tolist() == [300_000.0]
    with pytest.raises(ChangeRefused, match="field household_code: household GP-SH-01-H1 does not hold parcel GP-TPT-23"):
        record_payment(sample_store, "GP-TPT-23", "GP-SH-01-H1", WEB, approved_vnd=1, approval_date="2018-11-05")
    with pytest.raises(ChangeRefused, match="exceed the amount approved"):
        record_payment(sample_store, "GP-TPT-23", hh, WEB, approved_vnd=10, approval_date="2018-11-05", paid_vnd=11, paid_date="2018-11-06")


def test_a_household_is_added_with_its_parcels(sample_store):
    row = add_household(sample_store, "GP-TPT-23-H9", "Công ty TNHH Ví Dụ", ["GP-TPT-23", "GP-TPT-20"], WEB,
                        kind="organisation", lookup_code="abc12345")
    assert row["lookup_code"] == "ABC12345" and row["parcels"] == ["GP-TPT-20", "GP-TPT-23"]
    with pytest.raises(ChangeRefused, match="field lookup_code: this lookup code is given to another household"):
        add_household(sample_store, "GP-TPT-23-H10", "Hộ khác", ["GP-TPT-23"], WEB, lookup_code="ABC12345")
    with pytest.raises(ChangeRefused, match="field parcels: no parcel 'NOPE'"):
        add_household(sample_store, "GP-TPT-23-H11", "Hộ khác", ["NOPE"], WEB)
    assert sample_store.audit(code="GP-TPT-23-H9")[0]["after"]["parcels"] == ["GP-TPT-20", "GP-TPT-23"]


def test_blocker_state_and_deadline_changes_are_kept(sample_store):
    b = set_blocker_state(sample_store, "VM-03", "in_progress", WEB, on="2018-12-10", note="Đã mời hộ làm việc")
    assert b.state == "in_progress" and b.history[-1].previous == "open"
    with pytest.raises(ChangeRefused, match="layer blockers, feature VM-03, field note: a value is required"):
        reschedule_blocker(sample_store, "VM-03", "2019-01-31", "", WEB, on="2018-12-11")
    with pytest.raises(ChangeRefused, match="field state: 'done' is not one of open, in_progress, resolved"):
        set_blocker_state(sample_store, "VM-03", "done", WEB)
    reschedule_blocker(sample_store, "VM-03", "2019-01-31", "Chờ kinh phí", WEB, on="2018-12-11")
    stored, version = sample_store.blockers("VM-03")[0]
    assert (stored.deadline, version, len(stored.history)) == (dt.date(2019, 1, 31), 3, 2)
    with pytest.raises(VersionConflict):
        set_blocker_state(sample_store, "VM-03", "resolved", WEB, on="2018-12-12", if_version=2)


def test_old_style_parcels_get_a_household_and_steps(loaded_store):
    # the hand-built dataset is imported the old way: P1 cleared, P2 disputed (owner Hộ bà Trần Thị B, 2 households)
    rec = loaded_store.clearance_records()
    hh = rec["households"].set_index("code")
    assert hh.loc["P2-H1", "name"] == "Hộ bà Trần Thị B" and hh.loc["P2-H1", "members"] == 2
    steps = rec["steps"].groupby("parcel_code")["step"].apply(list)
    assert steps["P2"] == ["meeting", "notice", "inventory"] and steps["P1"][-1] == "handover"
    assert rec["complaints"]["parcel_code"].tolist() == ["P2"]
    client = create_app({"database": loaded_store.url}).test_client()
    p = props(client, "/api/layers/clearance/P2")
    assert (p["status"], p["step"], p["next_due"]) == ("disputed", "inventory", None)
    # a status written by hand on an old-style parcel brings its steps along
    edit_feature(loaded_store, "clearance", "P2", {"status": "compensated"}, WEB)
    after = loaded_store.clearance_records(["P2"])
    assert after["steps"]["step"].tolist()[-2:] == ["payment", "decision"] and after["complaints"].empty
    assert props(client, "/api/layers/clearance/P2")["status"] == "compensated"


def test_a_status_written_on_a_parcel_with_dated_steps_is_refused(sample_store):
    with pytest.raises(ChangeRefused, match="layer clearance, feature GP-TPT-23, field status: the status is derived from the recorded steps"):
        edit_feature(sample_store, "clearance", "GP-TPT-23", {"status": "cleared"}, WEB)
    assert sample_store.get_feature("clearance", "GP-TPT-23")["status"].iloc[0] == "negotiating"


def cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mapapp.cli", *args], capture_output=True, text=True,
                          env={"MAPAPP_DATABASE": db_url, "PATH": "/usr/bin:/bin", "HOME": "/tmp"}, timeout=120)


def test_cli_late_lists_overdue_steps_and_tasks(sample_url):
    out = cli(sample_url, "clearance", "late", "--date", "2018-12-31")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Việc quá hạn đến ngày 31/12/2018: 25"
    # GP-CDP-08: payment due 19/01/2018, 346 days late on 31/12/2018; the 2018 authority is named for its district
    assert lines[1].split() [:4] == ["GP-CDP-08", "19/01/2018", "346", "ngày"]
    assert "huyện Châu Thành" in lines[1]
    gp23 = next(line for line in lines if "GP-TPT-23" in line)
    assert "05/12/2018" in gp23 and " 26 ngày" in gp23
    # VM-08 (deadline 20/12/2018, open) is an overdue task; VM-07 is resolved and not listed
    assert any(line.split()[0] == "VM-08" and "20/12/2018" in line for line in lines[1:])
    assert not any("VM-07" in line for line in lines)
    week = cli(sample_url, "clearance", "late", "--date", "2018-12-10", "--lang", "en")
    gp23 = next(line for line in week.stdout.splitlines() if "GP-TPT-23" in line)
    assert gp23.startswith("* GP-TPT-23") and "2018-12-05" in gp23 and "5 days" in gp23  # fell due this week
    bad = cli(sample_url, "clearance", "late", "--date", "31/12/2018")
    assert bad.returncode == 1 and bad.stderr.strip() == "mapapp: error: --date: '31/12/2018' is not a date YYYY-MM-DD"


def test_cli_matrix_writes_the_household_by_step_workbook(sample_url, tmp_path):
    path = tmp_path / "kcn-tpt.xlsx"
    out = cli(sample_url, "clearance", "matrix", "KCN-TPT", str(path), "--date", "2018-12-31")
    assert out.returncode == 0, out.stderr
    ws = load_workbook(path)["Ma trận GPMB"]
    assert [ws.cell(1, c).value for c in (1, 2, 3, 4, 13)] == ["Mã hộ", "Hộ gia đình, tổ chức", "Thửa đất", "Họp dân", "Quyết định thu hồi đất"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "GP-TPT-23-H1")
    payment = ws.cell(row, 3 + 9)  # the 9th main step: payment
    assert ws.cell(1, 3 + 9).value == "Chi trả bồi thường"
    assert payment.value == "05/12/2018" and payment.fill.start_color.rgb.endswith("FFC7CE")  # overdue: red
    assert ws.cell(row, 4).value == "03/03/2018" and ws.cell(row, 4).fill.start_color.rgb.endswith("C6EFCE")  # done: green
    project = cli(sample_url, "clearance", "matrix", "PRJ-CDP-3B", str(tmp_path / "3b.xlsx"))
    assert project.returncode == 0 and project.stdout.startswith("7 households × 11 steps of PRJ-CDP-3B")
    missing = cli(sample_url, "clearance", "matrix", "NOPE", str(tmp_path / "x.xlsx"))
    assert missing.returncode == 1 and "no zone or project 'NOPE'" in missing.stderr
