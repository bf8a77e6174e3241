"""Backup and restore of the whole database, on SQLite and on PostgreSQL (MAPAPP_TEST_POSTGRES).

Each PostgreSQL test works in scratch databases of its own, created and dropped here.
"""
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, func, insert, select, update
from sqlalchemy.engine import make_url

from mapapp.edits import edit_feature
from mapapp.reports import add_report
from mapapp.sources.importer import import_file
from mapapp.store import schema
from mapapp.store.backend import Store
from mapapp.store.backup import backup
from mapapp.store.backup_files import BackupError
from mapapp.store.pg_tools import find_pg_tool
from mapapp.store.restore import restore
from mapapp.store.table_fingerprints import table_fingerprints
from tests import builders
from tests.store.test_spatial import index_mismatches

PG_URL = os.environ.get("MAPAPP_TEST_POSTGRES")
NEEDS_PG = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="no PostgreSQL: set MAPAPP_TEST_POSTGRES (make test starts one via .ci/ensure-postgres)"),
]


@pytest.fixture
def pg_database():
    """A factory of new, empty PostgreSQL databases (URLs); all are dropped at the end."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"mapapp_backup_{secrets.token_hex(6)}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        made.append(name)
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def stores(tmp_path, request):
    """A factory of new, empty stores: ``stores("sqlite")`` or ``stores("postgresql")``."""
    made: list[Store] = []

    def make(backend: str) -> Store:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / f'db{len(made)}.sqlite'}"
        else:
            url = request.getfixturevalue("pg_database")()
        store = Store(url)
        store.init_schema()
        made.append(store)
        return store

    yield make
    for store in made:
        store.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=NEEDS_PG)])
def new_store(request, stores):
    """A factory of new, empty stores of the backend under test."""
    return lambda: stores(request.param)


def fill(store: Store, folder: Path) -> Store:
    """The builders' layers, one lot with nested extra attributes and a land use its zone does not allow (a conflict), progress reports, clearance events, a directive."""
    folder.mkdir(exist_ok=True)
    lots = builders.lots_features()
    lots[1][0].update({"land_use": "commercial", "ghi_chú": "Đất lúa 2 vụ", "survey": {"points": [1.5, 2.25], "by": "Sở TN&MT"}})
    layers = {"zones": builders.zones_features(), "lots": lots, "clearance": builders.clearance_features(),
              "projects": builders.projects_features()}
    for layer, features in layers.items():
        import_file(store, layer, builders.write_geojson(folder / f"{layer}.geojson", features))
    add_report(store, "R1", percent="55", date="2018-06-01", note="Rải đá 1×2", disbursed_vnd="1200000000", reported_by="Ban QL", confirm=True)
    add_report(store, "R1", percent="61.5", date="2018-07-01", reached_m="612.25", confirm=True)
    edit_feature(store, "clearance", "P2", {"status": "negotiating", "paid_vnd": 15_000_000})
    edit_feature(store, "clearance", "P2", {"status": "compensated", "paid_vnd": 30_000_000.5})
    store.write_layers({}, directive_items=[{"item": 1, "text_vi": "Giải phóng mặt bằng", "text_en": "Clear the land",
                                             "responsible": "UBND huyện", "status": "in_progress",
                                             "links": [{"layer": "clearance", "code": "P2"}]}])
    return store


def wipe(store: Store) -> None:
    with store.engine.begin() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            conn.execute(delete(table))


def max_id(store: Store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.max(table.c.id))).scalar_one()


def test_backup_wipe_restore_gives_identical_tables(new_store, tmp_path):
    store = fill(new_store(), tmp_path / "data")
    before = table_fingerprints(store)
    for name in ("zones", "lots", "clearance", "projects", "progress_reports", "clearance_events", "directives", "conflicts", "meta"):
        assert before[name][0] > 0, name
    assert set(before) == {t.name for t in schema.metadata.sorted_tables}

    summary = backup(store, tmp_path / "copy.bak")
    assert summary.tables == {name: count for name, (count, _) in before.items()}
    assert table_fingerprints(store) == before  # the backup added nothing to the database
    assert [p.name for p in tmp_path.iterdir() if "copy.bak" in p.name] == ["copy.bak"]  # no partial, -wal or -shm file
    if summary.format == "sqlite":
        with sqlite3.connect(tmp_path / "copy.bak") as con:  # one self-contained file
            assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)

    wipe(store)
    assert all(count == 0 for count, _ in table_fingerprints(store).values())
    restored = restore(store, tmp_path / "copy.bak")  # an empty database needs no --force
    assert table_fingerprints(store) == before
    assert restored.tables == summary.tables and restored.format == summary.format


