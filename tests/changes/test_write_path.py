"""The one write path on SQLite and PostgreSQL: strict values, whole-feature rules, versions, audit, revert, retire."""
from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import text, update

from mapapp import clock, create_app
from mapapp.changes.model import Actor
from mapapp.changes.revert import revert
from mapapp.edits import edit_feature
from mapapp.errors import ChangeRefused, ConfirmationNeeded, VersionConflict
from mapapp.reports import add_report
from mapapp.sources.importer import import_file
from mapapp.store import schema
from tests import builders
from tests.conftest import data_snapshot
from tests.conftest import bearer
from tests.serving_thread import serve, stop

WEB = Actor("planner1", "api")


def entries(store, **kw) -> list[dict]:
    return store.audit(**kw)


# -- values and whole-feature rules ------------------------------------------------------
@pytest.mark.parametrize(
    "layer, code, changes, message",
    [
        ("lots", "L2", {"price_usd_m2": "47,5"}, "field price_usd_m2: '47,5' is not a plain number"),
        ("lots", "L2", {"price_usd_m2": float("nan")}, "field price_usd_m2: nan is not a finite number"),
        ("lots", "L2", {"tenant": {"name": "x"}}, "field tenant: {'name': 'x'} is an object"),
        ("lots", "L2", {"tenant": "x" * 301}, "field tenant: text of 301 characters is longer than the 300 allowed"),
        ("lots", "L2", {"price_usd_m2": 1e300}, "field price_usd_m2: 1e+300 is beyond the largest value stored"),
        ("clearance", "P2", {"households": 2**63}, "field households: 9223372036854775808 is beyond the largest whole number"),
        ("clearance", "P2", {"paid_vnd": -1}, "field paid_vnd: -1 is below the minimum 0"),
        ("projects", "R1", {"planned_start": "2030-01-01", "planned_end": "2000-01-01"}, "field planned_end: planned start 2030-01-01 is after planned end 2000-01-01"),
        ("projects", "R1", {"planned_end": "9999-12-31"}, "field planned_end: 9999-12-31 is outside the plausible range"),
        ("projects", "R1", {"planned_start": "1989-12-31"}, "field planned_start: 1989-12-31 is outside the plausible range"),
        ("projects", "R1", {"progress_pct": 101}, "field progress_pct: 101 is above the maximum 100"),
        ("zones", "Z1", {"planned_area_ha": -3}, "field planned_area_ha: -3 is below the minimum 0"),
        ("lots", "L2", {"code": "L9"}, "field code: a code cannot be changed"),
        ("lots", "L2", {"zone_code": "NOPE"}, "field zone_code: zone 'NOPE' does not exist"),
    ],
)
def test_refused_changes_name_feature_and_field_and_store_nothing(backend_store, layer, code, changes, message):
    before = data_snapshot(backend_store)
    with pytest.raises(ChangeRefused) as refused:
        edit_feature(backend_store, layer, code, changes, WEB)
    line = str(refused.value)
    assert line.startswith(f"layer {layer}, feature {code}, ") and message in line and "\n" not in line
    assert data_snapshot(backend_store) == before


def test_only_changed_columns_are_written_and_versioned(backend_store):
    before = backend_store.get_feature("lots", "L1").iloc[0]
    result = edit_feature(backend_store, "lots", "L1", {"status": "leased", "tenant": "Công ty Mới"}, WEB)
    after = backend_store.get_feature("lots", "L1").iloc[0]
    assert result.changed == ["L1"] and after["version"] == before["version"] + 1
    (entry,) = [e for e in entries(backend_store, layer="lots", code="L1") if e["action"] == "update"]
    assert entry["before"] == {"tenant": "Công ty A&B <Việt>"} and entry["after"] == {"tenant": "Công ty Mới"}
    again = edit_feature(backend_store, "lots", "L1", {"tenant": "Công ty Mới"}, WEB)
    assert again.unchanged == ["L1"] and backend_store.get_feature("lots", "L1").iloc[0]["version"] == after["version"]


def test_a_stale_version_is_refused(backend_store):
    version = int(backend_store.get_feature("lots", "L2").iloc[0]["version"])
    edit_feature(backend_store, "lots", "L2", {"status": "reserved"}, Actor("leader2", "web"), if_version=version)
    with pytest.raises(VersionConflict) as stale:
        edit_feature(backend_store, "lots", "L2", {"tenant": "Công ty Chậm"}, WEB, if_version=version)
    assert "changed by leader2" in str(stale.value) and backend_store.get_feature("lots", "L2").iloc[0]["tenant"] is None


