"""No import refusal falls back to English on a Vietnamese page: each refusal of reading a source file (coordinate
systems and positions, unbuildable geometries, tables, GDAL layers, CAD drawings, shapefiles and their DBF), of the
column mappings, of joining a table by code, of ``--repair``, of the zone references a load leaves and of an upload
that is gone is provoked, and its Vietnamese line must differ from the English one and read as Vietnamese
(:func:`assert_bilingual`)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely.errors import GEOSException
from shapely.geometry import LineString

from mapapp.errors import ImportRefused
from mapapp.layers import LAYERS, get_layer
from mapapp.refusals import reason_of
from mapapp.sources import crs as crs_names
from mapapp.sources.importer import import_file, prepare
from mapapp.sources.mapping import load_mapping, parse_pairs, plan
from mapapp.sources.reader import parse_crs, read_geodata
from mapapp.sources.source import geometry_reason
from mapapp.sources.uploads import upload_path
from mapapp.sources.validate import validate
from tests.refusals.test_every_refusal import assert_bilingual, refusal_of, square
from tests.sources.handmade import GOOD, LOT_FIELDS, lot_record, shapefile

LOT = {"code": "L7", "zone_code": "Z1", "land_use": "factory", "status": "leased"}


def geojson(path: Path, ring: list[tuple[float, float]]) -> Path:
    feature = {"type": "Feature", "properties": LOT, "geometry": {"type": "Polygon", "coordinates": [[*map(list, ring), list(ring[0])]]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def metres(meridian: float) -> list[tuple[float, float]]:
    """A lot in the province, in VN-2000 / TM-3 ``meridian`` metres."""
    to = Transformer.from_crs("EPSG:4326", crs_names.tm3(meridian), always_xy=True)
    return [to.transform(x, y) for x, y in square().exterior.coords[:-1]]


def text_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_coordinate_systems_and_positions_are_refused_in_vietnamese(tmp_path):
    degrees = list(square().exterior.coords[:-1])
    other = metres(105.5)
    calls = [
        lambda: parse_crs("EPSG:999999"),
        lambda: parse_crs("VN-2000/TM3-1x"),
        lambda: read_geodata(geojson(tmp_path / "swapped.geojson", [(y, x) for x, y in degrees]), target="lots"),
        lambda: read_geodata(geojson(tmp_path / "nowhere.geojson", [(0, 0), (0.001, 0), (0.001, 0.001)]), target="lots"),
        lambda: read_geodata(geojson(tmp_path / "nowhere2.geojson", [(0, 0), (0.001, 0), (0.001, 0.001)]), crs="EPSG:4326", target="lots"),
        lambda: read_geodata(geojson(tmp_path / "metres.geojson", other), target="lots"),
        lambda: read_geodata(geojson(tmp_path / "meridian.geojson", other), crs="VN-2000", target="lots"),
        lambda: read_geodata(geojson(tmp_path / "deg.geojson", degrees), crs="VN-2000", target="lots"),
        lambda: read_geodata(geojson(tmp_path / "degswap.geojson", [(y, x) for x, y in degrees]), crs="VN-2000", target="lots"),
        lambda: read_geodata(geojson(tmp_path / "en.geojson", [(y, x) for x, y in metres(105)]), crs="VN-2000", target="lots"),
        lambda: read_geodata(text_file(tmp_path / "xy.csv", "code,x,y\nL7,1,1\n"), target="lots"),
    ]
    keys = []
    for call in calls:
        exc = refusal_of(call)
        assert_bilingual(exc)
        why = reason_of(exc) if not isinstance(exc, ImportRefused) else exc.reason
        keys.append((why.key, getattr(why.params.get("cause"), "key", None)))
    assert keys[2:] == [
        ("position.not_degrees", "cause.swapped_latlon"), ("position.outside", "position.not_fit"),
        ("position.outside", "position.not_fit"), ("position.not_degrees", "cause.metres_not_degrees"),
        ("position.outside", "cause.other_meridian"), ("position.outside", "cause.degrees_not_metres"),
        ("position.outside", "cause.degrees_swapped"), ("position.outside", "cause.swapped_en"), ("crs.not_stated", None),
    ]


def test_tables_layers_and_drawings_are_refused_in_vietnamese(tmp_path):
    two = tmp_path / "two.gpkg"
    frame = gpd.GeoDataFrame([LOT], geometry=[square()], crs="EPSG:4326")
    frame.to_file(two, layer="a")
    frame.to_file(two, layer="b")
    line = tmp_path / "line.dxf"
    gpd.GeoDataFrame({"Layer": ["x"]}, geometry=[LineString([(0, 0), (1, 1)])]).to_file(line, driver="DXF")
    calls = [
        lambda: read_geodata(text_file(tmp_path / "c.csv", "code,lon,lat\nL7,\"105,66\",9.86\n"), target="lots"),
        lambda: read_geodata(text_file(tmp_path / "w.csv", "code,wkt\nL7,POLYGON((0 0\n"), target="lots"),
        lambda: read_geodata(text_file(tmp_path / "open.csv", "code,wkt\nL7,\"POLYGON((0 0, 1 0, 1 1, 0 1))\"\n"), target="lots"),
        lambda: read_geodata(geojson(tmp_path / "point.geojson", [(105.66, 9.86)]), target="lots"),
        lambda: read_geodata(text_file(tmp_path / "e.csv", "code,lon,lat\nL7,105.66,9.86\n"), target="lots", encoding="ascii7"),
        lambda: read_geodata(two, target="lots", source_layer="c"),
        lambda: read_geodata(two, target="lots"),
        lambda: read_geodata(line, target="lots", crs="VN-2000"),
    ]
    for i, call in enumerate(calls):
        try:
            assert_bilingual(refusal_of(call))
        except AssertionError as exc:
            raise AssertionError(f"call {i}: {exc}") from exc
    for said in ("Invalid number of points in LinearRing found 3 - must be 0 or >= 4", "TopologyException: side location conflict"):
        assert_bilingual(ImportRefused(geometry_reason(GEOSException(f"IllegalArgumentException: {said}")), feature=1, field="geometry"))


def test_shapefiles_and_their_tables_are_refused_in_vietnamese(tmp_path):
    def lots(folder: str, records=None, fields=LOT_FIELDS, **kwargs) -> Path:
        return shapefile(tmp_path / folder, "lots", [GOOD], fields, records or [lot_record()], **kwargs)

    tenant = [*LOT_FIELDS, (b"tenant", "C", 20, 0)]
    junk = lots("junk")
    junk.write_bytes(b"not a shapefile at all" * 10)
    widths = lots("widths")
    widths.with_suffix(".dbf").write_bytes(widths.with_suffix(".dbf").read_bytes()[:10] + b"\x05\x00" + widths.with_suffix(".dbf").read_bytes()[12:])
    not_dbf = lots("notdbf")
    not_dbf.with_suffix(".dbf").write_bytes(b"x")
    several, mixed = tmp_path / "several.zip", tmp_path / "mixed.zip"
    a, b = lots("a"), shapefile(tmp_path / "b", "parcels", [GOOD], LOT_FIELDS, [lot_record()])
    with zipfile.ZipFile(several, "w") as zf:
        for shp in (a, b):
            for member in shp.parent.glob(f"{shp.stem}.*"):
                zf.write(member, member.name)
    p = shapefile(tmp_path / "m1", "lots_polygon", [GOOD], LOT_FIELDS, [lot_record()])
    q = shapefile(tmp_path / "m2", "lots_point", [GOOD.centroid], LOT_FIELDS, [lot_record()], crs="EPSG:3857")
    with zipfile.ZipFile(mixed, "w") as zf:
        for shp in (p, q):
            for member in shp.parent.glob(f"{shp.stem}.*"):
                zf.write(member, member.name)
    calls = [
        lambda: read_geodata(lots("cpg", [[*lot_record(), b"C\xf4ng ty"]], tenant), target="lots"),
        lambda: read_geodata(junk, target="lots"),
        lambda: read_geodata(lots("tcvn3", [[*lot_record(), b"C\x81ng"]], tenant), target="lots", encoding="tcvn3"),
        lambda: read_geodata(lots("count", [lot_record(), lot_record(b"N2")]), target="lots"),
        lambda: read_geodata(several, target="lots"),
        lambda: read_geodata(mixed, target="lots"),
        lambda: read_geodata(not_dbf, target="lots"),
        lambda: read_geodata(widths, target="lots"),
        lambda: read_geodata(lots("number", [[*lot_record()[:3], b"abc"]], [*LOT_FIELDS[:3], (b"status", "N", 10, 0)]), target="lots"),
        lambda: read_geodata(lots("name", fields=[*LOT_FIELDS, (b"t\xean", "C", 10, 0)], records=[[*lot_record(), b"x"]]),
                             target="lots", encoding="utf-8"),
    ]
    for i, call in enumerate(calls):
        try:
            assert_bilingual(refusal_of(call))
        except AssertionError as exc:
            raise AssertionError(f"call {i}: {exc}") from exc


def test_mappings_joins_repairs_and_zone_references_are_refused_in_vietnamese(loaded_store, tmp_path):
    saved = tmp_path / "mappings"
    saved.mkdir()
    (saved / "list.json").write_text("[1]")
    bowtie = [(105.7, 9.9), (105.71, 9.91), (105.71, 9.9), (105.7, 9.91)]
    orphan = validate(get_layer("lots"), gpd.GeoDataFrame([{**LOT, "zone_code": "NOPE"}], geometry=[square()], crs="EPSG:4326"),
                      zone_codes=["NOPE"])
    calls = [
        lambda: parse_pairs(["code"]),
        lambda: load_mapping(saved, "a b"),
        lambda: load_mapping(saved, "other"),
        lambda: load_mapping(saved, "list"),
        lambda: plan(LAYERS["lots"], ["ma"], {"nope": "ma"}),
        lambda: plan(LAYERS["lots"], ["ma"], {"code": "so_lo"}),
        lambda: plan(LAYERS["clearance"], ["ma_thua", "so_thua"], None),
        lambda: plan(LAYERS["lots"], ["Ghi chu", "ghi chu"], None),
        lambda: prepare(loaded_store, "lots", text_file(tmp_path / "t.csv", "tenant\nx\n")),
        lambda: prepare(loaded_store, "lots", text_file(tmp_path / "u.csv", "code,tenant\nNOPE,x\n")),
        lambda: import_file(loaded_store, "lots", geojson(tmp_path / "b.geojson", bowtie), repair=True),
        lambda: loaded_store.write_layers({"lots": orphan}),
    ]
    for i, call in enumerate(calls):
        try:
            assert_bilingual(refusal_of(call))
        except AssertionError as exc:
            raise AssertionError(f"call {i}: {exc}") from exc
    assert "NOPE" not in loaded_store.codes("lots") | loaded_store.codes("zones")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_import_refusal_names_the_file_as_written(tmp_path, lang):
    exc = refusal_of(lambda: read_geodata(text_file(tmp_path / "lo.csv", "code,lon,lat\nL7,\"105,66\",9.86\n"), target="lots"))
    assert exc.localized(lang).startswith("lo.csv: ")
    assert str(exc) == "lo.csv: row 1, column lon: '105,66' is not a coordinate (dot decimals)"


@pytest.mark.parametrize("token", ["x", "a" * 20])
def test_an_upload_that_is_gone_is_refused_in_vietnamese(tmp_path, token):
    assert_bilingual(refusal_of(lambda: upload_path(tmp_path, token)))
