"""The province of 2018 and its eight districts: a hand-drawn outline split with polygonize (illustrative)."""
from __future__ import annotations

import shapely
from shapely.geometry import LineString, Polygon

from .common import ll2m

PROVINCE_OUTLINE = [  # lon, lat; simplified and illustrative, clockwise from the west
    (105.335, 9.785), (105.40, 9.845), (105.46, 9.885), (105.56, 9.922), (105.63, 9.962),
    # the limit with Cần Thơ (Cái Răng) runs at about 9.969 N between 105.72 and 105.74 E
    (105.69, 9.978), (105.72, 9.969), (105.74, 9.969), (105.78, 9.9895),
    # the Hậu River bank (north-east edge), a few hundred metres off KCN Sông Hậu / CCN Phú Hữu A
    (105.8205, 9.9600), (105.8655, 9.8895), (105.898, 9.855),
    (105.88, 9.83), (105.85, 9.80), (105.795, 9.735), (105.74, 9.66), (105.67, 9.585),
    (105.60, 9.595), (105.52, 9.635), (105.45, 9.69), (105.37, 9.735),
]

DISTRICT_LINES = [  # internal boundaries; ends overshoot and are trimmed by polygonize
    [(105.757, 10.01), (105.757, 9.94), (105.77, 9.88)],
    [(105.77, 9.88), (105.82, 9.862), (105.86, 9.852), (105.95, 9.84)],
    [(105.77, 9.88), (105.70, 9.882), (105.625, 9.895), (105.60, 9.98)],
    [(105.625, 9.895), (105.61, 9.80), (105.63, 9.70), (105.66, 9.64), (105.69, 9.55)],
    [(105.79, 9.89), (105.795, 9.80), (105.83, 9.775), (105.90, 9.765)],
    [(105.30, 9.825), (105.42, 9.82), (105.50, 9.81), (105.61, 9.80)],
    [(105.50, 9.81), (105.505, 9.74)],
    [(105.30, 9.745), (105.45, 9.74), (105.505, 9.74), (105.58, 9.68), (105.63, 9.70)],
]

DISTRICTS = [  # code, name, a point inside (lon, lat)
    ("HG-CTA", "Huyện Châu Thành A", (105.6419, 9.9306)),
    ("HG-CTH", "Huyện Châu Thành", (105.81, 9.93)),
    ("HG-LMH", "Huyện Long Mỹ", (105.58, 9.64)),
    ("HG-LMT", "Thị xã Long Mỹ", (105.56, 9.75)),
    ("HG-NBA", "Thị xã Ngã Bảy", (105.8197, 9.8164)),
    ("HG-PHI", "Huyện Phụng Hiệp", (105.70, 9.75)),
    ("HG-VTA", "Thành phố Vị Thanh", (105.467, 9.783)),
    ("HG-VTY", "Huyện Vị Thủy", (105.50, 9.86)),
]


def build_boundaries():
    outline = Polygon([ll2m(*p) for p in PROVINCE_OUTLINE])
    lines = [outline.exterior] + [LineString([ll2m(*p) for p in ln]) for ln in DISTRICT_LINES]
    noded = shapely.union_all(lines)
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    faces = [f for f in faces if outline.contains(f.representative_point())]
    if len(faces) != len(DISTRICTS):
        raise AssertionError(f"expected {len(DISTRICTS)} district faces, got {len(faces)}")
    districts = {}
    for code, name, inside in DISTRICTS:
        p = shapely.Point(ll2m(*inside))
        hit = [f for f in faces if f.contains(p)]
        if len(hit) != 1:
            raise AssertionError(f"district {code}: {len(hit)} faces")
        districts[code] = (name, shapely.normalize(hit[0]))
    # the province is the union of its districts, so it carries the same vertices
    # where district limits meet the outline (and tiles exactly once projected to WGS84)
    province = shapely.normalize(shapely.union_all([g for _, g in districts.values()]))
    if province.geom_type != "Polygon" or abs(province.area - outline.area) > 1.0:
        raise AssertionError("districts do not tile the outline")
    return province, districts
