"""Planning conflicts found by spatial analysis of zones, lots, clearance and projects.

Pure analysis: GeoDataFrames in, a GeoDataFrame of conflicts out, no database and
no Flask. Every layer is reprojected once, vectorised, to EPSG:5897 (VN-2000 /
TM-3 105°00') so that areas are m² and lengths m; results go back to WGS84.

Rule types (see ``RULES``)
--------------------------
``lot_overlap``                two lots whose interiors overlap (each pair once)
``lot_on_uncleared_land``      a leased/reserved lot on a parcel not yet ``cleared``
``outside_zone``               a lot or project reaching beyond the zone of its ``zone_code``
``project_on_uncleared_land``  a project crossing / covering / inside a parcel not ``cleared``
``project_through_lot``        a project crossing / covering / inside a leased or reserved lot
``land_use_mismatch``          a lot whose land use its zone's ``allowed_land_uses`` excludes
``lot_in_proposed_zone``       a leased/reserved lot in a zone that is only ``proposed``
``zone_overlap``               two zones whose boundaries overlap

Noise
-----
Touching features are never in conflict. Overlaps of at most ``tolerance_m2`` and
crossings of at most ``tolerance_m`` are digitising noise. A line within ``SNAP_M``
(1 cm) of a polygon edge runs *along* it: a road drawn on a lot or zone edge with
other vertices does not "cross" it by floating-point hair-widths (so crossing
lengths come out 2 cm short, lengths outside 1 cm short). Likewise a point within
``SNAP_M`` of a boundary is on it.

Severity scheme
---------------
The feature with the legal or financial stake decides: a tenant's lease, a
dispute, works under way. Per type, high / medium / low:

lot_overlap                 both leased / one leased or any reserved / both available
lot_on_uncleared_land       parcel disputed or lot leased / reserved lot, parcel not
                            yet paid / reserved lot on a compensated parcel
outside_zone                leased lot / reserved lot, project in_progress or
                            completed / available lot, project planned or suspended
project_on_uncleared_land   parcel disputed or project in_progress or completed /
                            planned project / suspended project, or planned on a
                            compensated parcel
project_through_lot         leased lot / reserved lot / --
land_use_mismatch           leased lot / reserved lot / available lot
lot_in_proposed_zone        leased lot / reserved lot / --
zone_overlap                neither zone proposed / one proposed / both proposed

Performance
-----------
No Python loop over features or pairs touches geometry: candidate pairs come from
``STRtree`` bulk queries, are pruned with numpy by exact upper bounds of the
overlap area (the overlap of the two bounding boxes, then of two boxes aligned with
each feature's longest edge, which catches rotated lot grids), and only the
survivors reach GEOS. Parcels are filtered to non-cleared before reprojection,
and "is this lot inside its zone" is one prepared ``covers`` call.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.errors import GEOSException

from mapapp.analysis.measure import METRIC_CRS, STORAGE_CRS, reproject

log = logging.getLogger(__name__)

HIGH, MEDIUM, LOW = "high", "medium", "low"
SNAP_M = 0.01  # lines closer than this to a polygon edge are taken to run along it
_CHUNK = 65_536  # query geometries per STRtree bulk query: bounds the pair arrays' memory

COLUMNS = (
    "id", "type", "codes", "layers", "zone_code", "area_m2", "length_m",
    "severity", "description", "description_en", "geometry",
)


@dataclass(frozen=True)
class Rule:
    """Metadata of one conflict type, for legends, filters and help texts."""

    type: str
    label_vi: str
    label_en: str
    severity: str  # default (most common) severity; rows carry their own
    description: str


RULES: dict[str, Rule] = {
    r.type: r
    for r in (
        Rule("lot_overlap", "Chồng lấn lô đất", "Overlapping lots", MEDIUM,
             "Two lots whose interiors overlap by more than the area tolerance."),
        Rule("lot_on_uncleared_land", "Lô đất trên đất chưa giải phóng mặt bằng",
             "Lot on uncleared land", HIGH,
             "A leased or reserved lot overlapping a clearance parcel that is not cleared."),
        Rule("outside_zone", "Vượt ra ngoài ranh giới khu", "Outside its zone", MEDIUM,
             "A lot or project reaching beyond the zone named by its zone_code "
             "(area, length, or a point outside)."),
        Rule("project_on_uncleared_land", "Dự án trên đất chưa giải phóng mặt bằng",
             "Project on uncleared land", HIGH,
             "A project line crossing, polygon overlapping, or point inside a parcel "
             "that is not cleared."),
        Rule("project_through_lot", "Dự án đi qua lô đất đã cho thuê",
             "Project through a leased lot", HIGH,
             "A project line crossing, polygon overlapping, or point inside a leased "
             "or reserved lot."),
        Rule("land_use_mismatch", "Sai mục đích sử dụng đất", "Land use not allowed in zone",
             MEDIUM, "A lot whose land_use is not among its zone's allowed_land_uses."),
        Rule("lot_in_proposed_zone", "Lô đã giao trong khu mới đề xuất",
             "Lot committed in a proposed zone", HIGH,
             "A leased or reserved lot in a zone whose status is still proposed."),
        Rule("zone_overlap", "Chồng lấn ranh giới khu", "Overlapping zones", MEDIUM,
             "Two zones whose boundaries overlap by more than the area tolerance."),
    )
}

_VI = {
    # lots
    "leased": "đã cho thuê", "reserved": "đã đặt chỗ", "available": "còn trống",
    # clearance
    "not_started": "chưa triển khai", "negotiating": "đang thỏa thuận",
    "compensated": "đã bồi thường", "cleared": "đã giải phóng", "disputed": "đang tranh chấp",
    # land uses
    "factory": "nhà máy", "warehouse": "kho bãi", "logistics": "logistics",
    "utility": "hạ tầng kỹ thuật", "green": "cây xanh", "commercial": "thương mại - dịch vụ",
    "housing": "nhà ở",
}
_EN = {"not_started": "not started"}

_LOT_COMMITTED = ("leased", "reserved")
_CLEARED = "cleared"


# --------------------------------------------------------------------------- layers

@dataclass
class _Layer:
    """One input layer, reduced to metric geometries and normalised text columns."""

    name: str
    geom: np.ndarray
    attrs: dict[str, np.ndarray]
    _tree: shapely.STRtree | None = field(default=None, repr=False)
    _bounds: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.geom)

    def __getitem__(self, column: str) -> np.ndarray:
        return self.attrs[column]

    @property
    def tree(self) -> shapely.STRtree:
        """Built lazily: a rule that finds nothing to query never pays for it."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.geom)
        return self._tree

    @property
    def bounds(self) -> np.ndarray:
        if self._bounds is None:
            self._bounds = shapely.bounds(self.geom)
        return self._bounds

    def isin(self, column: str, values: tuple[str, ...]) -> np.ndarray:
        return np.isin(self.attrs[column], values)


