"""Constants and helpers shared by the sample's modules: CRS, rounding, GeoJSON/CSV writing."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

SEED = 20180205  # the notice's date
STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:5897"
DECIMALS = 7
TOLERANCE_M2 = 1.0  # what counts as a real overlap (the app's tolerance)
# The sample's "today" (mapapp.sources.sample.SAMPLE_AS_OF): reports and clearance
# events end by then; plans run on into 2019.
AS_OF = date(2018, 12, 31)

_TO_M = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)
_TO_LL = Transformer.from_crs(METRIC_CRS, STORAGE_CRS, always_xy=True)

BQL = "Ban Quản lý các KCN tỉnh Hậu Giang"
# Item 11 of the notice asks for one leader of the board to follow land clearance. The
# sample names the role, never a person: personal names are for data the board loads itself.
CLEARANCE_LEADER = "Phó Trưởng ban phụ trách GPMB"

OUTPUT_FILES = (
    "boundaries.geojson",
    "zones.geojson",
    "lots.geojson",
    "clearance.geojson",
    "projects.geojson",
    "progress_reports.csv",
    "clearance_events.csv",
    "directives.json",
    "expected_conflicts.json",
    "admin_units.json",
    "households.csv",
    "household_parcels.csv",
    "clearance_parcels.csv",
    "clearance_steps.csv",
    "payments.csv",
    "complaints.csv",
    "blockers.json",
)

# --------------------------------------------------------------------------- helpers


def ll2m(lon: float, lat: float) -> tuple[float, float]:
    x, y = _TO_M.transform(lon, lat)
    return float(x), float(y)


def _xy(tr: Transformer):
    def f(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return f


def to_storage(geom):
    """Metric geometry -> WGS84, rounded to DECIMALS, polygons oriented per RFC 7946."""
    g = shapely.transform(geom, _xy(_TO_LL))
    g = shapely.transform(g, lambda c: np.round(c, DECIMALS))
    if g.geom_type in ("Polygon", "MultiPolygon"):
        g = shapely.orient_polygons(g, exterior_cw=False)
    if not g.is_valid:
        raise ValueError(f"invalid geometry after rounding: {g.wkt[:120]}")
    return g


def to_metric(geom):
    return shapely.transform(geom, _xy(_TO_M))


def _coords(seq) -> list:
    return [[float(x), float(y)] for x, y in seq]


def geojson_geometry(g) -> dict:
    if g.geom_type == "Polygon":
        rings = [g.exterior] + list(g.interiors)
        return {"type": "Polygon", "coordinates": [_coords(r.coords) for r in rings]}
    if g.geom_type == "LineString":
        return {"type": "LineString", "coordinates": _coords(g.coords)}
    raise TypeError(g.geom_type)


def vnd(x: float) -> float:
    """Round an amount to the million dong, as a float (the schema's type)."""
    return float(round(x / 1e6) * 1e6)


# --------------------------------------------------------------------------- writing


def feature(props: dict, geom) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geojson_geometry(geom)}


def dump_geojson(path: Path, features: list[dict]) -> None:
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def dump_csv(path: Path, header, rows) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
