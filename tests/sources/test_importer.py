"""Import refusals: one line naming feature, field and reason; the database unchanged."""
import json
import os
import subprocess
import sys

import pytest

from mapapp.errors import ImportRefused
from mapapp.sources.importer import export_layer, import_file
from tests import builders
from tests.conftest import data_snapshot


def lot(**overrides):
    props = {"code": "N1", "zone_code": "Z1", "land_use": "factory", "status": "available"}
    props.update(overrides)
    return props


GOOD = builders.mbox(600, 0, 700, 100)

REFUSALS = [
    ("unknown enum", [(lot(status="leasd"), GOOD)], r"feature 1 \(code N1\), field status: 'leasd' is not one of leased, available, reserved"),
    ("missing code", [(lot(code=""), GOOD)], r"feature 1, field code: required value is empty"),
    ("duplicate code", [(lot(), GOOD), (lot(), builders.mbox(700, 0, 800, 100))], r"feature 2 \(code N1\), field code: duplicate code, also used by feature 1"),
    ("unknown zone", [(lot(zone_code="NOWHERE"), GOOD)], r"field zone_code: zone 'NOWHERE' does not exist"),
    ("bad number", [(lot(price_usd_m2="cheap"), GOOD)], r"field price_usd_m2: 'cheap' is not a number"),
    ("negative number", [(lot(price_usd_m2=-3), GOOD)], r"field price_usd_m2: -3 is below the minimum 0"),
    ("no geometry", [(lot(), None)], r"field geometry: the feature has no geometry"),
    ("wrong geometry type", [(lot(), builders.mline((0, 0), (10, 10)))], r"field geometry: LineString is not allowed here"),
    ("second feature bad", [(lot(), GOOD), (lot(code="N2", land_use="casino"), builders.mbox(700, 0, 800, 100))], r"feature 2 \(code N2\), field land_use"),
]


@pytest.mark.parametrize("name,features,message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_name_feature_field_reason_and_store_nothing(loaded_store, tmp_path, name, features, message):
    before = data_snapshot(loaded_store)
    path = builders.write_geojson(tmp_path / "bad.geojson", features)
    with pytest.raises(ImportRefused, match=message) as info:
        import_file(loaded_store, "lots", path)
    assert "\n" not in str(info.value)
    assert data_snapshot(loaded_store) == before


def test_invalid_geometry_is_refused_with_reason(loaded_store, tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[105.7, 9.9], [105.71, 9.91], [105.71, 9.9], [105.7, 9.91], [105.7, 9.9]]]}
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": lot(), "geometry": bowtie}]}
    path = tmp_path / "bowtie.geojson"
    path.write_text(json.dumps(doc))
    before = data_snapshot(loaded_store)
    with pytest.raises(ImportRefused, match=r"field geometry: invalid geometry \(Self-intersection"):
        import_file(loaded_store, "lots", path)
    assert data_snapshot(loaded_store) == before


@pytest.mark.parametrize(
    "content,message",
    [
        ("", r"is empty"),
        ("this is not geodata, just words\n", r"not a geodata file GDAL can read|could not be read"),
        ('{"type": "FeatureCollection", "features": []}', r"holds no features"),
    ],
    ids=["empty file", "not geodata", "no features"],
)
def test_files_that_are_not_usable_geodata(loaded_store, tmp_path, content, message):
    path = tmp_path / "x.geojson"
    path.write_text(content)
    before = data_snapshot(loaded_store)
    with pytest.raises(ImportRefused, match=message):
        import_file(loaded_store, "lots", path)
    assert data_snapshot(loaded_store) == before


def test_missing_file(store, tmp_path):
    with pytest.raises(ImportRefused, match="does not exist"):
        import_file(store, "zones", tmp_path / "nope.geojson")


def test_required_attribute_missing_from_file(loaded_store, tmp_path):
    path = builders.write_geojson(tmp_path / "x.geojson", [({"code": "N1", "zone_code": "Z1", "status": "leased"}, GOOD)])
    with pytest.raises(ImportRefused, match=r"field land_use: required attribute missing from the file \(attributes found: code, zone_code, status\)"):
        import_file(loaded_store, "lots", path)


