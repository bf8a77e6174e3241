import pytest

from mapapp.errors import ChangeRefused, NotFound, ReportRefused
from mapapp.reports import add_report
from mapapp.sources.importer import import_file
from tests import builders


def test_init_schema_is_idempotent(store):
    store.init_schema()
    store.init_schema()
    assert store.is_empty()


def test_round_trip_keeps_attributes_and_measures_in_metres(loaded_store):
    lots = loaded_store.read_layer("lots").set_index("code")
    assert list(lots.index) == ["L1", "L2", "L3"]
    assert lots.loc["L1", "tenant"] == "Công ty A&B <Việt>"
    # 200 m x 100 m drawn in EPSG:5897 -> 20 000 m², measured back in metres
    assert lots.loc["L1", "area_m2"] == pytest.approx(20_000, rel=1e-4)
    assert lots.loc["L3", "area_m2"] == pytest.approx(10_000, rel=1e-4)
    road = loaded_store.read_layer("projects").set_index("code")
    assert road.loc["R1", "length_m"] == pytest.approx(1_000, rel=1e-4)
    assert lots.crs.to_epsg() == 4326


def test_bbox_and_equality_filters(loaded_store):
    c = loaded_store.get_feature("lots", "L1").geometry.iloc[0].centroid
    got = loaded_store.read_layer("lots", bbox=(c.x - 1e-4, c.y - 1e-4, c.x + 1e-4, c.y + 1e-4))
    assert set(got["code"]) == {"L1"}
    assert set(loaded_store.read_layer("lots", filters={"status": "available"})["code"]) == {"L2"}


def test_get_feature_unknown_code(loaded_store):
    with pytest.raises(NotFound):
        loaded_store.get_feature("lots", "NOPE")


def test_update_by_code_keeps_progress_history(loaded_store, files):
    before = loaded_store.reports("R1")
    assert len(before) == 1  # seeded from progress_pct on first import
    import_file(loaded_store, "projects", files["projects"])
    assert loaded_store.reports("R1") == before
    assert loaded_store.counts()["projects"] == 1


def test_replace_removes_features_missing_from_the_file(loaded_store, tmp_path):
    path = builders.write_geojson(tmp_path / "one.geojson", builders.lots_features()[:1])
    import_file(loaded_store, "lots", path, replace=True)
    assert set(loaded_store.read_layer("lots")["code"]) == {"L1"}


def test_removing_a_zone_still_referenced_is_refused(loaded_store, tmp_path):
    path = builders.write_geojson(tmp_path / "z2.geojson", builders.zones_features()[1:])
    with pytest.raises(ChangeRefused, match="field zone_code: zone 'Z1' would be retired"):
        import_file(loaded_store, "zones", path, replace=True)
    assert set(loaded_store.read_layer("zones")["code"]) == {"Z1", "Z2"}


def test_conflicts_are_recomputed_on_every_write(loaded_store, tmp_path):
    before = len(loaded_store.read_conflicts(type_="lot_overlap"))
    overlapping = [({"code": "L9", "zone_code": "Z1", "land_use": "factory", "status": "leased"}, builders.mbox(150, 0, 250, 100))]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l9.geojson", overlapping))
    after = loaded_store.read_conflicts(type_="lot_overlap")
    assert len(after) == before + 2  # L9 overlaps L1 and L2
    assert all("L9" in codes for codes in after["codes"])


def test_add_report_appends(loaded_store):
    before = loaded_store.reports("R1")
    add_report(loaded_store, "R1", date="2018-06-01", percent=55.0, reported_by="x", confirm=True)
    after = loaded_store.reports("R1")
    assert len(after) == len(before) + 1
    assert [r["percent"] for r in after if r["date"] == "2018-06-01"] == [55.0]
    with pytest.raises(ReportRefused, match="does not exist"):
        add_report(loaded_store, "NOPE", date="2018-06-01", percent=5.0)


def test_read_conflicts_filters_severity_and_cuts_by_geometry(loaded_store, tmp_path):
    # L9 (x 150..250 m) overlaps L1 (x 0..200 m) and L2 (x 200..400 m): two conflicts side by side
    lot = [({"code": "L9", "zone_code": "Z1", "land_use": "factory", "status": "leased"}, builders.mbox(150, 0, 250, 100))]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l9.geojson", lot))
    everything = loaded_store.read_conflicts()
    for severity in set(everything["severity"]):
        only = loaded_store.read_conflicts(severity=severity)
        assert len(only) == (everything["severity"] == severity).sum() and set(only["severity"]) == {severity}
    overlap = loaded_store.read_conflicts(type_="lot_overlap")
    l1 = overlap[overlap["codes"].map(lambda c: "L1" in c)].geometry.iloc[0]
    # a box inside the L1/L9 overlap's bounds but clear of the L2/L9 one
    minx, miny, maxx, maxy = l1.bounds
    got = loaded_store.read_conflicts(type_="lot_overlap", bbox=(minx, miny, minx + (maxx - minx) / 4, maxy))
    assert [list(c) for c in got["codes"]] == [["L1", "L9"]]
