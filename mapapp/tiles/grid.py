"""Web Mercator tile grid: which tile a request names, and where it lies (EPSG:3857 and EPSG:4326)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from mapapp.refusals import Reason

# Half the side of the Web Mercator square (EPSG:3857 metres).
ORIGIN = 20037508.342789244
EARTH_RADIUS = 6378137.0
EXTENT = 4096  # tile coordinates per side (MVT's usual extent)
BUFFER = 64  # tile coordinates drawn beyond each edge, so strokes do not stop at tile seams
MAX_ZOOM = 22
TILE_LAYERS = ("lots", "clearance")


class TileOutOfRange(LookupError):
    """z, x or y outside the grid (HTTP 404)."""


@dataclass(frozen=True)
class TileRequest:
    """One tile of one layer at one date: ``layer`` (one of :data:`TILE_LAYERS`), Web Mercator
    ``z/x/y`` (y from the north, as Leaflet and XYZ servers count), ``at`` an ISO date or None."""

    layer: str
    z: int
    x: int
    y: int
    at: str | None = None

    def __post_init__(self) -> None:
        if self.layer not in TILE_LAYERS:
            raise TileOutOfRange(Reason("notfound.tile_layer", name=repr(self.layer), names=", ".join(TILE_LAYERS)))
        if not 0 <= self.z <= MAX_ZOOM or not (0 <= self.x < 2**self.z and 0 <= self.y < 2**self.z):
            raise TileOutOfRange(Reason("notfound.tile", z=self.z, x=self.x, y=self.y, max_zoom=MAX_ZOOM))

    def bounds_3857(self, buffer: float = 0.0) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) in EPSG:3857 metres, grown by ``buffer`` tile coordinates on each side."""
        size = 2 * ORIGIN / 2**self.z
        grow = size * buffer / EXTENT
        minx = -ORIGIN + self.x * size
        maxy = ORIGIN - self.y * size
        return minx - grow, maxy - size - grow, minx + size + grow, maxy + grow

    def bounds_4326(self, buffer: float = 0.0) -> tuple[float, float, float, float]:
        """The same box in degrees (exact: longitude and latitude each depend on one Mercator axis only)."""
        minx, miny, maxx, maxy = self.bounds_3857(buffer)
        return (_lon(minx), _lat(miny), _lon(maxx), _lat(maxy))


def _lon(x: float) -> float:
    return math.degrees(x / EARTH_RADIUS)


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)


def to_3857(geoms: np.ndarray) -> np.ndarray:
    """WGS84 geometries (array) to spherical Web Mercator metres, vectorised (the EPSG:3857 formulas)."""
    def project(xy: np.ndarray) -> np.ndarray:
        lat = np.clip(xy[:, 1], -85.05112878, 85.05112878)
        return np.column_stack((np.radians(xy[:, 0]) * EARTH_RADIUS,
                                np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * EARTH_RADIUS))
    return shapely.transform(geoms, project)