def test_metres_without_crs_are_refused_with_a_hint(store, tmp_path, files):
    frame = __import__("geopandas").read_file(files["zones"]).to_crs("EPSG:5897")
    path = tmp_path / "metres.geojson"
    doc = json.loads(frame.to_json())
    doc.pop("crs", None)
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportRefused, match=r"not degrees.*--crs"):
        import_file(store, "zones", path)
    import_file(store, "zones", path, crs="EPSG:5897")
    areas = store.read_layer("zones").set_index("code")["area_m2"]
    assert areas["Z1"] == pytest.approx(1_000_000, rel=1e-4)


def test_unknown_crs(store, files):
    with pytest.raises(ImportRefused, match="--crs 'EPSG:999999' is not a coordinate reference system"):
        import_file(store, "zones", files["zones"], crs="EPSG:999999")


def test_extra_attributes_are_kept(store, tmp_path):
    feats = builders.zones_features()[:1]
    feats[0][0]["decision"] = "244/QĐ-UBND"
    import_file(store, "zones", builders.write_geojson(tmp_path / "z.geojson", feats))
    assert store.read_layer("zones")["props"].iloc[0] == {"decision": "244/QĐ-UBND"}


@pytest.mark.parametrize("suffix", ["geojson", "gpkg"])
def test_export_then_import_round_trip(loaded_store, tmp_path, store_factory, suffix):
    out = tmp_path / f"lots.{suffix}"
    assert export_layer(loaded_store, "lots", out) == 3
    other = store_factory()
    export_layer(loaded_store, "zones", tmp_path / f"zones.{suffix}")
    import_file(other, "zones", tmp_path / f"zones.{suffix}")
    import_file(other, "lots", out)
    a = loaded_store.read_layer("lots").set_index("code")
    b = other.read_layer("lots").set_index("code")
    assert list(a["tenant"].fillna("")) == list(b["tenant"].fillna(""))
    assert list(b["area_m2"].round(0)) == list(a["area_m2"].round(0))


def test_export_refuses_unknown_extension(loaded_store, tmp_path):
    with pytest.raises(ImportRefused, match=r"cannot write lots.dwg: name it .geojson, .gpkg, .shp.zip, .kml, .kmz, .csv or .xlsx"):
        export_layer(loaded_store, "lots", tmp_path / "lots.dwg")


def test_cli_import_refusal_is_one_line_and_nonzero(db_url, tmp_path, files):
    env = {"MAPAPP_DATABASE": db_url, "PATH": "/usr/bin:/bin", "MAPAPP_INSTANCE": os.environ["MAPAPP_INSTANCE"]}
    run = lambda *args: subprocess.run([sys.executable, "-m", "mapapp.cli", *args], capture_output=True, text=True, env=env)
    assert run("init").returncode == 0
    assert run("import", "zones", str(files["zones"])).returncode == 0
    bad = builders.write_geojson(tmp_path / "bad.geojson", [(lot(status="sold"), GOOD)])
    result = run("import", "lots", str(bad))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["mapapp: error: layer lots, feature 1 (code N1), field status: 'sold' is not one of leased, available, reserved"]
    ok = run("import", "lots", str(files["lots"]))
    assert ok.returncode == 0 and "imported 3 features into lots" in ok.stdout


def test_same_conflicts_from_files_in_epsg_5897_and_4326(files, tmp_path, store_factory):
    """The whole path — file, CRS, store, analysis — answers the same in metres and in degrees."""
    import geopandas as gpd

    extra = [({"code": "L9", "zone_code": "Z1", "land_use": "factory", "status": "leased"}, builders.mbox(150, 50, 250, 200))]
    files = {**files, "lots": builders.write_geojson(tmp_path / "lots9.geojson", builders.lots_features() + extra)}
    results = []
    for crs in ("EPSG:4326", "EPSG:5897"):
        s = store_factory()
        for layer in ("zones", "lots", "clearance", "projects"):
            path = files[layer]
            if crs != "EPSG:4326":
                metric = tmp_path / f"{layer}-5897.geojson"
                doc = json.loads(gpd.read_file(path).to_crs(crs).to_json(default=str))
                doc.pop("crs", None)  # as cadastral files often come: metres, no CRS said
                metric.write_text(json.dumps(doc))
                path = metric
            import_file(s, layer, path, crs=crs)
        found = s.read_conflicts()
        results.append({(t, tuple(c)): (a, l) for t, c, a, l in zip(found["type"], found["codes"], found["area_m2"], found["length_m"])})
    wgs84, metric = results
    assert wgs84.keys() == metric.keys()
    assert {t for t, _ in wgs84} >= {"lot_overlap", "project_through_lot"}  # areas and a road crossing (length)
    for key, (area, length) in wgs84.items():
        other_area, other_length = metric[key]
        if area == area and area is not None:
            assert other_area == pytest.approx(area, rel=1e-3)
        if length == length and length is not None:
            assert other_length == pytest.approx(length, rel=1e-3)