def _text(frame: pd.DataFrame, column: str, lower: bool, rows: np.ndarray) -> np.ndarray:
    """A column's ``rows`` as stripped str (missing column or value -> ""), via its distinct values."""
    if column not in frame.columns:
        return np.full(int(rows.sum()), "", dtype=object)
    codes, uniques = pd.factorize(np.asarray(frame[column], dtype=object)[rows], use_na_sentinel=True)
    clean = [str(u).strip() for u in uniques]
    clean = np.array([u.lower() for u in clean] if lower else clean, dtype=object)
    return np.append(clean, "")[codes]  # code -1 (missing) picks the trailing ""


def _crs_name(frame: gpd.GeoDataFrame) -> str:
    if frame.crs is None:
        raise ValueError("input GeoDataFrame has no CRS; set one (e.g. EPSG:4326) first")
    return frame.crs.to_string()


def _prepare(frame: gpd.GeoDataFrame | None, name: str, columns: dict[str, bool],
             drop_status: str | None = None) -> _Layer:
    """Drop empty geometries (and rows whose status is ``drop_status``), then reproject to metres.

    Filtering comes first: rows dropped are never reprojected nor parsed.
    ``columns`` maps column name -> lower-case it (enums) or not (codes).
    """
    empty = _Layer(name, np.empty(0, dtype=object), {c: np.empty(0, dtype=object) for c in columns})
    if frame is None or len(frame) == 0 or frame._geometry_column_name not in frame.columns:
        return empty
    geom = np.asarray(frame.geometry.array, dtype=object)
    rows = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
    if drop_status is not None:
        rows[rows] = _text(frame, "status", True, rows) != drop_status
    if not rows.any():
        return empty
    attrs = {c: _text(frame, c, lower, rows) for c, lower in columns.items()}
    metric = reproject(geom[rows], _crs_name(frame), METRIC_CRS)
    return _Layer(name, np.asarray(metric, dtype=object), attrs)


# --------------------------------------------------------------------------- geometry

