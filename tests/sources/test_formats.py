"""Formats in: CSV (WKT, lon/lat, VN-2000 x/y), Excel household lists, KML/KMZ, zipped and loose shapefiles, DXF, DGN."""
import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from mapapp.analysis.measure import to_metric
from mapapp.errors import ImportRefused
from mapapp.sources.importer import import_file
from mapapp.sources.reader import read_geodata
from tests import builders
from tests.sources.handmade import GOOD, LOT_FIELDS, lot_record, shapefile, zipped

E, N = builders.E0, builders.N0


def _point_project(**extra):
    return {"code": "W1", "name": "Trạm xử lý nước thải", "kind": "wastewater_plant", "status": "planned", **extra}


def test_csv_with_lon_lat(loaded_store, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("code,name,kind,status,lon,lat\nW1,Trạm xử lý nước thải,wastewater_plant,planned,105.735,9.955\n", encoding="utf-8")
    import_file(loaded_store, "projects", path)
    point = loaded_store.read_layer("projects").set_index("code").geometry["W1"]
    assert (point.x, point.y) == (105.735, 9.955)


def test_csv_with_vn2000_x_y_and_semicolons(loaded_store, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(f"code;name;kind;status;x;y\nW1;Trạm;wastewater_plant;planned;{E + 300};{N + 400}\n", encoding="utf-8")
    import_file(loaded_store, "projects", path, crs="VN-2000")
    point = to_metric([loaded_store.read_layer("projects").set_index("code").geometry["W1"]])[0]
    assert point.distance(shapely.Point(E + 300, N + 400)) < 0.01


def test_csv_codes_keep_leading_zeros(loaded_store, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text(f'code,zone_code,land_use,status,wkt\n0102,Z1,factory,available,"{GOOD.wkt}"\n', encoding="utf-8")
    import_file(loaded_store, "lots", path)
    assert "0102" in set(loaded_store.read_layer("lots")["code"])


def test_excel_household_list_joined_to_parcels_by_code(loaded_store, tmp_path):
    path = tmp_path / "ho_dan.xlsx"
    pd.DataFrame({"Mã thửa": ["P1", "P2"], "Chủ sử dụng": ["Hộ ông Nguyễn Văn A", "Hộ bà Trần Thị Bích"], "Số hộ": [1, 3],
                  "Ghi chú": [None, "đang khiếu nại"]}).to_excel(path, index=False)
    before = loaded_store.read_layer("clearance").set_index("code")
    import_file(loaded_store, "clearance", path)
    after = loaded_store.read_layer("clearance").set_index("code")
    assert after.loc["P2", "owner"] == "Hộ bà Trần Thị Bích"
    assert after.loc["P2", "households"] == 3
    assert after.loc["P2", "status"] == "disputed"  # kept from the stored parcel
    assert after.loc["P2", "props"] == {"ghi chú": "đang khiếu nại"}
    assert after.geometry["P2"].equals(before.geometry["P2"])


def test_excel_row_with_unknown_parcel_refused(loaded_store, tmp_path):
    path = tmp_path / "ho_dan.xlsx"
    pd.DataFrame({"ma_thua": ["P1", "P77"], "so_ho": [1, 2]}).to_excel(path, index=False)
    with pytest.raises(ImportRefused, match=r"^layer clearance, feature 2 \(code P77\), field code: no stored clearance feature "
                                            r"has this code; a table without geometry only adds to features already imported$"):
        import_file(loaded_store, "clearance", path)


@pytest.mark.parametrize("suffix", ["kml", "kmz"])
def test_kml_from_a_phone(loaded_store, tmp_path, suffix):
    """Placemarks with a name and extended data, as phone apps write them."""
    frame = gpd.GeoDataFrame({"Name": ["N9"], "zone_code": ["Z1"], "land_use": ["factory"], "status": ["available"],
                              "tenant": ["Công ty Sông Hậu"]}, geometry=[GOOD], crs="EPSG:4326")
    path = tmp_path / f"lots.{suffix}"
    pyogrio.write_dataframe(frame, path, driver="LIBKML")
    import_file(loaded_store, "lots", path)
    assert loaded_store.read_layer("lots").set_index("code").loc["N9", "tenant"] == "Công ty Sông Hậu"


def test_loose_and_zipped_shapefile(loaded_store, tmp_path):
    shp = shapefile(tmp_path / "s", "lots", [GOOD], LOT_FIELDS, [lot_record(b"N3")], cpg="UTF-8")
    import_file(loaded_store, "lots", shp)
    import_file(loaded_store, "lots", zipped(shp))
    assert "N3" in set(loaded_store.read_layer("lots")["code"])


def test_twenty_digit_numeric_codes_keep_every_digit(loaded_store, tmp_path):
    """A DBF N(20,0) code column: today two such codes collapse into one float."""
    fields = [(b"code", "N", 20, 0)] + LOT_FIELDS[1:]
    records = [[b"12345678901234567890"] + lot_record()[1:], [b"12345678901234567891"] + lot_record()[1:]]
    shp = shapefile(tmp_path / "s", "lots", [GOOD, builders.mbox(700, 0, 800, 100)], fields, records)
    import_file(loaded_store, "lots", shp)
    assert {"12345678901234567890", "12345678901234567891"} <= set(loaded_store.read_layer("lots")["code"])


DXF = """  0\nSECTION\n  2\nENTITIES\n{entities}  0\nENDSEC\n  0\nEOF\n"""


def _polyline(layer: str, points: list[tuple[float, float]], closed: bool = True) -> str:
    body = f"  0\nLWPOLYLINE\n  8\n{layer}\n 90\n{len(points)}\n 70\n{1 if closed else 0}\n"
    return body + "".join(f" 10\n{x}\n 20\n{y}\n" for x, y in points)


def _text(layer: str, x: float, y: float, text: str) -> str:
    return f"  0\nTEXT\n  8\n{layer}\n 10\n{x}\n 20\n{y}\n 40\n2.0\n  1\n{text}\n"


def test_dxf_closed_shapes_become_polygons_coded_by_their_label(tmp_path):
    square = lambda x0: [(E + x0, N), (E + x0 + 100, N), (E + x0 + 100, N + 100), (E + x0, N + 100)]
    entities = (_polyline("LO", square(600)) + _polyline("LO", square(800))
                + _polyline("DUONG", [(E, N - 10), (E + 900, N - 10)], closed=False)
                + _text("SO_HIEU", E + 650, N + 50, "N5") + _text("SO_HIEU", E + 850, N + 50, "N6"))
    path = tmp_path / "ban_ve.dxf"
    path.write_text(DXF.format(entities=entities))
    frame = read_geodata(path, crs="VN-2000", target="lots")
    assert list(frame["code"]) == ["N5", "N6"]
    assert list(frame["cad_layer"]) == ["LO", "LO"]
    assert [c for c in frame.columns if c != "geometry"] == ["code", "cad_layer"]  # empty drawing columns (handles, linetypes) add nothing
    assert list(frame.geom_type) == ["Polygon", "Polygon"]
    assert to_metric(frame.geometry.values)[0].area == pytest.approx(10_000, abs=0.01)


def test_dxf_without_crs_in_the_provinces_grid_needs_crs(tmp_path):
    square = [(E + 600, N), (E + 700, N), (E + 700, N + 100), (E + 600, N + 100)]
    path = tmp_path / "ban_ve.dxf"
    path.write_text(DXF.format(entities=_polyline("LO", square) + _text("T", E + 650, N + 50, "N5")))
    with pytest.raises(ImportRefused, match=r"^ban_ve.dxf does not say its coordinate system \(it could be any of .*VN-2000 / TM-3 zone 482.*\); pass --crs"):
        read_geodata(path, target="lots")


def test_dgn_v7_shapes_become_polygons(tmp_path):
    metric = [shapely.box(E + 600, N, E + 700, N + 100)]
    path = tmp_path / "thua.dgn"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=metric), path, driver="DGN")
    frame = read_geodata(path, crs="VN-2000", target="clearance")
    assert list(frame.geom_type) == ["Polygon"]
    assert to_metric(frame.geometry.values)[0].area == pytest.approx(10_000, abs=0.01)


def test_dgn_v7_shape_takes_its_code_from_the_text_inside(tmp_path):
    """A DGN v7 drawing (tests/sources/data/README.md): the shape gets the code of the label `P7` inside it."""
    from pathlib import Path

    frame = read_geodata(Path(__file__).parent / "data" / "labelled-v7.dgn", crs="VN-2000", target="clearance")
    assert list(frame["code"]) == ["P7"]
    assert list(frame.geom_type) == ["Polygon"]
    assert to_metric(frame.geometry.values)[0].area == pytest.approx(10_000, abs=0.01)
