import pytest
import shapely

from mapapp.analysis import measure
from tests.builders import mbox, mline


def test_check_value_vi_thanh():
    """The data brief's check value: Vị Thanh is about E 551 034, N 1 081 892 in EPSG:5897."""
    point = measure.to_metric([shapely.Point(105.467, 9.783)])[0]
    assert point.x == pytest.approx(551_034, abs=2)
    assert point.y == pytest.approx(1_081_892, abs=2)


def test_areas_and_lengths_are_metres_not_degrees():
    assert measure.area_m2([mbox(0, 0, 100, 100)])[0] == pytest.approx(10_000, rel=1e-6)
    assert measure.area_ha([mbox(0, 0, 1000, 500)])[0] == pytest.approx(50, rel=1e-6)
    assert measure.length_m([mline((0, 0), (300, 400))])[0] == pytest.approx(500, rel=1e-6)


def test_round_trip():
    geom = mbox(0, 0, 10, 10)
    back = measure.to_storage(measure.to_metric([geom]))[0]
    assert shapely.equals_exact(geom, back, tolerance=1e-8)  # 1e-8° is about 1 mm


def test_proj4_definition_reproduces_pyproj():
    """The browser's definition of EPSG:5897, checked against pyproj itself on a few province points."""
    from pyproj import Transformer

    definition = measure.proj4_definition()
    assert "+proj=tmerc" in definition and "+lon_0=105" in definition and "+k=0.9999" in definition
    assert len(definition.split("+towgs84=")[1].split()[0].split(",")) == 7
    ours = Transformer.from_crs("EPSG:4326", definition, always_xy=True)
    for lon, lat in [(105.467, 9.783), (105.81, 9.95), (105.35, 9.6)]:
        expected = measure.to_metric([shapely.Point(lon, lat)])[0]
        x, y = ours.transform(lon, lat)
        assert abs(x - expected.x) < 0.01 and abs(y - expected.y) < 0.01


def test_vn2000_uses_the_national_parameters_epsg_6960():
    """EPSG:6960 puts Vị Thanh at E 551 034.78; pyproj's default (EPSG:5194) at 551 033.97, 0.8 m away."""
    point = measure.to_metric([shapely.Point(105.467, 9.783)])[0]
    assert point.x == pytest.approx(551_034.784, abs=0.005)
    assert point.y == pytest.approx(1_081_892.093, abs=0.005)
    assert "VN-2000 to WGS 84 (2)" in measure.transformer("EPSG:4326", "EPSG:5897").description


def test_round_trip_in_epsg_5897_within_a_centimetre():
    """A point in EPSG:5897 to WGS 84 (EPSG:6960) and back lands within 0.01 m of where it started."""
    start = shapely.Point(551_034.0, 1_081_892.0)
    back = measure.to_metric(measure.to_storage([start]))[0]
    assert start.distance(back) < 0.01


def test_browser_definition_carries_the_national_shift():
    """The proj4js string the map gets holds EPSG:6960's seven parameters (position-vector signs)."""
    towgs84 = [float(v) for v in measure.proj4_definition().split("+towgs84=")[1].split()[0].split(",")]
    assert towgs84 == pytest.approx([-191.90441429, -39.30318279, -111.45032835, 0.00928836, -0.01975479, 0.00427372, 0.252906278], abs=1e-6)
