"""The planning rules, one function each: which features clash, and by how much."""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from mapapp.analysis.conflicts import parallel
from mapapp.analysis.conflicts.catalogue import (
    _LOT_COMMITTED,
    HIGH,
    LOW,
    MEDIUM,
    SNAP_M,
)
from mapapp.analysis.conflicts.depth import may_reach_inside
from mapapp.analysis.conflicts.inputs import _Layer
from mapapp.analysis.conflicts.pairs import (
    _area_pairs,
    _inside,
    _keep_dim,
    _outside,
    _query_all,
    _safe,
)
from mapapp.analysis.conflicts.results import (
    _en,
    _Found,
    _num,
    _ordered,
    _vi,
    _zone_index,
)


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


def _outside_parts(geoms: np.ndarray, zones: np.ndarray, zone_rows: np.ndarray, tol_m2: float, tol_m: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which features leave their zone (``zones[i]``, row ``zone_rows[i]`` of the zones), the part
    outside, and its area / length.

    Prepared ``covers`` clears the vast majority cheaply; only the rest is overlaid. A prepared
    geometry must not be used by two threads at once, so the work is split over the thread pool
    by zone (:func:`parallel.group_chunks`), and put back in the features' order.
    """
    shapely.prepare(zones)
    chunks = parallel.group_chunks(zone_rows)
    found = parallel.run(lambda a, b: _outside_chunk(geoms[chunks[a]], zones[chunks[a]], tol_m2, tol_m),
                         [(k, k + 1) for k in range(len(chunks))])
    hit = np.concatenate([c[f[0]] for c, f in zip(chunks, found)])
    order = np.argsort(hit, kind="stable")
    part, area, length = (np.concatenate([f[k] for f in found])[order] for k in (1, 2, 3))
    return hit[order], part, area, length


def _outside_chunk(geoms: np.ndarray, zones: np.ndarray, tol_m2: float, tol_m: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_outside_parts` of some features, their zones prepared. A feature wholly outside its zone
    is kept whatever its size: the tolerances are for digitising noise at an edge, and a lot 1 km away
    is not noise."""
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
    keep |= _safe(shapely.distance, g, z) > SNAP_M  # wholly outside (beyond the snapping distance)
    part = np.where(shapely.is_empty(part) | shapely.is_missing(part), g, part)
    return hit[keep], part[keep], area[keep], length[keep]


def _outside_zone(lots: _Layer, projects: _Layer, zones: _Layer, tol_m2: float, tol_m: float) -> _Found:
    found = []
    for layer in (lots, projects):
        zi = _zone_index(zones, layer["zone_code"])
        rows = np.flatnonzero(zi >= 0)
        hit, part, area, length = _outside_parts(layer.geom[rows], zones.geom[zi[rows]], zi[rows], tol_m2, tol_m)
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
    keep = may_reach_inside(projects.geom[pi], target.geom[ti], tol_m)  # most run along an edge: dropped here
    pi, ti = pi[keep], ti[keep]
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


def _use_allowed(zones: _Layer, allowed: list[frozenset[str]], zi: np.ndarray, use: np.ndarray) -> np.ndarray:
    """Whether each land use ``use`` is allowed in the zone at row ``zi`` (>= 0): by any zone of that code,
    when codes repeat. A table zone code × distinct use, looked up with numpy (no pair per lot)."""
    code_id, codes = pd.factorize(zones["code"])
    use_id, uses = pd.factorize(use)
    column = {u: k for k, u in enumerate(uses)}
    table = np.zeros((len(codes), len(uses)), dtype=bool)
    for z, names in enumerate(allowed):
        for name in names & column.keys():
            table[code_id[z], column[name]] = True
    return table[code_id[zi], use_id]


def _land_use_mismatch(lots: _Layer, zones: _Layer) -> _Found:
    allowed = _allowed(zones)
    zi = _zone_index(zones, lots["zone_code"])
    restricted = np.array([bool(a) for a in allowed] + [False])[zi]  # zi == -1 -> False
    use = lots["land_use"]
    rows = np.flatnonzero(restricted & (use != ""))
    rows = rows[~_use_allowed(zones, allowed, zi[rows], use[rows])]
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
