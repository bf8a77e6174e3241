"""What a reader makes of a source file (:class:`Source`), and the wording of why a file or a geometry cannot be read."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pyproj import CRS

from mapapp.refusals import Reason


@dataclass
class Source:
    """What a file holds: ``table`` (columns as named in the file, possibly repeated), geometries, CRS.

    ``geometry`` is None for a table without positions (an Excel household list).
    ``crs`` is None when the file does not say. ``notes`` are facts the reader
    established (e.g. the encoding it used), for the import's report.
    """

    name: str
    table: pd.DataFrame
    geometry: np.ndarray | None
    crs: CRS | None
    notes: list[str] = field(default_factory=list)
    geometry_column: str | None = None
    # Geometries the file holds but GEOS cannot build (an unclosed ring): why, by feature position.
    unreadable: dict[int, str] = field(default_factory=dict)


def short_reason(exc: Exception) -> str:
    """A library's error message on one line, at most 160 characters, to quote in a refusal."""
    return " ".join(str(exc).split())[:160]


_GEOS_REASONS = {
    "do not form a closed linestring": "geos.ring_not_closed",
    "must contain 0 or >1 elements": "geos.too_few_points",
    "Invalid number of points in LinearRing": "geos.ring_under_4",
}


def geometry_reason(exc: Exception) -> str:
    """A GEOS construction error as a user's reason."""
    text = str(exc)
    return next((Reason(key) for match, key in _GEOS_REASONS.items() if match in text),
                Reason("geos.cannot_build", detail=short_reason(exc)))


def column_frame(columns: list[str], values: list[np.ndarray], count: int) -> pd.DataFrame:
    """The table of ``count`` rows with ``values[i]`` under ``columns[i]`` (names may repeat, as files allow).

    A column of objects (text, mixed values) stays one, each value as the reader gave it (a missing text
    None): pandas 3 would store text in Arrow, only for the checks to turn it back into Python strings
    (a fifth of a second for an import of 10⁵ lots)."""
    if not columns:
        return pd.DataFrame(index=range(count))
    return pd.DataFrame({i: pd.Series(v, dtype=object) if v.dtype == object else v
                         for i, v in enumerate(values)}).set_axis(columns, axis=1)
