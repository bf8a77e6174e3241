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
