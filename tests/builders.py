"""Hand-built geodata for tests: drawn in EPSG:5897 metres, written as WGS84 GeoJSON."""
from __future__ import annotations

import json
from pathlib import Path

from shapely.geometry import LineString, box, mapping

from mapapp.analysis.measure import to_storage

E0, N0 = 580_000.0, 1_100_000.0  # near KCN Sông Hậu, in VN-2000 / TM-3 105°00'


def mbox(x0: float, y0: float, x1: float, y1: float):
    """A box given in metres relative to (E0, N0), returned in WGS84."""
    return to_storage([box(E0 + x0, N0 + y0, E0 + x1, N0 + y1)])[0]


def mline(*points: tuple[float, float]):
    return to_storage([LineString([(E0 + x, N0 + y) for x, y in points])])[0]


def collection(features: list[tuple[dict, object]]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props, "geometry": None if geom is None else mapping(geom)}
            for props, geom in features
        ],
    }


def write_geojson(path: Path, features: list[tuple[dict, object]]) -> Path:
    path.write_text(json.dumps(collection(features), ensure_ascii=False), encoding="utf-8")
    return path


def zones_features() -> list[tuple[dict, object]]:
    return [
        ({"code": "Z1", "name": "KCN Thử Nghiệm", "kind": "industrial_zone", "status": "operating", "district": "Châu Thành",
          "planned_area_ha": 100.0, "allowed_land_uses": "factory,warehouse,utility,green"}, mbox(0, 0, 1000, 1000)),
        ({"code": "Z2", "name": "Cụm CN Thử", "kind": "industrial_cluster", "status": "proposed", "district": "Châu Thành A",
          "planned_area_ha": 25.0}, mbox(2000, 0, 2500, 500)),
    ]


def lots_features() -> list[tuple[dict, object]]:
    return [
        ({"code": "L1", "zone_code": "Z1", "land_use": "factory", "status": "leased", "tenant": "Công ty A&B <Việt>"}, mbox(0, 0, 200, 100)),
        ({"code": "L2", "zone_code": "Z1", "land_use": "factory", "status": "available", "price_usd_m2": 55}, mbox(200, 0, 400, 100)),
        ({"code": "L3", "zone_code": "Z1", "land_use": "warehouse", "status": "reserved", "tenant": "Kho Hậu Giang"}, mbox(0, 200, 100, 300)),
    ]


def clearance_features() -> list[tuple[dict, object]]:
    return [
        ({"code": "P1", "zone_code": "Z1", "owner": "Hộ ông Nguyễn Văn A", "status": "cleared", "households": 1}, mbox(500, 500, 600, 600)),
        ({"code": "P2", "zone_code": "Z1", "owner": "Hộ bà Trần Thị B", "status": "disputed", "households": 2}, mbox(700, 700, 800, 800)),
    ]


def projects_features() -> list[tuple[dict, object]]:
    return [
        ({"code": "R1", "name": "Đường số 1", "kind": "road", "zone_code": "Z1", "status": "in_progress",
          "planned_start": "2018-01-01", "planned_end": "2018-12-31", "progress_pct": 40, "responsible": "Ban QL"},
         mline((0, 150), (1000, 150))),
    ]