def test_paid_going_down_needs_confirmation_and_is_recorded(backend_store):
    edit_feature(backend_store, "clearance", "P2", {"paid_vnd": 5e8}, WEB)
    with pytest.raises(ConfirmationNeeded) as asked:
        edit_feature(backend_store, "clearance", "P2", {"paid_vnd": 4e8}, WEB)
    assert "lower than the 500,000,000 recorded" in asked.value.warnings[0]
    assert backend_store.get_feature("clearance", "P2").iloc[0]["paid_vnd"] == 5e8
    edit_feature(backend_store, "clearance", "P2", {"paid_vnd": 4e8}, WEB, confirm=True)
    assert entries(backend_store, layer="clearance", code="P2")[0]["warnings"] == asked.value.warnings


# -- audit of each kind of write ---------------------------------------------------------------
def test_every_kind_of_write_is_audited_with_before_and_after(backend_store, tmp_path):
    store = backend_store
    kinds = {e["action"] for e in entries(store)}
    assert "insert" in kinds  # the fixture's imports
    first_lot = next(e for e in entries(store, layer="lots", code="L1") if e["action"] == "insert")
    assert first_lot["via"] == "import" and first_lot["source"].startswith("lots.geojson sha256:")
    assert first_lot["after"]["tenant"] == "Công ty A&B <Việt>" and first_lot["after"]["geometry"]["type"] == "Polygon"
    edit_feature(store, "clearance", "P2", {"status": "cleared"}, Actor("planner1", "web"))
    add_report(store, "R1", percent=50, date=clock.today().isoformat(), actor=Actor("leader1", "api"), confirm=True)
    moved = builders.write_geojson(tmp_path / "l1.geojson", [(
        {"code": "L1", "zone_code": "Z1", "land_use": "factory", "status": "leased", "tenant": "Công ty A&B <Việt>"},
        builders.mbox(0, 0, 210, 100))])
    import_file(store, "lots", moved, actor=Actor("planner1", "import"))
    status = entries(store, layer="clearance", code="P2")[0]
    assert (status["actor"], status["via"], status["before"], status["after"]) == ("planner1", "web", {"status": "disputed"}, {"status": "cleared"})
    report = entries(store, layer="projects", code="R1")[0]
    assert report["action"] == "report" and report["after"]["progress_pct"] == 50.0 and report["after"]["report"]["percent"] == 50.0
    geometry = entries(store, layer="lots", code="L1")[0]
    assert set(geometry["before"]) == {"geometry"} and geometry["before"]["geometry"] != geometry["after"]["geometry"]
    assert geometry["via"] == "import" and geometry["actor"] == "planner1"
    from mapapp.changes.directives import set_directive_status

    store.write_layers({}, directive_items=[{"item": 11, "text_vi": "Kế hoạch GPMB", "text_en": "Clearance plan",
                                              "responsible": "Ban Quản lý", "status": "not_started", "links": []}])
    set_directive_status(store, 11, "in_progress", Actor("leader1", "web"))
    directive = entries(store, layer="directives", code="11")[0]
    assert (directive["action"], directive["before"], directive["after"]) == ("directive", {"status": "not_started"}, {"status": "in_progress"})


def test_cli_writes_are_recorded_under_their_operator(backend_store):
    env_url = backend_store.url
    run = lambda *a: subprocess.run([sys.executable, "-m", "mapapp.cli", *a], capture_output=True, text=True,
                                    env={"MAPAPP_DATABASE": env_url, "PATH": "/usr/bin:/bin", "MAPAPP_INSTANCE": os.environ["MAPAPP_INSTANCE"]})
    assert run("set", "lots", "L2", "status=reserved").returncode == 0
    assert run("set", "lots", "L3", "tenant=Kho Mới", "--as", "nguyen.van.a").returncode == 0
    assert run("report", "R1", "--percent", "45", "--by", "Tư vấn giám sát", "--confirm").returncode == 0
    assert entries(backend_store, layer="lots", code="L2")[0]["actor"] == getpass.getuser()
    assert entries(backend_store, layer="lots", code="L3")[0]["actor"] == "nguyen.van.a"
    report = entries(backend_store, layer="projects", code="R1")[0]
    assert report["actor"] == getpass.getuser() and report["via"] == "cli" and report["after"]["report"]["reported_by"] == "Tư vấn giám sát"


