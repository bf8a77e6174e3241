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
Touching features are never in conflict. Overlaps of at most ``tolerance_m2``, overlaps
no wider than ``pairs.SLIVER_WIDTH_M`` (10 cm: a hair-line along a shared edge, e.g. one
side rounded to 6 decimals, whatever its area) and crossings of at most ``tolerance_m``
are digitising noise. A feature wholly outside its zone is a conflict whatever its size. A line within ``SNAP_M``
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
survivors reach GEOS; a project line that only runs along a lot's or parcel's edge is dropped
by an exact numpy bound of its part deep inside (``depth``) before any buffer. Parcels are
filtered to non-cleared before reprojection, and "is this lot inside its zone" is one prepared
``covers`` call. No cyclic garbage collection runs meanwhile. The GEOS work on chunks of features
or pairs is shared by a small pool of threads (``parallel``: GEOS runs without the GIL).
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

import geopandas as gpd

from mapapp.analysis.conflicts import parallel
from mapapp.analysis.conflicts.catalogue import (
    _CLEARED,
    COLUMNS,
    INPUT_COLUMNS,
    RULES,
    SNAP_M,
    Rule,
)
from mapapp.analysis.conflicts.inputs import LayerColumns, _prepare
from mapapp.analysis.conflicts.results import _assemble, _Found
from mapapp.analysis.conflicts.rules import (
    _land_use_mismatch,
    _lot_in_proposed_zone,
    _lot_on_uncleared,
    _lot_overlap,
    _outside_zone,
    _project_on_uncleared,
    _project_through_lot,
    _zone_overlap,
)
from mapapp.analysis.measure import STORAGE_CRS
from mapapp.gc_pause import no_gc_passes

log = logging.getLogger(__name__)


@contextmanager
def _timed(stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    log.debug("%s: %.3f s", stage, time.perf_counter() - start)


_Input = gpd.GeoDataFrame | LayerColumns | None


def find_conflicts(
    zones: _Input,
    lots: _Input,
    clearance: _Input,
    projects: _Input,
    tolerance_m2: float = 1.0,
    tolerance_m: float = 1.0,
    types: Collection[str] | None = None,
    threads: int | None = None,
) -> gpd.GeoDataFrame:
    """All planning conflicts between the four layers, one row per conflict, in EPSG:4326.

    Columns: id, type, codes, layers, zone_code, area_m2, length_m, severity,
    description (Vietnamese), description_en, geometry. Sorted by type, then codes.
    ``types``: run only these rules (names of ``RULES``; default all), e.g. for an
    incremental recompute that knows which rules can involve the changed layers.
    Cyclic garbage collection pauses meanwhile (:func:`mapapp.gc_pause.no_gc_passes`). ``threads``: how
    many threads share the GEOS work (default: the setting ``MAPAPP_CONFLICT_THREADS``, else the cores
    this process may use; see :mod:`mapapp.analysis.conflicts.parallel`); the result does not depend on it.
    A layer may come as :class:`LayerColumns` (plain arrays, as the store reads them for a
    recompute) or be None (no features); the result does not depend on the order of the rows.
    """
    with no_gc_passes(), parallel.threads(threads):  # no_gc: 10⁶ geometries live, each collection would walk them all again
        return _find(zones, lots, clearance, projects, tolerance_m2, tolerance_m, types)


def _find(zones: _Input, lots: _Input, clearance: _Input, projects: _Input, tolerance_m2: float,
          tolerance_m: float, types: Collection[str] | None) -> gpd.GeoDataFrame:
    with _timed("prepare"):
        z = _prepare(zones, "zones", INPUT_COLUMNS["zones"])
        lot = _prepare(lots, "lots", INPUT_COLUMNS["lots"])
        parcels = _prepare(clearance, "clearance", INPUT_COLUMNS["clearance"], drop_status=_CLEARED)
        proj = _prepare(projects, "projects", INPUT_COLUMNS["projects"])
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
        if types is not None and name not in types:
            continue
        with _timed(name):
            found.append(rule())
    with _timed("assemble"):
        return _assemble(found)


def to_feature_collection(conflicts: gpd.GeoDataFrame) -> dict:
    """RFC 7946 FeatureCollection (WGS84, right-hand rings, null instead of NaN), from the one GeoJSON writer."""
    from mapapp.geojson import collection_json

    frame = conflicts.to_crs(STORAGE_CRS) if conflicts.crs is not None else conflicts
    return json.loads(collection_json(frame, id_column="id", staff=True))

__all__ = ["COLUMNS", "RULES", "SNAP_M", "LayerColumns", "Rule", "find_conflicts", "to_feature_collection"]