def test_a_restored_database_has_its_spatial_index_and_metric_geometry(new_store, tmp_path):
    store = fill(new_store(), tmp_path / "data")
    backup(store, tmp_path / "copy.bak")
    view = tuple(builders.mbox(150, 50, 250, 60).bounds)
    lots, conflicts = store.read_layer("lots", bbox=view), store.read_conflicts(bbox=view)
    assert len(lots) == 2 and len(conflicts) >= 1
    wipe(store)
    assert index_mismatches(store) == [] and store.read_layer("lots", bbox=view).empty
    other = new_store()
    for target in (store, other):  # into the emptied database and into a new one
        restore(target, tmp_path / "copy.bak")
        assert index_mismatches(target) == []
        assert list(target.read_layer("lots", bbox=view)["code"]) == list(lots["code"])
        assert list(target.read_conflicts(bbox=view)["id"]) == list(conflicts["id"])
        metric = target.read_layer("lots", metric=True)
        assert metric.geometry.notna().all() and metric.crs == "EPSG:5897"


def test_a_backup_from_before_the_metric_geometry_gets_it_on_restore(loaded_store, store_factory, tmp_path):
    backup(loaded_store, tmp_path / "old.bak")
    with sqlite3.connect(tmp_path / "old.bak") as con:  # as mapapp wrote it before migration 0003
        for table in schema.layer_tables:
            con.execute(f'ALTER TABLE "{table}" DROP COLUMN geom_m')
    target = store_factory()
    restore(target, tmp_path / "old.bak")
    table = schema.layer_tables["lots"]
    with target.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(table.c.geom_m.is_(None))).scalar_one() == 0
    assert table_fingerprints(target) == table_fingerprints(loaded_store)


def test_restore_refused_without_force_changes_nothing(new_store, tmp_path):
    store = fill(new_store(), tmp_path / "data")
    at_backup = table_fingerprints(store)
    backup(store, tmp_path / "copy.bak")
    add_report(store, "R1", percent="70", date="2018-08-01", confirm=True)
    changed = table_fingerprints(store)
    assert changed != at_backup

    with pytest.raises(BackupError, match=r"^the database is not empty \(.*\): pass --force to replace") as refused:
        restore(store, tmp_path / "copy.bak")
    assert "\n" not in str(refused.value)
    assert table_fingerprints(store) == changed

    restore(store, tmp_path / "copy.bak", force=True)
    assert table_fingerprints(store) == at_backup


def test_backup_during_an_open_write_transaction_is_consistent(new_store, tmp_path):
    store = fill(new_store(), tmp_path / "data")
    before = table_fingerprints(store)
    with store.engine.connect() as writer:
        writer.begin()
        writer.execute(insert(schema.progress_reports).values(
            project_code="R1", date="2018-09-01", percent=80.0, note="", reported_by="", created_at="2018-09-01T00:00:00+00:00"))
        writer.execute(update(schema.layer_tables["projects"]).values(progress_pct=80.0))
        summary = backup(store, tmp_path / "copy.bak")
        writer.commit()
    assert table_fingerprints(store) != before  # the write did land, after the backup
    assert summary.tables["progress_reports"] == before["progress_reports"][0]

    elsewhere = new_store()
    restore(elsewhere, tmp_path / "copy.bak")
    assert table_fingerprints(elsewhere) == before  # neither half of the open write


def test_restore_into_a_new_database_then_keep_writing(new_store, tmp_path):
    source = fill(new_store(), tmp_path / "data")
    expected = table_fingerprints(source)
    backup(source, tmp_path / "copy.bak")
    target = new_store()
    restore(target, tmp_path / "copy.bak")
    assert table_fingerprints(target) == expected

    lots, reports = schema.layer_tables["lots"], schema.progress_reports
    top_lot, top_report = max_id(target, lots), max_id(target, reports)
    new_lot = [({"code": "L9", "zone_code": "Z1", "land_use": "factory", "status": "leased"}, builders.mbox(150, 0, 250, 100))]
    import_file(target, "lots", builders.write_geojson(tmp_path / "l9.geojson", new_lot))
    add_report(target, "R1", percent="90", date="2018-10-01", confirm=True)
    assert max_id(target, lots) == top_lot + 1 and max_id(target, reports) == top_report + 1
    assert set(target.read_layer("lots")["code"]) == {"L1", "L2", "L3", "L9"}
    assert len(target.read_conflicts(type_="lot_overlap")) == 2  # L9 overlaps L1 and L2