# -- revert ---------------------------------------------------------------------------------------
def test_revert_puts_values_back_as_a_new_logged_change(backend_store):
    edit_feature(backend_store, "lots", "L1", {"status": "available", "tenant": None}, WEB)
    entry = entries(backend_store, layer="lots", code="L1")[0]
    revert(backend_store, entry["id"], Actor("admin1", "web"))
    lot = backend_store.get_feature("lots", "L1").iloc[0]
    assert (lot["status"], lot["tenant"]) == ("leased", "Công ty A&B <Việt>")
    undo = entries(backend_store, layer="lots", code="L1")[0]
    assert undo["reverts"] == entry["id"] and undo["actor"] == "admin1" and undo["after"] == entry["before"]


def test_revert_of_an_insert_retires_and_of_a_report_withdraws(backend_store):
    inserted = next(e for e in entries(backend_store, layer="lots", code="L3") if e["action"] == "insert")
    revert(backend_store, inserted["id"], WEB)
    assert "L3" not in backend_store.codes("lots") and "L3" in backend_store.codes("lots", include_retired=True)
    add_report(backend_store, "R1", percent=60, date=clock.today().isoformat(), actor=WEB, confirm=True)
    assert backend_store.get_feature("projects", "R1").iloc[0]["progress_pct"] == 60.0
    revert(backend_store, entries(backend_store, layer="projects", code="R1")[0]["id"], WEB)
    assert backend_store.get_feature("projects", "R1").iloc[0]["progress_pct"] == 40.0
    assert 60.0 in [r["percent"] for r in backend_store.reports("R1", include_withdrawn=True)]
    assert 60.0 not in [r["percent"] for r in backend_store.reports("R1")]


# -- nothing is lost ---------------------------------------------------------------------------------
def test_replace_retires_and_keeps_history(backend_store, tmp_path, files):
    store = backend_store
    add_report(store, "R1", percent=45, date=clock.today().isoformat(), confirm=True)
    reports_before = store.reports("R1")
    r2 = [({"code": "R2", "name": "Đường số 2", "kind": "road", "status": "planned"}, builders.mline((0, 900), (500, 900)))]
    import_file(store, "projects", builders.write_geojson(tmp_path / "r2.geojson", r2), replace=True)
    assert store.codes("projects") == {"R2"}
    assert store.reports("R1") == reports_before  # history kept
    app = create_app({"database": store.url}).test_client()
    listed = app.get("/api/layers/projects").get_json()["features"]
    assert [f["id"] for f in listed] == ["R2"]
    every = app.get("/api/layers/projects?include=retired").get_json()["features"]
    assert {f["id"]: f["properties"]["retired"] for f in every} == {"R1": True, "R2": False}
    ogc = app.get("/ogc/collections/projects/items").get_json()["features"]
    assert [f["id"] for f in ogc] == ["R2"]
    ogc_all = app.get("/ogc/collections/projects/items?include=retired").get_json()["features"]
    assert {f["id"]: f["properties"]["retired"] for f in ogc_all} == {"R1": True, "R2": False}
    one = app.get("/api/layers/projects/R1")
    assert one.status_code == 200 and one.get_json()["properties"]["retired"] is True
    detail = app.get("/api/projects/R1").get_json()
    assert detail["properties"]["retired"] is True and len(detail["reports"]) == len(reports_before)
    assert "retire" in {e["action"] for e in entries(store, layer="projects", code="R1")}
    import_file(store, "projects", files["projects"])  # coming back restores it
    restoring = entries(store, layer="projects", code="R1")[:2]  # the restore, and the report of the file's percent
    assert "R1" in store.codes("projects") and "restore" in {e["action"] for e in restoring}


def test_clearance_replace_keeps_events(backend_store, tmp_path):
    edit_feature(backend_store, "clearance", "P2", {"status": "negotiating"}, WEB)
    events = backend_store.clearance_events()
    only_p1 = [({"code": "P1", "zone_code": "Z1", "status": "cleared"}, builders.mbox(500, 500, 600, 600))]
    import_file(backend_store, "clearance", builders.write_geojson(tmp_path / "p1.geojson", only_p1), replace=True)
    assert backend_store.clearance_events() == events and "P2" in backend_store.codes("clearance", include_retired=True)


