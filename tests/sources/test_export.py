"""Export in every format and both CRSs, then import into an empty database: identical features and attributes."""
import json
import zipfile

import pandas as pd
import pytest
import shapely

from mapapp.analysis.measure import to_metric
from mapapp.errors import ImportRefused
from mapapp.layers import LAYERS as LAYER_SPECS
from mapapp.sources.importer import export_layer, import_file
from tests import builders

FORMATS = ["geojson", "gpkg", "shp.zip", "kml", "csv", "xlsx"]
CRSS = ["EPSG:4326", "EPSG:5897"]
CASES = [(f, c) for f in FORMATS for c in CRSS if not (f == "kml" and c == "EPSG:5897")]
LAYERS = ("zones", "lots", "clearance", "projects")


@pytest.fixture
def rich_store(loaded_store, tmp_path):
    """The test data plus what round trips lose first: empty values, long and Vietnamese extra names, a point project."""
    lots = builders.lots_features() + [
        ({"code": "0104", "zone_code": "Z1", "land_use": "green", "status": "available", "tenant": "",
          "ghi_chu_nghiem_thu": "Đã nghiệm thu — \"đợt 1\"", "mã cũ": "HG/04"}, builders.mbox(400, 0, 500, 100))]
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "lots2.geojson", lots))
    projects = builders.projects_features() + [
        ({"code": "W1", "name": "Trạm xử lý nước thải Sông Hậu", "kind": "wastewater_plant", "status": "planned", "directive": 10,
          "budget_vnd": 12_500_000_000}, builders.to_storage([shapely.Point(builders.E0 + 900, builders.N0 + 900)])[0]),
        ({"code": "Z1-HT", "name": "Khu xử lý", "kind": "other", "status": "completed"}, builders.mbox(850, 850, 950, 950)),
    ]
    import_file(loaded_store, "projects", builders.write_geojson(tmp_path / "projects2.geojson", projects))
    return loaded_store


def _table(store, layer):
    frame = store.read_layer(layer).set_index("code").sort_index()
    return frame


@pytest.mark.parametrize("fmt,crs", CASES, ids=[f"{f}-{c}" for f, c in CASES])
def test_round_trip(rich_store, store_factory, tmp_path, fmt, crs):
    other = store_factory()
    for layer in LAYERS:
        path = tmp_path / f"{layer}.{fmt}"
        assert export_layer(rich_store, layer, path, crs=crs) == len(rich_store.read_layer(layer))
        # CSV and Excel carry no CRS: say it, as a user would
        import_file(other, layer, path, crs=crs if fmt in ("csv", "xlsx") else None)
    for layer in LAYERS:
        a, b = _table(rich_store, layer), _table(other, layer)
        assert list(a.index) == list(b.index), layer
        fields = [c for c in LAYER_SPECS[layer].field_names if c != "code"]
        pd.testing.assert_frame_equal(a[fields], b[fields], check_dtype=False, obj=layer)
        assert list(a["props"]) == list(b["props"]), layer
        assert list(a["geom_type"]) == list(b["geom_type"]), layer
        moved = [ga.hausdorff_distance(gb) for ga, gb in zip(to_metric(a.geometry.values), to_metric(b.geometry.values))]
        assert max(moved) < 0.01, layer  # under a centimetre


def test_empty_values_read_back_as_null(rich_store, store_factory, tmp_path):
    path = tmp_path / "lots.geojson"
    export_layer(rich_store, "lots", path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    props = {f["properties"]["code"]: f["properties"] for f in doc["features"]}
    assert props["0104"]["tenant"] is None and props["L1"]["price_usd_m2"] is None
    assert "Đã nghiệm thu" in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes


def test_shapefile_zip_members(rich_store, tmp_path):
    path = tmp_path / "projects.shp.zip"
    export_layer(rich_store, "projects", path)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {"projects_point.shp", "projects_line.shp", "projects_polygon.shp"} <= names
        assert zf.read("projects_point.cpg").decode().strip() == "UTF-8"
        assert "projects_point.prj" in names
    export_layer(rich_store, "lots", tmp_path / "lots.shp.zip")
    with zipfile.ZipFile(tmp_path / "lots.shp.zip") as zf:
        assert zf.read("fieldnames.txt").decode("utf-8") == "ghi_chu_ng\tghi_chu_nghiem_thu\n"
        assert {"lots.shp", "lots.dbf", "lots.cpg", "lots.prj", "lots.shx"} <= set(zf.namelist())


def test_kml_refuses_vn2000(rich_store, tmp_path):
    with pytest.raises(ImportRefused, match=r"^KML is WGS84 by definition: export it without --crs or with --crs EPSG:4326$"):
        export_layer(rich_store, "lots", tmp_path / "lots.kml", crs="EPSG:5897")


def test_export_crs_is_one_of_two(rich_store, tmp_path):
    with pytest.raises(ImportRefused, match=r"export --crs EPSG:3405: choose EPSG:4326 \(WGS84\) or EPSG:5897"):
        export_layer(rich_store, "lots", tmp_path / "lots.gpkg", crs="EPSG:3405")


def test_public_download_holds_the_public_attributes_only(rich_store, tmp_path):
    path = tmp_path / "clearance.csv"
    export_layer(rich_store, "clearance", path, staff=False)
    table = pd.read_csv(path)
    assert list(table.columns) == ["code", "zone_code", "status", "wkt"]
    export_layer(rich_store, "clearance", path)
    assert {"owner", "households", "compensation_vnd", "paid_vnd"} <= set(pd.read_csv(path).columns)


def test_geojson_export_goes_through_the_rfc7946_writer(loaded_store, tmp_path):
    """A clockwise ring stored (as GEOS gives them) is exported counter-clockwise, RFC 7946 section 3.1.6."""
    import json

    import shapely

    from mapapp.sources.importer import export_layer
    from mapapp.store import schema

    table = schema.layer_tables["lots"]
    clockwise = shapely.geometry.polygon.orient(loaded_store.get_feature("lots", "L1").geometry.iloc[0], sign=-1.0)
    with loaded_store.writing() as conn:
        conn.execute(table.update().where(table.c.code == "L1").values(geom=shapely.to_wkb(clockwise)))
    path = tmp_path / "lots.geojson"
    export_layer(loaded_store, "lots", path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    l1 = next(f for f in doc["features"] if f["properties"]["code"] == "L1")
    ring = shapely.geometry.shape(l1["geometry"]).exterior
    assert ring.is_ccw and l1["properties"]["tenant"] == "Công ty A&B <Việt>"
    assert "\\u" not in path.read_text(encoding="utf-8")