def _safe(op: Callable[..., np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Run a GEOS overlay; on a topology error repair the inputs once and retry."""
    try:
        return op(a, b)
    except GEOSException:
        return op(shapely.make_valid(a), shapely.make_valid(b))


def _bbox_overlap(ba: np.ndarray, bb: np.ndarray) -> np.ndarray:
    """Area of the intersection of two bounds arrays: an exact upper bound of the overlap area."""
    w = np.minimum(ba[:, 2], bb[:, 2]) - np.maximum(ba[:, 0], bb[:, 0])
    h = np.minimum(ba[:, 3], bb[:, 3]) - np.maximum(ba[:, 1], bb[:, 1])
    return np.maximum(w, 0.0) * np.maximum(h, 0.0)


def _oriented_boxes(geoms: np.ndarray) -> np.ndarray:
    """Per geometry a box aligned with its longest edge: columns cx, cy, ux, uy, hu, hv.

    (cx, cy) is the centre, u = (ux, uy) the unit axis along the longest edge,
    hu / hv the half extents along u and its normal. Any axis gives a box that
    contains the geometry, so an odd axis only weakens the prune, never breaks it.
    For the rectangles of a rotated lot grid the box is the lot itself.
    """
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    start = np.searchsorted(idx, np.arange(len(geoms)))
    edge = np.diff(coords, axis=0, append=coords[-1:])
    same = np.append(idx[1:] == idx[:-1], False)
    length2 = np.where(same, np.einsum("ij,ij->i", edge, edge), -1.0)
    longest = np.flatnonzero(length2 == np.maximum.reduceat(length2, start)[idx])
    longest = longest[np.append(True, idx[longest][1:] != idx[longest][:-1])]  # first per geometry
    norm = np.sqrt(np.maximum(length2[longest], 0.0))
    u = np.where(norm[:, None] > 0, edge[longest] / np.where(norm > 0, norm, 1.0)[:, None], [1.0, 0.0])
    local = coords - coords[start][idx]  # small numbers: no cancellation at 1e6 m
    pu = local[:, 0] * u[idx, 0] + local[:, 1] * u[idx, 1]
    pv = local[:, 1] * u[idx, 0] - local[:, 0] * u[idx, 1]
    lo_u, hi_u = np.minimum.reduceat(pu, start), np.maximum.reduceat(pu, start)
    lo_v, hi_v = np.minimum.reduceat(pv, start), np.maximum.reduceat(pv, start)
    cu, cv = (lo_u + hi_u) / 2, (lo_v + hi_v) / 2
    cx = coords[start, 0] + cu * u[:, 0] - cv * u[:, 1]
    cy = coords[start, 1] + cu * u[:, 1] + cv * u[:, 0]
    return np.column_stack([cx, cy, u[:, 0], u[:, 1], (hi_u - lo_u) / 2, (hi_v - lo_v) / 2])


def _box_overlap_in_frame(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Upper bound of the overlap area of boxes a, b (rows of ``_oriented_boxes``), in a's frame.

    Along each of a's axes the overlap is at most the overlap of a's extent with
    b's projected extent (b's centre ± its projected radius).
    """
    dx, dy = b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]
    area = np.ones(len(a))
    for ex, ey, half in ((a[:, 2], a[:, 3], a[:, 4]), (-a[:, 3], a[:, 2], a[:, 5])):
        centre = dx * ex + dy * ey
        radius = b[:, 4] * np.abs(b[:, 2] * ex + b[:, 3] * ey) + b[:, 5] * np.abs(b[:, 2] * ey - b[:, 3] * ex)
        width = np.minimum(half, centre + radius) - np.maximum(-half, centre - radius)
        area *= np.maximum(width, 0.0)
    return area


def _oriented_prune(a: np.ndarray, ia: np.ndarray, b: np.ndarray, ib: np.ndarray, tol: float) -> np.ndarray:
    """Mask of pairs whose overlap may exceed ``tol`` judged in either feature's own frame.

    Catches what axis-aligned boxes cannot: neighbours in a rotated lot grid.
    Boxes are computed once per feature involved, not per pair.
    """
    if a is b:  # self-join: one set of boxes
        used, inv = np.unique(np.concatenate([ia, ib]), return_inverse=True)
        boxes = _oriented_boxes(a[used])
        box_a, box_b = boxes[inv[:len(ia)]], boxes[inv[len(ia):]]
    else:
        ua, inv_a = np.unique(ia, return_inverse=True)
        ub, inv_b = np.unique(ib, return_inverse=True)
        box_a, box_b = _oriented_boxes(a[ua])[inv_a], _oriented_boxes(b[ub])[inv_b]
    bound = np.minimum(_box_overlap_in_frame(box_a, box_b), _box_overlap_in_frame(box_b, box_a))
    return bound > tol


def _tree_pairs(query: np.ndarray, tree: shapely.STRtree, predicate: str | None = None
                ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """STRtree bulk query in chunks: (query index, tree index) arrays."""
    for start in range(0, len(query), _CHUNK):
        qi, ti = tree.query(query[start:start + _CHUNK], predicate=predicate)
        yield qi + start, ti


def _query_all(query: np.ndarray, tree: shapely.STRtree, predicate: str) -> tuple[np.ndarray, np.ndarray]:
    """All (query index, tree index) pairs satisfying ``predicate``."""
    pairs = list(_tree_pairs(query, tree, predicate))
    if not pairs:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])