# -- reads never break on stored data --------------------------------------------------------------
def test_a_bad_row_stored_directly_is_flagged_not_a_broken_page(backend_store):
    table = schema.layer_tables["projects"]
    with backend_store.writing() as conn:
        conn.execute(update(table).where(table.c.code == "R1").values(planned_start="2030-01-01", planned_end="2000-01-01"))
    client = create_app({"database": backend_store.url}).test_client()
    layer = client.get("/api/layers/projects")
    assert layer.status_code == 200
    (r1,) = layer.get_json()["features"]
    assert r1["properties"]["schedule_status"] == "flagged" and "planned start" in r1["properties"]["flags"][0]
    assert client.get("/api/projects/R1").status_code == 200
    assert client.get("/dashboard").status_code == 200
    assert client.get("/projects/R1").status_code == 200
    assert client.get("/ogc/collections/projects/items").status_code == 200
    with backend_store.writing() as conn:
        conn.execute(update(table).where(table.c.code == "R1").values(planned_start="2018-01-01", planned_end="9999-12-31"))
    assert client.get("/api/projects/R1").status_code == 200 and client.get("/projects/R1").status_code == 200


# -- one truth per fact; no internal column ----------------------------------------------------------
def test_progress_is_the_latest_report_and_no_internal_column_leaks(backend_store):
    add_report(backend_store, "R1", percent=55, date=clock.today().isoformat(), confirm=True)
    client = create_app({"database": backend_store.url}).test_client()
    props = client.get("/api/layers/projects/R1").get_json()["properties"]
    assert props["progress_pct"] == 55.0 == props["actual_pct"]
    for path in ("/api/layers/lots", "/api/layers/projects/R1", "/ogc/collections/lots/items"):
        assert "search_text" not in client.get(path).get_data(as_text=True), path
        assert "search_personal" not in client.get(path).get_data(as_text=True), path


