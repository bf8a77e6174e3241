"""Small vectorised geometry helpers shared by the store and the importer."""
from __future__ import annotations

import numpy as np
import shapely

_TYPE_NAMES = np.array(
    ["Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection", "Missing"]
)


def type_names(geoms) -> np.ndarray:
    """Geometry type names of an array of geometries, without a Python loop ("Missing" for None)."""
    return _TYPE_NAMES[shapely.get_type_id(np.asarray(geoms, dtype=object))]