def test_a_failing_restore_leaves_the_database_unchanged(new_store, tmp_path):
    store = fill(new_store(), tmp_path / "data")
    backup(store, tmp_path / "copy.bak")
    add_report(store, "R1", percent="70", date="2018-08-01", confirm=True)
    # the last table restored refuses one of the backup's rows, after every other table was emptied and refilled
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("CREATE TRIGGER no_61 BEFORE INSERT ON progress_reports WHEN NEW.percent = 61.5 "
                                 "BEGIN SELECT RAISE(ABORT, 'no 61.5 here'); END")
        else:
            conn.exec_driver_sql("ALTER TABLE progress_reports ADD CONSTRAINT no_61 CHECK (percent <> 61.5) NOT VALID")
    changed = table_fingerprints(store)
    with pytest.raises(BackupError, match="the database is unchanged"):
        restore(store, tmp_path / "copy.bak", force=True)
    assert table_fingerprints(store) == changed


def test_fingerprints_see_one_changed_value(loaded_store):
    before = table_fingerprints(loaded_store)
    lots = schema.layer_tables["lots"]
    with loaded_store.engine.begin() as conn:
        conn.execute(update(lots).where(lots.c.code == "L2").values(price_usd_m2=55.00000000000001))
    after = table_fingerprints(loaded_store)
    assert after["lots"][0] == before["lots"][0] and after["lots"][1] != before["lots"][1]
    assert {k: v for k, v in after.items() if k != "lots"} == {k: v for k, v in before.items() if k != "lots"}


def test_files_that_are_not_mapapp_backups_are_refused(loaded_store, tmp_path):
    before = table_fingerprints(loaded_store)
    (tmp_path / "notes.txt").write_text("not a backup")
    other = sqlite3.connect(tmp_path / "other.sqlite")
    other.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    other.commit()
    other.close()
    cases = {
        tmp_path / "missing.bak": "no such file",
        tmp_path / "notes.txt": "not a mapapp backup (neither an SQLite database nor a pg_dump archive)",
        tmp_path / "other.sqlite": "not a mapapp backup (an SQLite database without mapapp's tables)",
    }
    for path, message in cases.items():
        with pytest.raises(BackupError, match=message.replace("(", r"\(").replace(")", r"\)")):
            restore(loaded_store, path, force=True)
    assert table_fingerprints(loaded_store) == before


def test_backup_from_a_newer_mapapp_is_refused(loaded_store, tmp_path):
    backup(loaded_store, tmp_path / "column.bak")
    with sqlite3.connect(tmp_path / "column.bak") as con:
        con.execute("ALTER TABLE lots ADD COLUMN rating REAL")
    with pytest.raises(BackupError, match=r"holds columns this version of mapapp does not know \(lots\.rating\)"):
        restore(loaded_store, tmp_path / "column.bak", force=True)

    backup(loaded_store, tmp_path / "table.bak")
    with sqlite3.connect(tmp_path / "table.bak") as con:
        con.execute("CREATE TABLE audit_trail (id INTEGER PRIMARY KEY)")
        con.execute("UPDATE mapapp_backup SET value = ? WHERE key = 'tables'",
                    (json.dumps([t.name for t in schema.metadata.sorted_tables] + ["audit_trail"]),))
    with pytest.raises(BackupError, match=r"holds tables this version of mapapp does not know \(audit_trail\)"):
        restore(loaded_store, tmp_path / "table.bak", force=True)


def test_a_backup_never_overwrites_a_file(loaded_store, tmp_path):
    target = tmp_path / "copy.bak"
    target.write_bytes(b"yesterday's backup")
    with pytest.raises(BackupError, match="already exists"):
        backup(loaded_store, target)
    assert target.read_bytes() == b"yesterday's backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def fake_tool(folder: Path, name: str, version: str) -> Path:
    folder.mkdir(parents=True)
    exe = folder / name
    exe.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    exe.chmod(0o755)
    return folder


def test_pg_dump_older_than_the_server_is_refused_with_what_to_install(tmp_path):
    old = fake_tool(tmp_path / "13" / "bin", "pg_dump", "13.16 (Debian 13.16-0+deb11u1)")
    with pytest.raises(BackupError, match=r"pg_dump 13\.16 .* is older than the PostgreSQL 15 server: install postgresql-client-15"):
        find_pg_tool("pg_dump", 15, [old])
    new = fake_tool(tmp_path / "17" / "bin", "pg_dump", "17.2")
    assert find_pg_tool("pg_dump", 15, [old, new]) == new / "pg_dump"  # the newest dumps older servers too
    with pytest.raises(BackupError, match="pg_restore not found: install PostgreSQL's client programs"):
        find_pg_tool("pg_restore", 15, [old, new])


