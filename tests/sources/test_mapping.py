"""Attribute names: shapefile-truncated and Vietnamese names mapped, --map and saved mappings, no attribute dropped, clashes refused."""
import json

import pytest

from mapapp.errors import ImportRefused
from mapapp.layers import LAYERS
from mapapp.sources.importer import import_file
from mapapp.sources.mapping import load_mapping, plan, save_mapping, short_names
from tests import builders
from tests.sources.handmade import GOOD, shapefile


def test_shapefile_truncated_names_fill_their_fields(loaded_store, tmp_path):
    """Today `price_usd_` is kept as an extra attribute and price_usd_m2 stays empty."""
    fields = [(b"code", "C", 10, 0), (b"zone_code", "C", 10, 0), (b"land_use", "C", 10, 0), (b"status", "C", 10, 0),
              (b"price_usd_", "N", 10, 2)]
    path = shapefile(tmp_path / "shp", "lots", [GOOD], fields, [[b"N1", b"Z1", b"factory", b"available", b"47.50"]])
    import_file(loaded_store, "lots", path)
    row = loaded_store.read_layer("lots").set_index("code").loc["N1"]
    assert row["price_usd_m2"] == 47.5
    assert row["props"] == {}


def test_truncated_project_names(loaded_store, tmp_path):
    props = {"code": "R9", "name": "Đường 3B", "kind": "road", "status": "in_progress", "planned_st": "2018-03-01",
             "planned_en": "2018-12-31", "progress_p": 25}
    path = builders.write_geojson(tmp_path / "p.geojson", [(props, builders.mline((0, 400), (900, 400)))])
    import_file(loaded_store, "projects", path)
    row = loaded_store.read_layer("projects").set_index("code").loc["R9"]
    assert (row["planned_start"], row["planned_end"], row["progress_pct"]) == ("2018-03-01", "2018-12-31", 25.0)


def test_every_layer_has_unique_shapefile_names():
    """The export's rule (first 10 characters) must give distinct names in every layer, or the importer could not reverse it."""
    for spec in LAYERS.values():
        names = list(short_names(spec).values())
        assert len(names) == len(set(names)), spec.name


def test_vietnamese_column_names(loaded_store, tmp_path):
    props = {"Mã thửa": "P9", "ma_khu": "Z1", "Chủ sử dụng": "Hộ ông Lê Văn C", "trang_thai": "negotiating", "so_ho": 3,
             "ghi chú": "đo lại"}
    import_file(loaded_store, "clearance", builders.write_geojson(tmp_path / "c.geojson", [(props, GOOD)]))
    row = loaded_store.read_layer("clearance").set_index("code").loc["P9"]
    assert (row["zone_code"], row["owner"], row["status"], row["households"]) == ("Z1", "Hộ ông Lê Văn C", "negotiating", 3)
    assert row["props"] == {"ghi chú": "đo lại"}


def test_lot_columns_in_vietnamese(loaded_store, tmp_path):
    props = {"ma_lo": "N7", "ma_kcn": "Z1", "muc_dich": "warehouse", "trang_thai": "leased", "ten_dn": "Công ty Đông Phú",
             "dien_tich": 10000}
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l.geojson", [(props, GOOD)]))
    row = loaded_store.read_layer("lots").set_index("code").loc["N7"]
    assert (row["tenant"], row["land_use"]) == ("Công ty Đông Phú", "warehouse")
    assert row["props"] == {"dien_tich": 10000}


def test_explicit_map_and_saved_mapping(loaded_store, tmp_path):
    props = {"so_hieu": "N8", "khu": "Z1", "loai": "factory", "tt": "reserved"}
    path = builders.write_geojson(tmp_path / "l.geojson", [(props, GOOD)])
    pairs = {"code": "so_hieu", "zone_code": "khu", "land_use": "loai", "status": "tt"}
    save_mapping(tmp_path / "mappings", "khao-sat-2018", pairs)
    assert json.loads((tmp_path / "mappings" / "khao-sat-2018.json").read_text()) == pairs
    import_file(loaded_store, "lots", path, mapping=load_mapping(tmp_path / "mappings", "khao-sat-2018"))
    assert loaded_store.read_layer("lots").set_index("code").loc["N8", "status"] == "reserved"
    with pytest.raises(ImportRefused, match=r"^no saved mapping 'other' \(saved: khao-sat-2018\)$"):
        load_mapping(tmp_path / "mappings", "other")


def test_map_naming_a_missing_column_is_refused():
    with pytest.raises(ImportRefused, match=r"--map code=so_lo: the file has no column 'so_lo' \(columns: ma, ten\)"):
        plan(LAYERS["lots"], ["ma", "ten"], {"code": "so_lo"})


def test_status_and_Status_refused_in_one_clean_line(loaded_store, tmp_path):
    """Today the refusal prints numpy arrays."""
    path = tmp_path / "two.geojson"
    feature = {"type": "Feature", "geometry": builders.collection([({}, GOOD)])["features"][0]["geometry"],
               "properties": {"code": "N1", "zone_code": "Z1", "land_use": "factory", "Status": "leased", "status": "available"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(ImportRefused) as info:
        import_file(loaded_store, "lots", path)
    assert str(info.value) == ("layer lots, field status: columns 'Status' and 'status' would both become field status; "
                               "say which with --map status=COLUMN or rename one")


def test_two_source_names_for_one_field_refused_naming_both():
    with pytest.raises(ImportRefused, match=r"columns 'ma_thua' and 'so_thua' would both become field code"):
        plan(LAYERS["clearance"], ["ma_thua", "so_thua", "status"], None)


def test_an_attribute_named_geometry_is_kept(loaded_store, tmp_path):
    """Today a property named `geometry` disappears."""
    path = builders.write_geojson(tmp_path / "g.geojson", [({"code": "N1", "zone_code": "Z1", "land_use": "factory",
                                                             "status": "available", "geometry": "đo bằng GPS"}, GOOD)])
    import_file(loaded_store, "lots", path)
    assert loaded_store.read_layer("lots").set_index("code").loc["N1", "props"] == {"geometry_src": "đo bằng GPS"}
