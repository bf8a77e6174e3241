"""``--repair``: make invalid geometries valid, name each one repaired, refuse a repair that moves area.

``shapely.make_valid`` (GEOS, method ``structure``: rings rebuilt, collapsed parts
dropped) fixes self-intersections, wrong orientation and duplicate points. A repair
may not change a feature's area (in EPSG:5897 m²) by more than 1 %: a bow-tie whose
two lobes cancel, or a ring drawn twice, is a drawing mistake to fix by hand, not noise.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from mapapp.analysis.measure import to_metric
from mapapp.errors import ImportRefused
from mapapp.layers import Layer
from mapapp.refusals import Both, Reason, grouped
from mapapp.values import code_or_none

MAX_AREA_CHANGE = 0.01


def _number(value: float, spec: str) -> Both:
    """``value`` by ``spec``, grouped in each language's way; ∞ for an area that was none (no ratio)."""
    return grouped(value, spec) if np.isfinite(value) else Both("∞", "∞")



def repair_geometries(spec: Layer, frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """``frame`` with invalid geometries repaired, and one line per repaired feature (``feature 3 (code L3): …``)."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    invalid = np.flatnonzero(present & ~shapely.is_valid(geoms))
    if not invalid.size:
        return frame, []
    codes = frame["code"].to_numpy() if "code" in frame.columns else np.full(len(frame), None, dtype=object)
    before = geoms[invalid]
    fixed = shapely.make_valid(before, method="structure", keep_collapsed=False)
    polygonal = set(spec.geometry_types) <= {"Polygon", "MultiPolygon"}
    if polygonal:
        parts = shapely.get_parts(fixed, return_index=True)
        keep = shapely.get_type_id(parts[0]) == 3
        fixed = np.array([shapely.multipolygons(parts[0][keep][parts[1][keep] == j]) for j in range(len(fixed))], dtype=object)
        single = shapely.get_num_geometries(fixed) == 1
        fixed[single] = shapely.get_geometry(fixed[single], 0)
    area_before = shapely.area(to_metric(before))
    area_after = shapely.area(to_metric(fixed))
    notes = []
    for j, i in enumerate(invalid):
        reason = shapely.is_valid_reason(before[j])
        change = abs(area_after[j] - area_before[j]) / area_before[j] if area_before[j] > 0 else np.inf
        if change > MAX_AREA_CHANGE:
            raise ImportRefused(
                Reason("repair.moves_area", detail=reason, before=_number(area_before[j], ",.1f"),
                       after=_number(area_after[j], ",.1f"), shown=_number(change, ",.1%")),
                feature=int(i) + 1, code=code_or_none(codes[i]), field="geometry", layer=spec.name,
            )
        code = code_or_none(codes[i])
        notes.append(f"feature {int(i) + 1}{f' (code {code})' if code else ''}: repaired {reason} (area {change:.2%} changed)")
    geoms = geoms.copy()
    geoms[invalid] = fixed
    out = frame.copy()
    out = out.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return out, notes
