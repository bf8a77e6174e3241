"""What a zone's kept clearance figures were worked out from, as digests every app process computes alike.

A zone's figures (:class:`mapapp.clearance.view.ZoneFigures`) depend on the zone's figure version
and the epoch (:mod:`mapapp.store.figure_versions`), the date, the procedure settings, the
all-zones paces' medians and the code that works them out. The first four and a digest of the
code make a zone's :func:`fingerprint`; the paces are checked apart, by :func:`paces_digest`.
Both the zone rows (:mod:`mapapp.queries.zone_rows`) and the whole figures
(:mod:`mapapp.queries.zone_parts`) kept in the database are checked by them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from mapapp.store import figure_versions

PACKAGE = Path(__file__).resolve().parents[1]
#: The code a zone's figures are worked out by (:mod:`mapapp.queries.zone_figures` and what it imports, but the
#: store's connection handling and the settings' reading, whose values the fingerprint holds itself).
FIGURE_CODE = ("clearance/*.py", "analysis/__init__.py", "analysis/clearance.py", "analysis/measure.py", "geom.py",
               "kept.py", "layers.py", "text.py", "values.py", "store/schema.py", "store/schema_clearance.py",
               "store/metadata.py", "store/records.py", "store/spatial.py", "store/zone_reads.py",
               "store/clearance_records.py", "store/figure_versions.py", "store/figure_rows.py",
               "store/figure_parts.py", "store/frame_bytes.py", "changes/figure_scope.py",
               "queries/figure_prints.py", "queries/zone_figures.py", "queries/zone_parts.py",
               "queries/zone_rows.py")


#: The libraries whose versions enter :func:`code_digest`: what they compute, and how kept frames read back
#: (dtypes through Arrow), may change from one version to the next.
LIBRARIES = ("numpy", "pandas", "pyarrow", "shapely", "geopandas", "pyproj")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of :data:`FIGURE_CODE`'s source and the :data:`LIBRARIES`' versions: figures kept by another version
    of that code, or under other libraries, are worked out again."""
    digest = hashlib.sha256(repr([(name, metadata.version(name)) for name in LIBRARIES]).encode())
    for path in sorted({p for pattern in FIGURE_CODE for p in PACKAGE.glob(pattern)}):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _text(value) -> str:
    """A settings value as the same text in every process (a set's order follows the process's hash seed)."""
    if isinstance(value, (set, frozenset)):
        return repr(sorted(_text(v) for v in value))
    return repr(value)


def fingerprint(versions: figure_versions.Versions, zone: str, at: dt.date, settings) -> str:
    """What a zone's figures at ``at`` were worked out from, but the paces: epoch, the zone's version, the date,
    the procedure ``settings`` (a dataclass) and :func:`code_digest`, as one hex digest."""
    return fingerprints(versions, [zone], at, settings)[zone]


def fingerprints(versions: figure_versions.Versions, zones: Iterable[str], at: dt.date, settings) -> dict[str, str]:
    """:func:`fingerprint` of each of ``zones``, what they share worked out once."""
    fields = sorted((f.name, _text(getattr(settings, f.name))) for f in dataclasses.fields(settings))
    shared = hashlib.sha256(repr((versions.epoch, at.isoformat(), fields, code_digest())).encode())
    out = {}
    for zone in zones:
        digest = shared.copy()
        digest.update(repr((zone, versions.zone(zone))).encode())
        out[zone] = digest.hexdigest()
    return out


def medians(paces: dict) -> tuple:
    """What of the all-zones ``paces`` enters a zone's figures: ``((step, median days or None), …)`` by step."""
    # the medians, not their sample counts: only the medians enter the forecast, and one more
    # step seldom moves a median, so a step recorded in one zone seldom works the others out again
    return tuple(sorted((step, median) for step, (median, _) in paces.items()))


def paces_digest(paces: dict) -> str:
    """A hex digest of the all-zones paces' :func:`medians`."""
    return hashlib.sha256(repr(medians(paces)).encode()).hexdigest()
