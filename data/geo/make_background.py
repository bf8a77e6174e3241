"""Write ``data/geo/background.geojson``: the plain (offline) background's river, national roads, commune
outlines and place names. ILLUSTRATIVE: hand-placed from the estimates in the project's data brief, not
surveyed; see the "Offline background" section of PROVENANCE.md.

    .venv/bin/python data/geo/make_background.py            # rewrites data/geo/background.geojson
    .venv/bin/python data/geo/make_background.py --out FILE

Deterministic: the same run writes the same bytes (coordinates rounded to 6 decimals)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point, Polygon, mapping, shape

HERE = Path(__file__).resolve().parent
SOURCE = "illustrative (hand-placed from public estimates, not surveyed)"

# The Hậu River's centre line, a little north-east of the province's edge (boundaries.geojson), from
# Cần Thơ down past Mái Dầm; drawn about 1.6 km wide.
HAU_RIVER = [(105.745, 10.075), (105.790, 10.010), (105.832, 9.968), (105.877, 9.897), (105.912, 9.858), (105.960, 9.805), (106.010, 9.760)]
RIVER_HALF_WIDTH_DEG = 0.0075

ROADS = {
    # QL1A: from Cái Răng (Cần Thơ) south through Châu Thành A and Châu Thành to Ngã Bảy, on to Sóc Trăng.
    "QL1A": [(105.772, 10.010), (105.748, 9.978), (105.742, 9.960), (105.758, 9.920), (105.790, 9.872), (105.8197, 9.8164), (105.858, 9.752), (105.900, 9.700)],
    # QL61C "Tây Sông Hậu": from QL1A south of KCN Tân Phú Thạnh, south-west through Một Ngàn (Châu Thành A) to Vị Thanh.
    "QL61C": [(105.744, 9.957), (105.690, 9.945), (105.6419, 9.9306), (105.580, 9.895), (105.520, 9.840), (105.467, 9.783)],
    # QL91B "Nam Sông Hậu": along the river's south bank through Châu Thành, south-west of the riverside zones.
    "QL91B": [(105.785, 9.990), (105.794, 9.946), (105.806, 9.938), (105.830, 9.915), (105.847, 9.877), (105.878, 9.842), (105.920, 9.800)],
}
ROAD_NAMES_EN = {"QL1A": "National Road 1A", "QL61C": "National Road 61C", "QL91B": "National Road 91B"}
ROAD_NAMES_VI = {"QL1A": "Quốc lộ 1A", "QL61C": "Quốc lộ 61C (Tây Sông Hậu)", "QL91B": "Quốc lộ 91B (Nam Sông Hậu)"}

# Communes holding the zones of notice 19, as rough boxes clipped to their district (boundaries.geojson).
COMMUNES = [
    ("Xã Tân Phú Thạnh", "Tân Phú Thạnh commune", "HG-CTA", (105.700, 9.930, 105.757, 9.995)),
    ("Xã Đông Phú", "Đông Phú commune", "HG-CTH", (105.775, 9.900, 105.830, 9.995)),
    ("Xã Phú Hữu", "Phú Hữu commune", "HG-CTH", (105.830, 9.860, 105.900, 9.930)),
    ("Xã Đông Phước", "Đông Phước commune", "HG-CTH", (105.757, 9.860, 105.800, 9.900)),
]

PLACES = [  # name, English, lat, lon, kind
    ("Vị Thanh", "Vị Thanh", 9.783, 105.467, "city"),
    ("Ngã Bảy", "Ngã Bảy", 9.8164, 105.8197, "town"),
    ("Một Ngàn", "Một Ngàn", 9.9306, 105.6419, "town"),
    ("Ngã Sáu", "Ngã Sáu", 9.92, 105.78, "town"),
    ("Mái Dầm", "Mái Dầm", 9.88, 105.85, "town"),
    ("Long Mỹ", "Long Mỹ", 9.68, 105.57, "town"),
    ("Cần Thơ", "Cần Thơ", 10.03, 105.77, "city"),
]


def _round(geometry) -> dict:
    return json.loads(json.dumps(mapping(shapely.set_precision(geometry, 1e-6))))


def features(boundaries: dict) -> list[dict]:
    """The background's features, in drawing order: river, communes, roads, places."""
    districts = {f["properties"]["code"]: shape(f["geometry"]) for f in boundaries["features"]}
    out = [{
        "type": "Feature",
        "properties": {"kind": "river", "name": "Sông Hậu", "name_en": "Hậu River", "source": SOURCE},
        "geometry": _round(LineString(HAU_RIVER).buffer(RIVER_HALF_WIDTH_DEG, cap_style="flat")),
    }]
    for name, name_en, district, box in COMMUNES:
        outline = Polygon.from_bounds(*box).intersection(districts[district])
        out.append({"type": "Feature", "properties": {"kind": "commune", "name": name, "name_en": name_en, "district": district, "source": SOURCE},
                    "geometry": _round(outline)})
    for code, line in ROADS.items():
        out.append({"type": "Feature", "properties": {"kind": "road", "code": code, "name": ROAD_NAMES_VI[code], "name_en": ROAD_NAMES_EN[code], "source": SOURCE},
                    "geometry": _round(LineString(line))})
    for name, name_en, lat, lon, kind in PLACES:
        out.append({"type": "Feature", "properties": {"kind": "place", "place": kind, "name": name, "name_en": name_en, "source": SOURCE},
                    "geometry": _round(Point(lon, lat))})
    return out


def build(boundaries_path: Path = HERE / "boundaries.geojson") -> dict:
    """The background as an RFC 7946 FeatureCollection (WGS84 lon/lat)."""
    boundaries = json.loads(boundaries_path.read_text(encoding="utf-8"))
    return {"type": "FeatureCollection", "name": "background", "features": features(boundaries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "background.geojson")
    args = parser.parse_args()
    doc = build()
    args.out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(doc['features'])} features")


if __name__ == "__main__":
    main()
