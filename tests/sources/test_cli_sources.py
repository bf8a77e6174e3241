"""The import/export options on the command line: one line per refusal, mappings saved by name, declared formats."""
import json
import subprocess
import sys

from tests import builders

GOOD = builders.mbox(600, 0, 700, 100)


def runner(db_url, tmp_path):
    env = {"MAPAPP_DATABASE": db_url, "MAPAPP_INSTANCE": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"}
    return lambda *args: subprocess.run([sys.executable, "-m", "mapapp.cli", *args], capture_output=True, text=True, env=env)


def test_map_save_and_reuse_vi_numbers_dmy_dates_and_export(db_url, tmp_path, files):
    run = runner(db_url, tmp_path)
    assert run("import", "zones", str(files["zones"])).returncode == 0
    lots = builders.write_geojson(tmp_path / "l.geojson", [({"so_hieu": "N1", "khu": "Z1", "land_use": "factory", "status": "available",
                                                            "price_usd_m2": "1.047,5"}, GOOD)])
    first = run("import", "lots", str(lots), "--map", "code=so_hieu", "--map", "zone_code=khu", "--save-mapping", "do-dac",
                "--number-format", "vi")
    assert first.returncode == 0, first.stderr
    assert json.loads((tmp_path / "instance" / "mappings" / "do-dac.json").read_text()) == {"code": "so_hieu", "zone_code": "khu"}
    again = run("import", "lots", str(lots), "--mapping", "do-dac")
    assert again.returncode == 1
    assert again.stderr.strip() == ("mapapp: error: layer lots, feature 1 (code N1), field price_usd_m2: '1.047,5' is not a plain "
                                    "number: write 1234.5 (dot decimal, no grouping), or declare Vietnamese numbers "
                                    "(--number-format vi) for 1.234,5")
    projects = builders.write_geojson(tmp_path / "p.geojson", [({"code": "R1", "name": "Đường", "kind": "road", "status": "planned",
                                                                "planned_start": "05/02/2018"}, builders.mline((0, 0), (100, 0)))])
    assert run("import", "projects", str(projects), "--date-format", "dmy").returncode == 0
    out = tmp_path / "lots.shp.zip"
    exported = run("export", "lots", str(out), "--crs", "EPSG:5897")
    assert exported.returncode == 0 and exported.stdout.strip() == f"wrote 1 features of lots to {out}"
    back = run("export", "projects", str(tmp_path / "p.csv"))
    assert "2018-02-05" in (tmp_path / "p.csv").read_text(encoding="utf-8")
    assert back.returncode == 0


def test_status_clash_is_one_line(db_url, tmp_path, files):
    run = runner(db_url, tmp_path)
    run("import", "zones", str(files["zones"]))
    path = tmp_path / "two.geojson"
    doc = builders.collection([({"code": "N1", "zone_code": "Z1", "land_use": "factory", "Status": "leased", "status": "leased"}, GOOD)])
    path.write_text(json.dumps(doc))
    result = run("import", "lots", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["mapapp: error: layer lots, field status: columns 'Status' and 'status' would both become "
                                          "field status; say which with --map status=COLUMN or rename one"]


def test_named_crs_on_the_command_line(db_url, tmp_path, files):
    run = runner(db_url, tmp_path)
    run("import", "zones", str(files["zones"]))
    path = tmp_path / "c.csv"
    path.write_text(f"code,name,kind,status,x,y\nW1,Trạm,wastewater_plant,planned,{builders.E0 + 10},{builders.N0 + 10}\n", encoding="utf-8")
    result = run("import", "projects", str(path), "--crs", "VN-2000")
    assert result.returncode == 0, result.stderr


def _kept_zones(db_url) -> set[str]:
    from sqlalchemy import select

    from mapapp.store import schema
    from mapapp.store.backend import Store

    store = Store(db_url)
    with store.engine.connect() as conn:
        kept = set(conn.execute(select(schema.zone_figure_parts.c.zone_code)).scalars())
    store.engine.dispose()
    return kept


def test_an_import_of_parcels_keeps_the_figures_of_the_zones_it_touched(db_url, tmp_path, files):
    run = runner(db_url, tmp_path)
    assert run("import", "zones", str(files["zones"]), "--no-warm").returncode == 0
    assert _kept_zones(db_url) == set()
    parcels = builders.write_geojson(tmp_path / "c.geojson", [
        ({"code": "Q1", "zone_code": "Z1", "status": "negotiating", "households": 1}, builders.mbox(500, 500, 600, 600))])
    quiet = run("import", "clearance", str(parcels), "--no-warm")
    assert quiet.returncode == 0, quiet.stderr
    assert "clearance figures" not in quiet.stdout and _kept_zones(db_url) == set()
    moved = builders.write_geojson(tmp_path / "c2.geojson", [
        ({"code": "Q1", "zone_code": "Z1", "status": "compensated", "households": 1}, builders.mbox(500, 500, 600, 600))])
    warmed = run("import", "clearance", str(moved))
    assert warmed.returncode == 0, warmed.stderr
    assert "clearance figures of 1 zone at " in warmed.stdout
    assert _kept_zones(db_url) == {"Z1"}


def test_an_import_names_the_columns_kept_as_extra_attributes(db_url, tmp_path, files):
    run = runner(db_url, tmp_path)
    assert run("import", "zones", str(files["zones"]), "--no-warm").returncode == 0
    lots = builders.write_geojson(tmp_path / "l.geojson", [({"code": "N1", "zone_code": "Z1", "land_use": "factory",
                                                            "status": "available", "lease_price_usd_m2": "55"}, GOOD)])
    done = run("import", "lots", str(lots))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "columns that are no field of lots, kept as extra attributes: lease_price_usd_m2"
    plain = builders.write_geojson(tmp_path / "p.geojson", [({"code": "N1", "zone_code": "Z1", "land_use": "factory",
                                                             "status": "available"}, GOOD)])
    assert "extra attributes" not in run("import", "lots", str(plain)).stdout
