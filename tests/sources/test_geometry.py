"""Geometry refusals name the feature and its code; --repair makes valid, names each repair, refuses > 1 % area change."""
import json

import pytest
import shapely
from shapely.geometry import mapping

from mapapp.analysis.measure import area_m2, to_storage
from mapapp.errors import ImportRefused
from mapapp.sources.importer import import_file, prepare
from tests import builders

PROPS = {"zone_code": "Z1", "land_use": "factory", "status": "available"}


def _doc(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, **PROPS}, "geometry": geom} for code, geom in features]}))
    return path


def _ring(x0, y0, x1, y1):
    """A 100 m square's ring in WGS84 lon/lat lists (closed)."""
    return [list(c) for c in to_storage([shapely.box(builders.E0 + x0, builders.N0 + y0, builders.E0 + x1, builders.N0 + y1)])[0].exterior.coords]


def test_unclosed_ring_names_feature_and_code(loaded_store, tmp_path):
    """Today: 'could not be read as geodata', no feature named."""
    good = {"type": "Polygon", "coordinates": [_ring(600, 0, 700, 100)]}
    open_ring = {"type": "Polygon", "coordinates": [_ring(800, 0, 900, 100)[:-1]]}
    path = _doc(tmp_path / "l.geojson", [("N1", good), ("N2", open_ring)])
    with pytest.raises(ImportRefused) as info:
        import_file(loaded_store, "lots", path)
    assert str(info.value) == ("layer lots, feature 2 (code N2), field geometry: "
                               "a polygon ring is not closed (its first and last points differ)")


def test_unclosed_ring_in_csv_wkt_names_the_row(loaded_store, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("code,zone_code,land_use,status,wkt\nN1,Z1,factory,available,\"POLYGON ((105.73 9.95, 105.731 9.95, 105.731 9.951))\"\n")
    with pytest.raises(ImportRefused) as info:
        import_file(loaded_store, "lots", path)
    assert str(info.value) == ("layer lots, feature 1 (code N1), field geometry: "
                               "a polygon ring is not closed (its first and last points differ)")


def _with_spike():
    """A 100 m square whose west edge holds a 10 cm notch touching itself (ring self-intersection), 0.005 m² of 10,000 m²."""
    x, y = builders.E0 + 600, builders.N0
    ring = [(0, 0), (100, 0), (100, 100), (0, 100), (0, 50), (0.1, 50.05), (0.1, 49.95), (0, 50), (0, 0)]
    return to_storage([shapely.Polygon([(x + a, y + b) for a, b in ring])])[0]


def test_repair_names_each_repaired_feature(loaded_store, tmp_path):
    spike = _with_spike()
    assert not spike.is_valid
    path = _doc(tmp_path / "l.geojson", [("N1", mapping(spike))])
    with pytest.raises(ImportRefused, match=r"feature 1 \(code N1\), field geometry: invalid geometry"):
        import_file(loaded_store, "lots", path)
    frame = prepare(loaded_store, "lots", path, repair=True)
    assert frame.geometry.iloc[0].is_valid
    assert frame.attrs["notes"] == [f"feature 1 (code N1): repaired {shapely.is_valid_reason(spike)} (area 0.00% changed)"]
    assert area_m2([frame.geometry.iloc[0]])[0] == pytest.approx(10_000, rel=1e-3)


def test_repair_refuses_a_change_of_area_above_one_percent(loaded_store, tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[105.7, 9.9], [105.71, 9.91], [105.71, 9.9], [105.7, 9.91], [105.7, 9.9]]]}
    path = _doc(tmp_path / "b.geojson", [("N1", bowtie)])
    with pytest.raises(ImportRefused, match=r"feature 1 \(code N1\), field geometry: invalid geometry \(Self-intersection.*\); "
                                            r"repairing it would change its area from [\d,.]+ m² to [\d,.]+ m² \([\d,.]+%, more than 1 %\): fix it by hand"):
        import_file(loaded_store, "lots", path, repair=True)
