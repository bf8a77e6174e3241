"""The value cases of issue 9 as they arrive in files: codes, Unicode forms, objects, timestamps' own offsets."""
import os
import subprocess
import sys
import unicodedata

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from mapapp.errors import ImportRefused
from mapapp.sources.importer import import_file
from tests import builders

GOOD = builders.mbox(600, 0, 700, 100)


def lot(**overrides):
    props = {"code": "N1", "zone_code": "Z1", "land_use": "factory", "status": "available"}
    props.update(overrides)
    return props


def test_codes_written_as_numbers_give_their_integer_text(loaded_store, tmp_path):
    """101, "0102", 103.0 in one column: 101, 0102, 103 — the same codes a re-import finds."""
    feats = [(lot(code=101), builders.mbox(600, 0, 700, 100)), (lot(code="0102"), builders.mbox(700, 0, 800, 100)),
             (lot(code=103.0), builders.mbox(800, 0, 900, 100)), (lot(code=12345678901234567890), builders.mbox(600, 200, 700, 300))]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l.geojson", feats))
    codes = set(loaded_store.read_layer("lots")["code"])
    assert {"101", "0102", "103", "12345678901234567890"} <= codes
    again = [(lot(code=103), builders.mbox(800, 0, 900, 100))]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "again.geojson", again))
    assert len(loaded_store.read_layer("lots")) == 3 + 4


def test_decomposed_unicode_is_one_code(loaded_store, tmp_path):
    composed = "KCN-HẬU"
    decomposed = unicodedata.normalize("NFD", composed)
    zone = builders.zones_features()[0]
    zone[0].update(code=composed)
    import_file(loaded_store, "zones", builders.write_geojson(tmp_path / "z.geojson", [zone]))
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l.geojson", [(lot(zone_code=decomposed), GOOD)]))
    assert loaded_store.read_layer("lots").set_index("code").loc["N1", "zone_code"] == composed
    with pytest.raises(ImportRefused, match="duplicate code, also used by feature 1"):
        import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "two.geojson", [
            (lot(code=composed), GOOD), (lot(code=decomposed), builders.mbox(700, 0, 800, 100))]))


def test_object_for_a_text_field_refused_and_kept_among_extras(loaded_store, tmp_path):
    """Today stored as its Python repr ("{'name': ...}")."""
    path = builders.write_geojson(tmp_path / "l.geojson", [(lot(tenant={"name": "Công ty A"}), GOOD)])
    with pytest.raises(ImportRefused, match=r"feature 1 \(code N1\), field tenant: \{'name': 'Công ty A'\} is an object, not a single value"):
        import_file(loaded_store, "lots", path)
    path = builders.write_geojson(tmp_path / "m.geojson", [(lot(contacts=[{"name": "Ông B"}]), GOOD)])
    import_file(loaded_store, "lots", path)
    assert loaded_store.read_layer("lots").set_index("code").loc["N1", "props"] == {"contacts": [{"name": "Ông B"}]}


@pytest.mark.parametrize("suffix", ["geojson", "gpkg"])
def test_timestamp_date_in_its_own_offset_whatever_the_machine_zone(db_url, tmp_path, files, suffix):
    """On a server with TZ=America/New_York, 2018-02-05T01:30:00+07:00 is 5 February, not the 4th."""
    path = tmp_path / f"p.{suffix}"
    props = {"code": "R1", "name": "Đường", "kind": "road", "status": "planned", "planned_start": "2018-02-05T01:30:00+07:00"}
    if suffix == "geojson":
        builders.write_geojson(path, [(props, builders.mline((0, 0), (100, 0)))])
    else:
        frame = gpd.GeoDataFrame({**{k: [v] for k, v in props.items()}, "planned_start": [pd.Timestamp(props["planned_start"])]},
                                 geometry=[builders.mline((0, 0), (100, 0))], crs="EPSG:4326")
        pyogrio.write_dataframe(frame, path)
    env = {"MAPAPP_DATABASE": db_url, "PATH": "/usr/bin:/bin", "MAPAPP_INSTANCE": os.environ["MAPAPP_INSTANCE"], "TZ": "America/New_York"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "mapapp.cli", *a], capture_output=True, text=True, env=env)
    assert run("init").returncode == 0
    assert run("import", "zones", str(files["zones"])).returncode == 0
    result = run("import", "projects", str(path))
    assert result.returncode == 0, result.stderr
    from mapapp.store.backend import Store

    assert Store(db_url).read_layer("projects").set_index("code").loc["R1", "planned_start"] == "2018-02-05"
