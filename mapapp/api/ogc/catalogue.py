"""The collections: mapapp's layers, mixed layers split by geometry, and what each can be queried on.

QGIS and GDAL give a collection one geometry type, so ``projects`` and ``conflicts`` (points,
lines and polygons together) are offered as ``projects-points``, ``projects-lines``,
``projects-polygons`` and the same for conflicts. The unsplit ``projects`` and ``conflicts``
still answer (the map's focus asks for one feature there) but are not listed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mapapp.analysis.conflicts.catalogue import HIGH, LOW, MEDIUM, RULES
from mapapp.errors import NotFound
from mapapp.geom import type_names
from mapapp.i18n import translate
from mapapp.layers import LAYERS
from mapapp.privacy import viewer_is_staff
from mapapp.refusals import Reason
from mapapp.store.backend import Store

CONFLICTS = "conflicts"
KINDS = {
    "points": ("Point", "MultiPoint"),
    "lines": ("LineString", "MultiLineString"),
    "polygons": ("Polygon", "MultiPolygon"),
}
KIND_LABELS = {"points": ("điểm", "points"), "lines": ("đường", "lines"), "polygons": ("vùng", "polygons")}
# OGC API – Features Part 5 geometry formats, by the kind a collection holds
KIND_FORMATS = {"points": "geometry-point-or-multipoint", "lines": "geometry-linestring-or-multilinestring",
                "polygons": "geometry-polygon-or-multipolygon", None: "geometry-any"}
_JSON_TYPES = {"str": "string", "float": "number", "int": "integer", "date": "string"}


@dataclass(frozen=True)
class Collection:
    """One OGC collection: the stored ``layer`` (or ``conflicts``) it reads, cut to one geometry ``kind`` (None: all)."""

    id: str
    layer: str
    kind: str | None
    listed: bool = True

    @property
    def geometry_types(self) -> tuple[str, ...] | None:
        """GeoJSON geometry type names kept, or None when every type is."""
        return None if self.kind is None else KINDS[self.kind]

    @property
    def id_column(self) -> str:
        return "id" if self.layer == CONFLICTS else "code"

    def title(self, lang: str) -> str:
        base = translate(f"layer.{self.layer}", lang)
        if self.kind is None or self.layer not in (CONFLICTS, "projects"):
            return base
        return f"{base} — {KIND_LABELS[self.kind][0 if lang == 'vi' else 1]}"


def _kind_of(layer: str) -> str | None:
    types = set(LAYERS[layer].geometry_types)
    return next((kind for kind, names in KINDS.items() if types <= set(names)), None)


def _all() -> dict[str, Collection]:
    out: dict[str, Collection] = {}
    for layer in [*LAYERS, CONFLICTS]:
        kind = _kind_of(layer) if layer in LAYERS else None
        if kind is not None:
            out[layer] = Collection(layer, layer, kind)
            continue
        for split in KINDS:
            out[f"{layer}-{split}"] = Collection(f"{layer}-{split}", layer, split)
        out[layer] = Collection(layer, layer, None, listed=False)
    return out


COLLECTIONS: dict[str, Collection] = _all()


def _has_features(store: Store, c: Collection) -> bool:
    if c.layer == CONFLICTS:
        frame = store.read_conflicts()
        return bool(np.isin(type_names(frame.geometry.values), c.geometry_types).any()) if len(frame) else False
    return store.count(c.layer, where=("in", "geom_type", list(c.geometry_types))) > 0


def listed(store: Store | None = None) -> list[Collection]:
    """The collections ``/ogc/collections`` shows, in the layers' order.

    A single-geometry layer is always listed; a split one (``projects-lines`` …) only when
    ``store`` holds features of that kind (all of them when no store is given).
    """
    split = {c.id for c in COLLECTIONS.values() if c.id != c.layer}
    return [
        c for c in COLLECTIONS.values()
        if c.listed and (store is None or c.id not in split or _has_features(store, c))
    ]


def get(collection_id: str) -> Collection:
    """The collection, or :class:`NotFound` (404) naming the known ones."""
    if collection_id not in COLLECTIONS:
        names = ", ".join(c.id for c in COLLECTIONS.values() if c.listed)
        raise NotFound(Reason("notfound.collection", name=repr(collection_id), names=names))
    return COLLECTIONS[collection_id]


@dataclass(frozen=True)
class Queryable:
    """A property a client may filter on: JSON-Schema ``type`` (``string``/``number``/``integer``), optional ``enum``/``format``.

    ``column`` is the stored column it reads and ``scale`` the factor from the property
    to the column (``area_ha`` is stored as ``area_m2``: scale 10 000).
    """

    name: str
    type: str
    column: str
    scale: float = 1.0
    enum: tuple[str, ...] | None = None
    format: str | None = None


def queryables(collection: Collection, staff: bool | None = None) -> dict[str, Queryable]:
    """What ``collection`` can be filtered on by this viewer: personal fields only for staff, measures by geometry."""
    staff = viewer_is_staff() if staff is None else staff
    if collection.layer == CONFLICTS:
        out = {
            "type": Queryable("type", "string", "type", enum=tuple(RULES)),
            "zone_code": Queryable("zone_code", "string", "zone_code"),
            "severity": Queryable("severity", "string", "severity", enum=(HIGH, MEDIUM, LOW)),
        }
    else:
        out = {
            f.name: Queryable(f.name, _JSON_TYPES[f.type], f.name, enum=f.choices, format="date" if f.type == "date" else None)
            for f in LAYERS[collection.layer].fields
            if f.type in _JSON_TYPES and (staff or not f.personal)
        }
    if collection.kind in (None, "polygons"):
        out["area_m2"] = Queryable("area_m2", "number", "area_m2")
        out["area_ha"] = Queryable("area_ha", "number", "area_m2", scale=10_000.0)
    if collection.kind in (None, "lines"):
        out["length_m"] = Queryable("length_m", "number", "length_m")
    return out