def _area_pairs(
    a: _Layer, b: _Layer, tol: float,
    a_mask: np.ndarray | None = None, b_mask: np.ndarray | None = None, same: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (ia, ib) of polygons whose interiors overlap by more than ``tol`` m².

    Returns the index arrays, the overlaps and their areas. ``same`` = self-join
    of ``a`` (each unordered pair once).
    """
    qa = np.arange(len(a)) if a_mask is None else np.flatnonzero(a_mask)
    ia_parts, ib_parts = [], []
    if len(qa) and len(b):
        for qi, ib in _tree_pairs(a.geom[qa], b.tree):
            ia = qa[qi]
            keep = ia < ib if same else np.ones(len(ia), dtype=bool)
            if b_mask is not None:
                keep &= b_mask[ib]
            ia, ib = ia[keep], ib[keep]
            keep = _bbox_overlap(a.bounds[ia], b.bounds[ib]) > tol
            ia_parts.append(ia[keep])
            ib_parts.append(ib[keep])
    ia = np.concatenate(ia_parts) if ia_parts else np.empty(0, dtype=np.intp)
    ib = np.concatenate(ib_parts) if ib_parts else np.empty(0, dtype=np.intp)
    if len(ia):
        keep = _oriented_prune(a.geom, ia, b.geom, ib, tol)
        ia, ib = ia[keep], ib[keep]
    inter = _keep_dim(_safe(shapely.intersection, a.geom[ia], b.geom[ib]), 2)
    area = shapely.area(inter)
    keep = area > tol
    return ia[keep], ib[keep], inter[keep], area[keep]


def _keep_dim(geoms: np.ndarray, dim: int) -> np.ndarray:
    """Drop the lower-dimensional bits (touch points, shared edges) of overlay results."""
    mixed = np.flatnonzero(shapely.get_type_id(geoms) == 7)  # GeometryCollection
    if len(mixed) == 0:
        return geoms
    parts, idx = shapely.get_parts(geoms[mixed], return_index=True)
    parts, sub = shapely.get_parts(parts, return_index=True)
    idx = idx[sub]
    keep = shapely.get_dimensions(parts) == dim
    build = (shapely.multipoints, shapely.multilinestrings, shapely.multipolygons)[dim]
    rebuilt = np.full(len(mixed), shapely.from_wkt("GEOMETRYCOLLECTION EMPTY"), dtype=object)
    if keep.any():
        build(parts[keep], indices=idx[keep], out=rebuilt)
    out = geoms.copy()
    out[mixed] = rebuilt
    return out


def _inside(geoms: np.ndarray, polys: np.ndarray) -> np.ndarray:
    """The part of each line or point deeper than ``SNAP_M`` inside the polygon.

    A road drawn along an edge with other vertices wanders by float hair-widths
    on both sides of it; the narrow corridor makes that "along", not "across".
    Costs 2 x SNAP_M of length per crossing.
    """
    core = shapely.buffer(polys, -SNAP_M, join_style="mitre")
    return _lines_clean(geoms, _safe(shapely.intersection, geoms, core))


def _outside(geoms: np.ndarray, polys: np.ndarray) -> np.ndarray:
    """The part of each line or point farther than ``SNAP_M`` outside the polygon (see ``_inside``)."""
    grown = shapely.buffer(polys, SNAP_M, join_style="mitre")
    return _lines_clean(geoms, _safe(shapely.difference, geoms, grown))


def _lines_clean(geoms: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """Overlay results of lines without their stray touch points."""
    lines = shapely.get_dimensions(geoms) == 1
    parts[lines] = _keep_dim(parts[lines], 1)
    return parts


# --------------------------------------------------------------------------- results

def _num(value: float, vi: bool) -> str:
    """Human amount: thousands grouped, decimals only for small values (vi: 1.234,5)."""
    digits = 0 if value >= 10 else 1 if value >= 1 else 2
    text = f"{value:,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if vi else text


def _vi(word: str) -> str:
    return _VI.get(word, word or "?")


def _en(word: str) -> str:
    return _EN.get(word, word or "?")


@dataclass
class _Found:
    """Conflicts of one rule as parallel arrays (geometry in metres)."""

    type: str
    code_a: np.ndarray
    code_b: np.ndarray
    layer_a: str | np.ndarray
    layer_b: str
    zone_code: np.ndarray
    severity: np.ndarray
    geometry: np.ndarray
    description: list[str]
    description_en: list[str]
    area_m2: np.ndarray | None = None
    length_m: np.ndarray | None = None

    def frame(self) -> pd.DataFrame:
        n = len(self.code_a)
        nan = np.full(n, np.nan)
        layer_a = np.broadcast_to(np.asarray(self.layer_a, dtype=object), (n,))
        return pd.DataFrame({
            "type": self.type,
            "code_a": self.code_a,
            "code_b": self.code_b,
            "layer_a": layer_a,
            "layer_b": self.layer_b,
            "zone_code": self.zone_code,
            "area_m2": nan if self.area_m2 is None else np.asarray(self.area_m2, dtype=float),
            "length_m": nan if self.length_m is None else np.asarray(self.length_m, dtype=float),
            "severity": self.severity,
            "description": self.description,
            "description_en": self.description_en,
            "geometry": self.geometry,
        })


def _empty_result() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float if c in ("area_m2", "length_m") else object)
                          for c in COLUMNS if c != "geometry"})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=STORAGE_CRS), crs=STORAGE_CRS)


def _assemble(found: list[_Found]) -> gpd.GeoDataFrame:
    """One sorted WGS84 GeoDataFrame with stable ids from all rules' findings."""
    frames = [f.frame() for f in found if len(f.code_a)]
    if not frames:
        return _empty_result()
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["type", "code_a", "code_b", "area_m2", "length_m"], kind="mergesort",
                        ignore_index=True)
    ids = df["type"] + ":" + df["code_a"] + ":" + df["code_b"]
    dup = ids.groupby(ids).cumcount()
    df["id"] = ids.where(dup == 0, ids + "#" + (dup + 1).astype(str))
    col = {c: np.asarray(df[c], dtype=object) for c in ("code_a", "code_b", "layer_a", "layer_b")}
    df["codes"] = [[a, b] for a, b in zip(col["code_a"], col["code_b"])]
    df["layers"] = [[a, b] for a, b in zip(col["layer_a"], col["layer_b"])]
    geometry = reproject(df["geometry"].to_numpy(), METRIC_CRS, STORAGE_CRS)
    out = df[[c for c in COLUMNS if c != "geometry"]]
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometry, crs=STORAGE_CRS), crs=STORAGE_CRS)


