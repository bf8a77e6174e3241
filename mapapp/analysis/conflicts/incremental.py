"""The conflicts that involve some features only: what an edit recomputes instead of every conflict.

Every rule judges a *pair* of features (lot-lot, lot-parcel, lot or project-zone, project-parcel,
project-lot, zone-zone) from those two features' attributes and geometry alone. So the conflicts
involving a changed feature X are those of a full :func:`find_conflicts` run over X and every
feature that can pair with X, and nothing else needs reading:

- spatially (:data:`SPATIAL_PARTNERS`): the features of the partner layers whose geometry meets
  X's (a box around X, :func:`search_boxes`);
- by ``zone_code``: a lot's or project's zone (outside_zone, land_use_mismatch,
  lot_in_proposed_zone judge it against the zone it names, wherever that lies), and for a changed
  zone every lot and project naming it.

Conflict ids (``type:code_a:code_b``, ``#2``… for repeats) stay those of a full run: codes are
unique per layer, so the only id shared by two conflicts is an ``outside_zone`` of a lot and a
project with the same code in the same zone; :func:`with_twins` puts both in the changed set so the
pair is numbered together, in the full run's order.

Pure analysis: GeoDataFrames in, a GeoDataFrame out (the columns of :func:`find_conflicts`).
"""
from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp.analysis.conflicts import LayerColumns, find_conflicts

Key = tuple[str, str]  # (layer, code)

CONFLICT_LAYERS = ("zones", "lots", "clearance", "projects")

# Layers whose features a feature of each layer can clash with because their geometries meet.
SPATIAL_PARTNERS: dict[str, tuple[str, ...]] = {
    "zones": ("zones",),  # zone_overlap
    "lots": ("lots", "clearance", "projects"),  # lot_overlap, lot_on_uncleared_land, project_through_lot
    "clearance": ("lots", "projects"),  # lot_on_uncleared_land, project_on_uncleared_land
    "projects": ("lots", "clearance"),  # project_through_lot, project_on_uncleared_land
}

# The rules that can put a feature of each layer in a conflict: only these are run.
RULES_OF_LAYER: dict[str, tuple[str, ...]] = {
    "zones": ("outside_zone", "land_use_mismatch", "lot_in_proposed_zone", "zone_overlap"),
    "lots": ("lot_overlap", "lot_on_uncleared_land", "outside_zone", "project_through_lot",
             "land_use_mismatch", "lot_in_proposed_zone"),
    "clearance": ("lot_on_uncleared_land", "project_on_uncleared_land"),
    "projects": ("outside_zone", "project_on_uncleared_land", "project_through_lot"),
}

# Margin (degrees) around a feature's box when reading its surroundings. Geometry is stored in
# WGS84 and judged in EPSG:5897 with the same vertices, so a straight edge is not quite the same
# line in both: the gap grows with the square of the edge's length (7e-6° for 0.1°, 1.9e-4° for
# 0.5°, near Hậu Giang). 1e-4° (about 11 m) covers partners' edges up to ~0.35° (~40 km) long;
# the changed feature's own extent adds its share (``PAD_PER_DEG2`` times its extent squared).
PAD_DEG = 1e-4
PAD_PER_DEG2 = 2e-3


def with_twins(keys: Iterable[Key]) -> set[Key]:
    """``keys`` plus, for each lot, the project with the same code and vice versa (see the module)."""
    out = set(keys)
    for layer, code in list(out):
        if layer in ("lots", "projects"):
            out.add(("projects" if layer == "lots" else "lots", code))
    return out


def search_boxes(geoms: np.ndarray) -> np.ndarray:
    """Few WGS84 boxes (rows minx, miny, maxx, maxy) that cover every geometry of ``geoms`` with its margin.

    Overlapping padded boxes are merged (an import of neighbouring lots reads its surroundings
    once); missing or empty geometries give no box. Shape (k, 4), k ≤ len(geoms).
    """
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if not len(geoms):
        return np.empty((0, 4))
    b = shapely.bounds(geoms)
    extent = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
    pad = PAD_DEG + PAD_PER_DEG2 * extent**2
    boxes = shapely.box(b[:, 0] - pad, b[:, 1] - pad, b[:, 2] + pad, b[:, 3] + pad)
    if len(boxes) == 1:
        return shapely.bounds(boxes)
    return shapely.bounds(shapely.get_parts(shapely.union_all(boxes)))


def _involving(found: gpd.GeoDataFrame, keys: set[Key]) -> np.ndarray:
    """Mask of the rows of ``found`` one of whose two features is in ``keys`` (attributes only: a set lookup)."""
    return np.array([any(member in keys for member in zip(layers, codes))
                     for layers, codes in zip(found["layers"], found["codes"])], dtype=bool)


Layer = gpd.GeoDataFrame | LayerColumns | None


def _once(frame: Layer) -> Layer:
    """One row per code, the first (the surroundings of two changed features may overlap); the rules
    do not depend on the order of the rows."""
    if frame is None or not len(frame):
        return frame
    if isinstance(frame, LayerColumns):
        repeated = pd.Index(np.asarray(frame.attrs["code"], dtype=object)).duplicated()
        return frame.take(~repeated) if repeated.any() else frame
    return frame.drop_duplicates("code", ignore_index=True)


def conflicts_involving(
    zones: Layer,
    lots: Layer,
    clearance: Layer,
    projects: Layer,
    keys: Iterable[Key],
    tolerance_m2: float = 1.0,
    tolerance_m: float = 1.0,
) -> gpd.GeoDataFrame:
    """The conflicts a full :func:`find_conflicts` finds that involve one of ``keys``.

    Inputs: the neighbourhood of the changed features, frames or :class:`LayerColumns` (the
    changed features that still exist and every feature that can pair with one, see the module;
    more is harmless, a feature read twice counts once); ``keys``: (layer, code) of every changed
    feature, retired and deleted ones included (they are simply absent from the frames).
    Output: the columns of :func:`find_conflicts`, EPSG:4326, equal to the full run's rows for
    these features when the frames hold their partners and ``keys`` holds the twins of
    :func:`with_twins`.
    """
    keys = {(layer, str(code).strip()) for layer, code in keys}
    types = {t for layer, _ in keys for t in RULES_OF_LAYER.get(layer, ())}
    found = find_conflicts(_once(zones), _once(lots), _once(clearance), _once(projects),
                           tolerance_m2=tolerance_m2, tolerance_m=tolerance_m, types=types)
    if found.empty:
        return found
    return found[_involving(found, keys)].reset_index(drop=True)
