"""Every feature inside the province after reprojection; refusals state the likely cause; named VN-2000 systems."""
import json

import pytest
import shapely
from shapely.geometry import box, mapping

from mapapp.analysis.measure import reproject, to_metric
from mapapp.errors import ImportRefused
from mapapp.sources.crs import parse_crs
from mapapp.sources.importer import import_file
from tests import builders


def lot(**overrides):
    props = {"code": "N1", "zone_code": "Z1", "land_use": "factory", "status": "available"}
    props.update(overrides)
    return props


def write(path, geoms):
    """GeoJSON of lots N1, N2… with the coordinates as given (no conversion) and no crs member."""
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": lot(code=f"N{i + 1}"), "geometry": mapping(g)} for i, g in enumerate(geoms)]}
    path.write_text(json.dumps(doc))
    return path


def in_meridian(geom_wgs84, crs_text: str):
    return reproject([geom_wgs84], "EPSG:4326", parse_crs(crs_text))[0]


GOOD = builders.mbox(600, 0, 700, 100)
# A lot near Vị Thanh (about 105.47 E, 9.78 N), drawn in EPSG:5897 metres.
VI_THANH = reproject([box(551_000, 1_081_900, 551_100, 1_082_000)], "EPSG:5897", "EPSG:4326")[0]


def test_file_in_another_meridian_refused_naming_it(loaded_store, tmp_path):
    """Today a TM-3 105°30' file imported with --crs EPSG:5897 lands 54.9 km west, and is accepted."""
    path = write(tmp_path / "l.geojson", [in_meridian(VI_THANH, "EPSG:9209")])
    with pytest.raises(ImportRefused) as info:
        import_file(loaded_store, "lots", path, crs="EPSG:5897")
    assert str(info.value) == (
        "layer lots, feature 1 (code N1), field geometry: it lies outside the province (1 of 1 features do); likely cause: "
        "the file is in another VN-2000 meridian: with TM-3 105°30′ or 105°45′ it lies in the province; "
        "pass --crs VN-2000/TM3-105.5 or VN-2000/TM3-105.75, the one the survey used")
    import_file(loaded_store, "lots", path, crs="VN-2000/TM3-105.5")
    stored = loaded_store.read_layer("lots").set_index("code").geometry["N1"]
    assert to_metric([stored])[0].distance(to_metric([VI_THANH])[0]) < 0.01


def test_with_the_province_boundary_one_meridian_is_named(loaded_store, tmp_path):
    """A province outline (fictional, narrow: 105.6–105.8 E) plus 10 km tells 105°30′ from 105°45′ and 105°00′."""
    builders.write_geojson(tmp_path / "b.geojson", [({"code": "HG", "name": "Tỉnh Thử", "level": "province"},
                                                      box(105.6, 9.7, 105.8, 9.99))])
    import_file(loaded_store, "boundaries", tmp_path / "b.geojson")
    path = write(tmp_path / "l.geojson", [in_meridian(GOOD, "EPSG:9209")])
    with pytest.raises(ImportRefused, match=r"with TM-3 105°30′ it lies in the province; pass --crs VN-2000/TM3-105.5$"):
        import_file(loaded_store, "lots", path, crs="EPSG:5897")


def test_named_systems():
    assert parse_crs("VN-2000").to_epsg() == 5897
    assert parse_crs("VN-2000/TM3-105.5").to_epsg() == 9209
    assert parse_crs("VN-2000/TM3-105-45").to_epsg() == 9210
    assert parse_crs("VN-2000/TM3-104.5").to_epsg() == 9207
    with pytest.raises(ValueError, match=r"--crs 'VN2000x' is not a coordinate reference system pyproj knows"):
        parse_crs("VN2000x")


def test_swapped_latitude_longitude_refused_as_swapped(loaded_store, tmp_path):
    """Today the hint says --crs EPSG:5897, which stores the lot near the equator."""
    swapped = shapely.transform(GOOD, lambda c: c[:, ::-1])
    path = write(tmp_path / "l.geojson", [swapped])
    with pytest.raises(ImportRefused, match=r"feature 1 \(code N1\), field geometry: its coordinates are not degrees .*likely cause: "
                                            r"latitude and longitude are swapped"):
        import_file(loaded_store, "lots", path)
    with pytest.raises(ImportRefused, match=r"its coordinates are not degrees .*likely cause: latitude and longitude are swapped"):
        import_file(loaded_store, "lots", path, crs="EPSG:4326")


def test_degrees_given_as_metres(loaded_store, tmp_path):
    path = write(tmp_path / "l.geojson", [GOOD])
    with pytest.raises(ImportRefused, match=r"likely cause: the coordinates are degrees, not metres: pass --crs EPSG:4326"):
        import_file(loaded_store, "lots", path, crs="EPSG:5897")