def _ordered(i: np.ndarray, j: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric pairs: rows reordered so the smaller code comes first (ids independent of row order)."""
    swap = code[j] < code[i]
    return np.where(swap, j, i), np.where(swap, i, j)


def _zone_index(zones: _Layer, codes: np.ndarray) -> np.ndarray:
    """Row of the zone named by each code (first one if duplicated), -1 if unknown/empty."""
    index = pd.Index(zones["code"])
    first = ~index.duplicated()
    lookup = pd.Series(np.flatnonzero(first), index=index[first])
    rows = lookup.reindex(codes).to_numpy()
    rows = np.where(pd.isna(rows), -1, rows).astype(np.intp)
    rows[codes == ""] = -1
    return rows


# --------------------------------------------------------------------------- rules

def _lot_overlap(lots: _Layer, tol: float) -> _Found:
    i, j, geom, area = _area_pairs(lots, lots, tol, same=True)
    i, j = _ordered(i, j, lots["code"])
    si, sj = lots["status"][i], lots["status"][j]
    committed = np.isin(si, _LOT_COMMITTED) | np.isin(sj, _LOT_COMMITTED)
    severity = np.select([(si == "leased") & (sj == "leased"), committed], [HIGH, MEDIUM], LOW)
    a, b = lots["code"][i], lots["code"][j]
    return _Found(
        "lot_overlap", a, b, "lots", "lots", lots["zone_code"][i], severity, geom,
        [f"Lô {x} chồng lấn lô {y}: {_num(v, True)} m²" for x, y, v in zip(a, b, area)],
        [f"Lot {x} overlaps lot {y}: {_num(v, False)} m²" for x, y, v in zip(a, b, area)],
        area_m2=area,
    )


def _lot_on_uncleared(lots: _Layer, parcels: _Layer, tol: float) -> _Found:
    """Query the (few) uncleared parcels against the lot tree the overlap rule built."""
    pi, li, geom, area = _area_pairs(parcels, lots, tol, b_mask=lots.isin("status", _LOT_COMMITTED))
    ls, ps = lots["status"][li], parcels["status"][pi]
    severity = np.select([(ps == "disputed") | (ls == "leased"), ps == "compensated"], [HIGH, LOW], MEDIUM)
    lc, pc = lots["code"][li], parcels["code"][pi]
    return _Found(
        "lot_on_uncleared_land", lc, pc, "lots", "clearance", lots["zone_code"][li], severity, geom,
        [f"Lô {x} ({_vi(s)}) nằm trên thửa {y} chưa giải phóng mặt bằng ({_vi(t)}): {_num(v, True)} m²"
         for x, s, y, t, v in zip(lc, ls, pc, ps, area)],
        [f"Lot {x} ({s}) lies on uncleared parcel {y} ({_en(t)}): {_num(v, False)} m²"
         for x, s, y, t, v in zip(lc, ls, pc, ps, area)],
        area_m2=area,
    )


def _outside_parts(geoms: np.ndarray, zones: np.ndarray, tol_m2: float, tol_m: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which features leave their zone, the part outside, and its area / length.

    Prepared ``covers`` clears the vast majority cheaply; only the rest is overlaid.
    """
    shapely.prepare(zones)
    hit = np.flatnonzero(~_safe(shapely.covers, zones, geoms))
    g, z = geoms[hit], zones[hit]
    poly = shapely.get_dimensions(g) == 2
    line = shapely.get_dimensions(g) == 1
    part = np.empty(len(g), dtype=object)
    part[poly] = _keep_dim(_safe(shapely.difference, g[poly], z[poly]), 2)
    part[~poly] = _outside(g[~poly], z[~poly])
    area = np.where(poly, shapely.area(part), np.nan)
    length = np.where(line, shapely.length(part), np.nan)
    keep = np.where(poly, area > tol_m2, np.where(line, length > tol_m, ~shapely.is_empty(part)))
    return hit[keep], part[keep], area[keep], length[keep]


def _outside_zone(lots: _Layer, projects: _Layer, zones: _Layer, tol_m2: float, tol_m: float) -> _Found:
    found = []
    for layer in (lots, projects):
        zi = _zone_index(zones, layer["zone_code"])
        rows = np.flatnonzero(zi >= 0)
        hit, part, area, length = _outside_parts(layer.geom[rows], zones.geom[zi[rows]], tol_m2, tol_m)
        found.append((layer, rows[hit], part, area, length))
    layer_names = np.concatenate([np.full(len(r), lay.name, dtype=object) for lay, r, *_ in found])
    code = np.concatenate([lay["code"][r] for lay, r, *_ in found])
    zone = np.concatenate([lay["zone_code"][r] for lay, r, *_ in found])
    status = np.concatenate([lay["status"][r] for lay, r, *_ in found])
    part, area, length = (np.concatenate([f[k] for f in found]) for k in (2, 3, 4))
    is_lot = layer_names == "lots"
    severity = np.where(
        is_lot,
        np.select([status == "leased", status == "reserved"], [HIGH, MEDIUM], LOW),
        np.where(np.isin(status, ("in_progress", "completed")), MEDIUM, LOW),
    )
    vi, en = [], []
    for lay, c, z, a, ln in zip(layer_names, code, zone, area, length):
        what_vi, what_en = ("Lô", "Lot") if lay == "lots" else ("Dự án", "Project")
        if np.isnan(a) and np.isnan(ln):
            vi.append(f"{what_vi} {c} nằm ngoài ranh giới khu {z}")
            en.append(f"{what_en} {c} lies outside zone {z}")
            continue
        amount_vi = f"{_num(a, True)} m²" if not np.isnan(a) else f"{_num(ln, True)} m"
        amount_en = f"{_num(a, False)} m²" if not np.isnan(a) else f"{_num(ln, False)} m"
        vi.append(f"{what_vi} {c} vượt ra ngoài ranh giới khu {z}: {amount_vi}")
        en.append(f"{what_en} {c} extends beyond zone {z}: {amount_en}")
    return _Found("outside_zone", code, zone, layer_names, "zones", zone, severity, part, vi, en,
                  area_m2=area, length_m=length)


def _project_hits(projects: _Layer, target: _Layer, target_mask: np.ndarray, tol_m2: float, tol_m: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(project, target) pairs: polygons overlapping, lines crossing the interior, points inside.

    Returns project rows, target rows, geometry, area (polygons) and length (lines).
    """
    empty = np.empty(0, dtype=np.intp)
    if not len(projects) or not target_mask.any():
        return empty, empty, np.empty(0, dtype=object), np.empty(0), np.empty(0)
    dim = shapely.get_dimensions(projects.geom)
    pi, ti, geom, area = _area_pairs(projects, target, tol_m2, a_mask=dim == 2, b_mask=target_mask)
    length = np.full(len(pi), np.nan)
    parts = [(pi, ti, geom, area, length)]
    # lines and points: candidates by a prepared "intersects", then the part inside only
    rest = np.flatnonzero(dim < 2)
    qi, ti = _query_all(projects.geom[rest], target.tree, "intersects")
    keep = target_mask[ti]
    pi, ti = rest[qi[keep]], ti[keep]
    inside = _inside(projects.geom[pi], target.geom[ti])
    line = dim[pi] == 1
    length = np.where(line, shapely.length(inside), np.nan)
    keep = np.where(line, length > tol_m, ~shapely.is_empty(inside))
    parts.append((pi[keep], ti[keep], inside[keep], np.full(keep.sum(), np.nan), length[keep]))
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(5))  # type: ignore[return-value]


_UNCLEARED_TEXTS = (
    "Dự án {p} đi qua thửa {t} chưa giải phóng mặt bằng ({s}): {v} m",
    "Project {p} crosses uncleared parcel {t} ({s}): {v} m",
    "Dự án {p} chồng lấn thửa {t} chưa giải phóng mặt bằng ({s}): {v} m²",
    "Project {p} overlaps uncleared parcel {t} ({s}): {v} m²",
    "Dự án {p} nằm trong thửa {t} chưa giải phóng mặt bằng ({s})",
    "Project {p} lies inside uncleared parcel {t} ({s})",
)
_LOT_TEXTS = (
    "Dự án {p} đi qua lô {t} ({s}): {v} m",
    "Project {p} crosses lot {t} ({s}): {v} m",
    "Dự án {p} chồng lấn lô {t} ({s}): {v} m²",
    "Project {p} overlaps lot {t} ({s}): {v} m²",
    "Dự án {p} nằm trong lô {t} ({s})",
    "Project {p} lies inside lot {t} ({s})",
)


def _project_texts(templates: tuple[str, ...], pc: np.ndarray, tc: np.ndarray, ts: np.ndarray,
                   area: np.ndarray, length: np.ndarray) -> tuple[list[str], list[str]]:
    """Descriptions of project hits; templates = vi/en for line, polygon, point."""
    vi, en = [], []
    for p, t, s, a, ln in zip(pc, tc, ts, area, length):
        k, v = (0, ln) if not np.isnan(ln) else (2, a) if not np.isnan(a) else (4, 0.0)
        vi.append(templates[k].format(p=p, t=t, s=_vi(s), v=_num(v, True)))
        en.append(templates[k + 1].format(p=p, t=t, s=_en(s), v=_num(v, False)))
    return vi, en


def _project_on_uncleared(projects: _Layer, parcels: _Layer, tol_m2: float, tol_m: float) -> _Found:
    pi, ti, geom, area, length = _project_hits(projects, parcels, np.ones(len(parcels), bool), tol_m2, tol_m)
    ps, cs = projects["status"][pi], parcels["status"][ti]
    severity = np.select(
        [(cs == "disputed") | np.isin(ps, ("in_progress", "completed")),
         (ps == "suspended") | (cs == "compensated")],
        [HIGH, LOW], MEDIUM)
    zone = np.where(projects["zone_code"][pi] != "", projects["zone_code"][pi], parcels["zone_code"][ti])
    vi, en = _project_texts(_UNCLEARED_TEXTS, projects["code"][pi], parcels["code"][ti], cs, area, length)
    return _Found("project_on_uncleared_land", projects["code"][pi], parcels["code"][ti], "projects",
                  "clearance", zone, severity, geom, vi, en, area_m2=area, length_m=length)


def _project_through_lot(projects: _Layer, lots: _Layer, tol_m2: float, tol_m: float) -> _Found:
    pi, li, geom, area, length = _project_hits(projects, lots, lots.isin("status", _LOT_COMMITTED),
                                               tol_m2, tol_m)
    ls = lots["status"][li]
    vi, en = _project_texts(_LOT_TEXTS, projects["code"][pi], lots["code"][li], ls, area, length)
    return _Found("project_through_lot", projects["code"][pi], lots["code"][li], "projects", "lots",
                  lots["zone_code"][li], np.where(ls == "leased", HIGH, MEDIUM), geom, vi, en,
                  area_m2=area, length_m=length)


def _allowed(zones: _Layer) -> list[frozenset[str]]:
    """Parsed allowed_land_uses per zone (empty set = any use)."""
    return [frozenset(u.strip() for u in text.split(",") if u.strip()) for text in zones["allowed_land_uses"]]


def _land_use_mismatch(lots: _Layer, zones: _Layer) -> _Found:
    allowed = _allowed(zones)
    zi = _zone_index(zones, lots["zone_code"])
    pairs = [(code, use) for code, uses in zip(zones["code"], allowed) for use in uses]
    restricted = np.array([bool(a) for a in allowed] + [False])[zi]  # zi == -1 -> False
    use = lots["land_use"]
    ok = pd.MultiIndex.from_arrays([lots["zone_code"], use]).isin(pairs)
    rows = np.flatnonzero(restricted & (use != "") & ~ok)
    geom, status, code, zone = lots.geom[rows], lots["status"][rows], lots["code"][rows], lots["zone_code"][rows]
    area = shapely.area(geom)
    ok_vi = [", ".join(_vi(u) for u in sorted(allowed[z])) for z in zi[rows]]
    ok_en = [", ".join(sorted(allowed[z])) for z in zi[rows]]
    return _Found(
        "land_use_mismatch", code, zone, "lots", "zones", zone,
        np.select([status == "leased", status == "reserved"], [HIGH, MEDIUM], LOW), geom,
        [f"Lô {c} ({_num(a, True)} m²) dùng làm {_vi(u)}, không được phép trong khu {z} (cho phép: {ok})"
         for c, a, u, z, ok in zip(code, area, use[rows], zone, ok_vi)],
        [f"Lot {c} ({_num(a, False)} m²) is used for {u}, not allowed in zone {z} (allowed: {ok})"
         for c, a, u, z, ok in zip(code, area, use[rows], zone, ok_en)],
        area_m2=area,
    )


def _lot_in_proposed_zone(lots: _Layer, zones: _Layer) -> _Found:
    zi = _zone_index(zones, lots["zone_code"])
    proposed = np.append(zones["status"] == "proposed", False)[zi]
    rows = np.flatnonzero(proposed & lots.isin("status", _LOT_COMMITTED))
    geom, status, code, zone = lots.geom[rows], lots["status"][rows], lots["code"][rows], lots["zone_code"][rows]
    area = shapely.area(geom)
    return _Found(
        "lot_in_proposed_zone", code, zone, "lots", "zones", zone,
        np.where(status == "leased", HIGH, MEDIUM), geom,
        [f"Lô {c} ({_vi(s)}, {_num(a, True)} m²) nằm trong khu {z} mới ở giai đoạn đề xuất"
         for c, s, a, z in zip(code, status, area, zone)],
        [f"Lot {c} ({s}, {_num(a, False)} m²) lies in zone {z}, which is only proposed"
         for c, s, a, z in zip(code, status, area, zone)],
        area_m2=area,
    )


def _zone_overlap(zones: _Layer, tol: float) -> _Found:
    i, j, geom, area = _area_pairs(zones, zones, tol, same=True)
    i, j = _ordered(i, j, zones["code"])
    proposed = (zones["status"][i] == "proposed").astype(int) + (zones["status"][j] == "proposed")
    a, b = zones["code"][i], zones["code"][j]
    return _Found(
        "zone_overlap", a, b, "zones", "zones", a,
        np.array([HIGH, MEDIUM, LOW], dtype=object)[proposed], geom,
        [f"Khu {x} chồng lấn khu {y}: {_num(v, True)} m²" for x, y, v in zip(a, b, area)],
        [f"Zone {x} overlaps zone {y}: {_num(v, False)} m²" for x, y, v in zip(a, b, area)],
        area_m2=area,
    )


# --------------------------------------------------------------------------- API

@contextmanager
def _timed(stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    log.debug("%s: %.3f s", stage, time.perf_counter() - start)


def find_conflicts(
    zones: gpd.GeoDataFrame,
    lots: gpd.GeoDataFrame,
    clearance: gpd.GeoDataFrame,
    projects: gpd.GeoDataFrame,
    tolerance_m2: float = 1.0,
    tolerance_m: float = 1.0,
) -> gpd.GeoDataFrame:
    """All planning conflicts between the four layers, one row per conflict, in EPSG:4326.

    Columns: id, type, codes, layers, zone_code, area_m2, length_m, severity,
    description (Vietnamese), description_en, geometry. Sorted by type, then codes.
    """
    with _timed("prepare"):
        z = _prepare(zones, "zones", {"code": False, "status": True, "allowed_land_uses": True})
        lot = _prepare(lots, "lots", {"code": False, "zone_code": False, "status": True, "land_use": True})
        parcels = _prepare(clearance, "clearance", {"code": False, "zone_code": False, "status": True},
                           drop_status=_CLEARED)
        proj = _prepare(projects, "projects", {"code": False, "zone_code": False, "status": True})
    found = []
    rules: list[tuple[str, Callable[[], _Found]]] = [
        ("lot_overlap", lambda: _lot_overlap(lot, tolerance_m2)),
        ("lot_on_uncleared_land", lambda: _lot_on_uncleared(lot, parcels, tolerance_m2)),
        ("outside_zone", lambda: _outside_zone(lot, proj, z, tolerance_m2, tolerance_m)),
        ("project_on_uncleared_land", lambda: _project_on_uncleared(proj, parcels, tolerance_m2, tolerance_m)),
        ("project_through_lot", lambda: _project_through_lot(proj, lot, tolerance_m2, tolerance_m)),
        ("land_use_mismatch", lambda: _land_use_mismatch(lot, z)),
        ("lot_in_proposed_zone", lambda: _lot_in_proposed_zone(lot, z)),
        ("zone_overlap", lambda: _zone_overlap(z, tolerance_m2)),
    ]
    for name, rule in rules:
        with _timed(name):
            found.append(rule())
    with _timed("assemble"):
        return _assemble(found)


def _plain(value: object) -> object:
    """JSON-safe scalar: numpy -> Python, NaN -> None."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def to_feature_collection(conflicts: gpd.GeoDataFrame) -> dict:
    """RFC 7946 FeatureCollection (WGS84, right-hand rings, null instead of NaN)."""
    frame = conflicts.to_crs(STORAGE_CRS) if conflicts.crs is not None else conflicts
    geoms = np.asarray(frame.geometry.array, dtype=object)
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    geojson = shapely.to_geojson(geoms)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    features = []
    for k, row in enumerate(frame[columns].itertuples(index=False, name=None)):
        props = {c: _plain(v) for c, v in zip(columns, row)}
        features.append({
            "type": "Feature",
            "id": props.get("id"),
            "geometry": None if geojson[k] is None else json.loads(geojson[k]),
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}