def run_cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if k.startswith(("PATH", "HOME", "LANG", "MAPAPP_INSTANCE"))}, "MAPAPP_DATABASE": db_url}
    return subprocess.run([sys.executable, "-m", "mapapp.cli", *args], capture_output=True, text=True, env=env, timeout=300)


def test_cli_backup_and_restore(new_store, tmp_path):
    store = fill(new_store(), tmp_path / "data")
    before = table_fingerprints(store)
    copy = str(tmp_path / "copy.bak")

    made = run_cli(store.url, "backup", copy)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"backup written to {copy} (") and made.stdout.count("\n") == 1
    assert "lots 3" in made.stdout and "progress_reports 3" in made.stdout
    assert f"{len(before)} tables, {sum(c for c, _ in before.values())} rows" in made.stdout

    add_report(store, "R1", percent="70", date="2018-08-01", confirm=True)
    changed = table_fingerprints(store)
    refused = run_cli(store.url, "restore", copy)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("mapapp: error: the database is not empty") and "pass --force" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert table_fingerprints(store) == changed

    done = run_cli(store.url, "restore", copy, "--force")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"restored {copy} (") and "progress_reports 3" in done.stdout
    assert table_fingerprints(store) == before

    junk = tmp_path / "junk.bak"
    junk.write_text("hello")
    bad = run_cli(store.url, "restore", str(junk), "--force")
    assert (bad.returncode, bad.stderr) == (1, f"mapapp: error: {junk} is not a mapapp backup (neither an SQLite database nor a pg_dump archive)\n")
    assert table_fingerprints(store) == before


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="no PostgreSQL: set MAPAPP_TEST_POSTGRES (make test starts one via .ci/ensure-postgres)")
def test_backups_cross_between_sqlite_and_postgresql(stores, tmp_path):
    lite = fill(stores("sqlite"), tmp_path / "lite")
    pg = stores("postgresql")
    backup(lite, tmp_path / "lite.bak")
    restore(pg, tmp_path / "lite.bak")
    assert table_fingerprints(pg) == table_fingerprints(lite)  # the same values, whichever backend holds them
    assert index_mismatches(pg) == []
    add_report(pg, "R1", percent="75", date="2018-09-01", confirm=True)  # the sequences continue after the copied ids
    assert max_id(pg, schema.progress_reports) == max_id(lite, schema.progress_reports) + 1

    portable = backup(pg, tmp_path / "pg.sqlite", portable=True)
    assert portable.format == "sqlite"
    back = stores("sqlite")
    restore(back, tmp_path / "pg.sqlite")
    assert table_fingerprints(back) == table_fingerprints(pg)
    assert index_mismatches(back) == []

    native = backup(pg, tmp_path / "pg.dump")
    assert native.format == "pg_dump" and (tmp_path / "pg.dump").read_bytes().startswith(b"PGDMP")
    before = table_fingerprints(lite)
    with pytest.raises(BackupError, match=r"is a PostgreSQL backup \(pg_dump archive\) and restores only into PostgreSQL; `mapapp backup --portable`"):
        restore(lite, tmp_path / "pg.dump", force=True)
    assert table_fingerprints(lite) == before


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="no PostgreSQL: set MAPAPP_TEST_POSTGRES (make test starts one via .ci/ensure-postgres)")
def test_pg_dump_archive_of_another_database_is_refused(stores, pg_database, tmp_path):
    url = pg_database()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE things (id serial PRIMARY KEY, name text)")
        conn.exec_driver_sql("INSERT INTO things (name) VALUES ('a')")
    engine.dispose()
    parsed = make_url(url)
    dump = tmp_path / "things.dump"
    subprocess.run([str(find_pg_tool("pg_dump", 0)), "--format=custom", f"--file={dump}",
                    f"--dbname={parsed.set(drivername='postgresql').render_as_string(hide_password=False)}"], check=True)
    store = fill(stores("postgresql"), tmp_path / "data")
    before = table_fingerprints(store)
    with pytest.raises(BackupError, match=r"is not a mapapp backup \(a pg_dump archive without mapapp's tables\)"):
        restore(store, dump, force=True)
    assert table_fingerprints(store) == before