def test_metres_read_as_degrees_name_the_meridian(loaded_store, tmp_path):
    path = write(tmp_path / "l.geojson", [in_meridian(VI_THANH, "EPSG:5897")])
    with pytest.raises(ImportRefused, match=r"its coordinates are not degrees .*likely cause: the coordinates are metres, not degrees: "
                                            r"they fit VN-2000 / TM-3 105°00′ or 105°30′; pass --crs VN-2000 or VN-2000/TM3-105.5, "
                                            r"the one the survey used$"):
        import_file(loaded_store, "lots", path)


def test_world_file_is_outside_not_projected(store, tmp_path):
    """Today a world file reaching ±180° is refused as 'projected'."""
    world = [box(-180, -90, 0, 90), box(0, -90, 180, 90)]
    props = {"code": "W", "name": "World", "level": "province"}
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {**props, "code": f"W{i}"},
                                                       "geometry": mapping(g)} for i, g in enumerate(world)]}
    path = tmp_path / "world.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportRefused) as info:
        import_file(store, "boundaries", path)
    assert "layer boundaries, feature 1 (code W0), field geometry: it lies outside the province (2 of 2 features do)" in str(info.value)
    assert "projected" not in str(info.value)


def test_extent_from_the_province_boundary_grown_by_10_km(loaded_store, tmp_path):
    province = builders.mbox(-500, -500, 3000, 1500)
    builders.write_geojson(tmp_path / "b.geojson", [({"code": "HG", "name": "Hậu Giang", "level": "province"}, province)])
    import_file(loaded_store, "boundaries", tmp_path / "b.geojson")
    near = builders.mbox(12_000, 0, 12_100, 100)  # 9 km beyond the boundary: inside the 10 km margin
    far = builders.mbox(14_000, 0, 14_100, 100)   # 11 km beyond: outside
    import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "near.geojson", [(lot(code="NEAR"), near)]))
    with pytest.raises(ImportRefused, match=r"feature 1 \(code FAR\), field geometry: it lies outside the province"):
        import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "far.geojson", [(lot(code="FAR"), far)]))


def test_configured_extent(loaded_store, tmp_path, monkeypatch):
    monkeypatch.setenv("MAPAPP_EXTENT", "105.0,9.0,105.5,9.5")
    with pytest.raises(ImportRefused, match=r"it lies outside the province"):
        import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l.geojson", [(lot(), GOOD)]))
    monkeypatch.setenv("MAPAPP_EXTENT", "105,9,nine,10")
    with pytest.raises(ImportRefused, match=r"MAPAPP_EXTENT='105,9,nine,10' is not minlon,minlat,maxlon,maxlat"):
        import_file(loaded_store, "lots", builders.write_geojson(tmp_path / "l.geojson", [(lot(), GOOD)]))


def test_shapefile_without_prj_in_vn2000_needs_crs_when_meridians_are_ambiguous(loaded_store, tmp_path):
    from tests.sources.handmade import LOT_FIELDS, lot_record, shapefile

    metric = to_metric([GOOD])[0]
    path = shapefile(tmp_path / "s", "lots", [metric], LOT_FIELDS, [lot_record()], crs=None)
    with pytest.raises(ImportRefused, match=r"^lots.shp does not say its coordinate system \(it could be any of "
                                            r"VN-2000 / TM-3 104-30, VN-2000 / TM-3 zone 482\); pass --crs"):
        import_file(loaded_store, "lots", path)
    import_file(loaded_store, "lots", path, crs="VN-2000")
    stored = loaded_store.read_layer("lots").set_index("code").geometry["N1"]
    assert to_metric([stored])[0].distance(metric) < 0.01


def test_csv_with_surveyors_x_as_northing_is_refused_as_swapped(loaded_store, tmp_path):
    """Vietnamese survey sheets write X for the northing and Y for the easting."""
    path = tmp_path / "w.csv"
    path.write_text(f"code,name,kind,status,x,y\nW1,Trạm,wastewater_plant,planned,{builders.N0 + 10},{builders.E0 + 10}\n",
                    encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"feature 1 \(code W1\), field geometry: it lies outside the province .*likely cause: "
                                            r"easting and northing are swapped \(x holds the northing\)"):
        import_file(loaded_store, "projects", path, crs="VN-2000")


def test_world_shapefile_is_outside_not_projected(store, tmp_path):
    """A Natural-Earth-like world shapefile (edges at exactly ±180°, ±90°), WGS84 .prj: outside, not 'projected'."""
    from tests.sources.handmade import shapefile

    fields = [(b"code", "C", 8, 0), (b"name", "C", 20, 0), (b"level", "C", 10, 0)]
    path = shapefile(tmp_path / "ne", "ne_110m_admin_0", [box(-180, -90, 0, 90), box(0, -90, 180, 90)], fields,
                     [[b"W0", b"Tay", b"province"], [b"W1", b"Dong", b"province"]])
    with pytest.raises(ImportRefused) as info:
        import_file(store, "boundaries", path)
    assert str(info.value).startswith("layer boundaries, feature 1 (code W0), field geometry: it lies outside the province (2 of 2")