# -- concurrency: real threads against the real server ---------------------------------------------------
def test_two_patches_with_the_same_etag_one_wins_one_is_412(backend_store, make_user):
    import threading
    import urllib.error
    import urllib.request

    token = make_user(backend_store, "planner1", "planner")
    root, server = serve(create_app({"database": backend_store.url}))
    base = f"{root}/api/layers/lots/L2"
    try:
        with urllib.request.urlopen(base) as r:
            tag = r.headers["ETag"]
        barrier = threading.Barrier(2)
        answers: dict[str, int] = {}

        def patch(field: str, value: str) -> None:
            request = urllib.request.Request(base, method="PATCH", data=json.dumps({field: value}).encode(),
                                             headers={**bearer(token), "If-Match": tag, "Content-Type": "application/json"})
            barrier.wait()
            try:
                with urllib.request.urlopen(request) as r:
                    answers[field] = r.status
            except urllib.error.HTTPError as err:
                answers[field] = err.code

        threads = [threading.Thread(target=patch, args=a) for a in (("status", "reserved"), ("tenant", "Công ty Song Song"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(answers.values()) == [200, 412], answers
        lot = backend_store.get_feature("lots", "L2").iloc[0]
        winner = next(f for f, code in answers.items() if code == 200)
        assert (lot["status"] == "reserved") == (winner == "status") and (lot["tenant"] == "Công ty Song Song") == (winner == "tenant")
        assert lot["version"] == 2
    finally:
        stop(server)


def test_many_concurrent_edits_of_different_fields_lose_nothing(backend_store):
    """Without If-Match claims, each edit reads inside its write lock: every field written survives."""
    import threading

    fields = {"tenant": "Công ty Đồng Thời", "price_usd_m2": 61.5, "status": "reserved", "land_use": "warehouse"}
    errors = []

    def edit(name, value):
        try:
            edit_feature(backend_store, "lots", "L2", {name: value}, WEB)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    for _ in range(3):
        threads = [threading.Thread(target=edit, args=item) for item in fields.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert errors == []
    lot = backend_store.get_feature("lots", "L2").iloc[0]
    assert {k: lot[k] for k in fields} == fields


def test_text_sql_bypass_is_not_needed(backend_store):
    """The store reads what it wrote: a direct SQL check that version and changed_by are kept per row."""
    edit_feature(backend_store, "lots", "L2", {"status": "reserved"}, Actor("ba.le", "web"))
    with backend_store.engine.connect() as conn:
        row = conn.execute(text("SELECT version, changed_by FROM lots WHERE code = 'L2'")).one()
    assert tuple(row) == (2, "ba.le")


# -- preview and undo of an import -------------------------------------------------------------------
def _layer_state(store, layer):
    frame = store.read_layer(layer, include_retired=True)
    return sorted((r["code"], r["status"], r.get("tenant"), pd.isna(r["retired_at"]), r["geom"].wkb_hex if hasattr(r["geom"], "wkb_hex") else None)
                  for r in frame.rename_geometry("geom").to_dict("records"))


def test_dry_run_says_what_would_happen_and_undo_puts_everything_back(backend_store, tmp_path):
    store = backend_store
    before = _layer_state(store, "lots")
    changed = [
        ({"code": "L1", "zone_code": "Z1", "land_use": "factory", "status": "leased", "tenant": "Công ty Khác"}, builders.mbox(0, 0, 200, 100)),
        ({"code": "L2", "zone_code": "Z1", "land_use": "factory", "status": "available", "price_usd_m2": 55}, builders.mbox(200, 0, 400, 100)),
        ({"code": "L9", "zone_code": "Z1", "land_use": "warehouse", "status": "available"}, builders.mbox(0, 400, 100, 500)),
    ]
    path = builders.write_geojson(tmp_path / "lots2.geojson", changed)
    preview = import_file(store, "lots", path, replace=True, dry_run=True)
    assert preview.result.counts() == {"added": 1, "changed": 1, "unchanged": 1, "retired": 1, "restored": 0}
    assert (preview.result.added, preview.result.changed, preview.result.retired) == (["L9"], ["L1"], ["L3"])
    assert _layer_state(store, "lots") == before
    done = run_cli(store.url, "import", "lots", str(path), "--replace", "--as", "chuyen.vien")
    assert done.returncode == 0, done.stderr
    change_id = done.stdout.split("change ")[1].split(";")[0]
    assert store.codes("lots") == {"L1", "L2", "L9"}
    undo = run_cli(store.url, "undo-import", change_id)
    assert undo.returncode == 0, undo.stderr
    assert [s for s in _layer_state(store, "lots") if s[0] != "L9"] == before
    assert "L9" not in store.codes("lots") and "L9" in store.codes("lots", include_retired=True)
    assert {e["actor"] for e in store.audit(layer="lots") if e["reverts"]} == {getpass.getuser()}


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mapapp.cli", *args], capture_output=True, text=True,
                          env={"MAPAPP_DATABASE": url, "PATH": "/usr/bin:/bin", "MAPAPP_INSTANCE": os.environ["MAPAPP_INSTANCE"]})


def test_twenty_simultaneous_status_changes_leave_status_and_history_agreeing(backend_store):
    import threading

    statuses = ["negotiating", "compensated", "cleared", "disputed"] * 5
    errors = []

    def change(status):
        try:
            edit_feature(backend_store, "clearance", "P2", {"status": status}, WEB)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=change, args=(s,)) for s in statuses]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    stored = backend_store.get_feature("clearance", "P2")["status"].iloc[0]
    history = [e for e in backend_store.clearance_events() if e["parcel_code"] == "P2"]
    assert history and history[-1]["status"] == stored
    audit = [e for e in backend_store.audit(layer="clearance", code="P2") if e["action"] == "update"]
    assert audit[0]["after"]["status"] == stored
    # each logged change starts from the state the previous one left
    for newer, older in zip(audit, audit[1:]):
        assert newer["before"]["status"] == older["after"]["status"]


def test_the_zones_a_change_names_are_checked_against_the_active_zones(backend_store):
    from mapapp.changes.model import Edit
    from mapapp.changes.plan import current_rows, zone_codes

    lots = backend_store.read_layer("lots", fields_only=True).set_index("code")
    zones = set(backend_store.read_layer("zones", fields_only=True)["code"])
    other = sorted(zones - {lots.at["L2", "zone_code"]})[0]
    with backend_store.engine.connect() as conn:
        current = current_rows(conn, "lots", ["L2"], whole_layer=False)
        # the edit's zone and the stored row's, nothing else; an unknown one is simply not among them
        assert zone_codes(conn, "lots", [Edit("L2", {"zone_code": other})], current) == {other, lots.at["L2", "zone_code"]}
        assert zone_codes(conn, "lots", [Edit("L2", {"zone_code": "NOPE"})], current) == {lots.at["L2", "zone_code"]}
    edit_feature(backend_store, "lots", "L2", {"zone_code": other}, WEB)
    assert backend_store.read_layer("lots", fields_only=True).set_index("code").at["L2", "zone_code"] == other
    # a zone retired behind the write path's back (it refuses to retire a zone in use): its lots' edits say so
    with backend_store.engine.begin() as conn:
        conn.execute(update(schema.layer_tables["zones"]).where(schema.layer_tables["zones"].c.code == other)
                     .values(retired_at="2026-01-01T00:00:00+07:00"))
    before = data_snapshot(backend_store)
    with pytest.raises(ChangeRefused) as refused:
        edit_feature(backend_store, "lots", "L2", {"tenant": "Công ty Mới"}, WEB)
    assert f"field zone_code: zone '{other}' does not exist" in str(refused.value)
    assert data_snapshot(backend_store) == before