def test_cli_import_shows_its_stages_when_asked(db_url, files):
    env = {"MAPAPP_DATABASE": db_url, "PATH": "/usr/bin:/bin", "MAPAPP_INSTANCE": os.environ["MAPAPP_INSTANCE"]}
    result = subprocess.run([sys.executable, "-m", "mapapp.cli", "import", "zones", str(files["zones"]), "--progress"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0
    stages = [line.split("] ", 1)[1] for line in result.stderr.splitlines()]
    assert stages == ["reading zones.geojson…", "checking 2 features…", "storing 2 features and recomputing the planning conflicts…",
                      "working out the clearance figures of 2 zones…", "2/2 zones"]


def test_an_import_runs_no_garbage_collection(loaded_store, tmp_path):
    """Its 10⁵ rows, dicts and entries are freed by reference counting; collections would only walk them again."""
    from tests.conftest import collections_during

    feats = [(lot(code=f"N{i}"), builders.mbox(600 + 10 * i, 0, 605 + 10 * i, 5)) for i in range(200)]
    path = builders.write_geojson(tmp_path / "many.geojson", feats)
    everywhere, importing = collections_during(lambda: import_file(loaded_store, "lots", path),
                                               ("prepare", "frame_edits", "apply_features"))
    assert everywhere > 0 and importing == 0
    assert len(loaded_store.read_layer("lots")) == 203


def test_an_import_of_a_geopackage_stores_and_audits_what_its_frame_gives(backend_store, tmp_path):
    """A file read, checked and written through the one write path column by column: its rows and audit entries are
    those of the file's own frame (the spec's fields, missing values as none, the rest in props)."""
    import geopandas as gpd
    import numpy as np
    from sqlalchemy import select

    from mapapp.changes import journal
    from mapapp.layers import LAYERS
    from mapapp.store import schema
    from mapapp.store.records import geometry_rows, layer_records

    count = 1200  # past many_rows.MANY: the column by column insert
    frame = gpd.GeoDataFrame({
        "code": [f"N{i:04d}" for i in range(count)], "zone_code": ["Z1", "Z2"] * (count // 2),
        "land_use": ["factory", "warehouse", "factory"] * (count // 3), "status": ["available"] * count,
        "tenant": [None if i % 3 else f"Công ty Ấ {i}" for i in range(count)],
        "price_usd_m2": [np.nan if i % 4 == 0 else 40 + i % 7 + 0.25 for i in range(count)],
        "ghi_chu": [None if i % 2 else f"Đường số {i}" for i in range(count)],
    }, geometry=[builders.mbox(600 + 10 * i, 0, 605 + 10 * i, 5) for i in range(count)], crs="EPSG:4326")
    path = tmp_path / "lots.gpkg"
    frame.to_file(path, layer="lots")
    summary = import_file(backend_store, "lots", path)
    assert summary.result.counts()["added"] == count
    geoms = np.asarray(frame.geometry.values, dtype=object)
    expected = layer_records(frame, LAYERS["lots"].field_names, geometry_rows(geoms), "lots")
    table = schema.layer_tables["lots"]
    with backend_store.engine.connect() as conn:
        stored = conn.execute(select(table).where(table.c.code.in_(frame["code"].tolist())).order_by(table.c.code)).mappings().all()
    assert [{k: bytes(r[k]) if isinstance(r[k], memoryview) else r[k] for k in expected[0]} for r in stored] == expected
    audit = {e["code"]: e for e in backend_store.audit(change_id=summary.result.change_id, limit=5000)}
    for row, shape in zip(expected, geoms):
        after = {k: row[k] for k in LAYERS["lots"].field_names} | ({"props": row["props"]} if row["props"] else {})
        assert audit[row["code"]]["after"] == {**after, "geometry": journal.geometry_json(shape)}
