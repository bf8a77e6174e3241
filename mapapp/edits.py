"""Editing one feature (PATCH, ``mapapp set``, the map's edit form): raw values in, the one write path out.

Each value is parsed strictly for its field (:func:`mapapp.values.parse_value`), then
:func:`mapapp.changes.features.apply_features` checks the feature as a whole, checks
the version the writer read, writes only what changed and records it in the audit log.
A parcel whose status changes gets a clearance event, so the history the dashboard and
the map's date control read stays complete.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import shapely

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, ChangeResult, Edit
from mapapp.errors import ChangeRefused, EditRefused, ImportRefused
from mapapp.layers import get_layer
from mapapp.refusals import Reason, reason_of
from mapapp.sources.validate import check_geometry
from mapapp.store.backend import Store
from mapapp.values import PLAIN, ValueFormat, parse_value


def parse_changes(layer: str, code: str, changes: Mapping[str, Any], fmt: ValueFormat = PLAIN) -> dict[str, Any]:
    """Typed values for ``changes`` ({field: raw}); :class:`ChangeRefused` naming the field otherwise."""
    spec = get_layer(layer)
    typed = {}
    for name, raw in changes.items():
        field = spec.field(name)
        if field is None:
            raise ChangeRefused(Reason("change.unknown_attribute", names=", ".join(spec.field_names)), layer=layer, code=code, field=name)
        try:
            typed[name] = parse_value(field, raw, fmt)
        except ValueError as exc:
            raise ChangeRefused(reason_of(exc), layer=layer, code=code, field=name) from None
    return typed


def parse_geometry(layer: str, code: str, raw: Any):
    """A GeoJSON geometry (dict or text, WGS84) checked as an import checks it; :class:`ChangeRefused` otherwise."""
    try:
        geom = shapely.from_geojson(raw if isinstance(raw, str) else json.dumps(raw))
    except (shapely.errors.GEOSException, TypeError, ValueError) as exc:
        detail = " ".join(str(exc).split())[:120]
        raise ChangeRefused(Reason("change.not_geojson", detail=detail), layer=layer, code=code, field="geometry") from None
    frame = gpd.GeoDataFrame({"code": [code]}, geometry=[geom], crs="EPSG:4326")
    try:
        check_geometry(get_layer(layer), frame)
    except ImportRefused as exc:
        raise ChangeRefused(exc.reason, layer=layer, code=code, field="geometry") from None
    return geom


def edit_feature(
    store: Store,
    layer: str,
    code: str,
    changes: Mapping[str, Any],
    actor: Actor | None = None,
    *,
    if_version: int | None = None,
    confirm: bool = False,
    geometry: Any = None,
    when: dt.date | None = None,
) -> ChangeResult:
    """Apply attribute ``changes`` (raw values) and optionally a new ``geometry`` to feature ``code``.

    Raises :class:`EditRefused`-compatible :class:`ChangeRefused` (one line: layer,
    feature, field, reason), :class:`mapapp.errors.VersionConflict`,
    :class:`mapapp.errors.ConfirmationNeeded` or :class:`mapapp.errors.NotFound`;
    nothing is stored then. ``actor`` defaults to the system user (a library or
    command-line call is the server operator's).
    """
    if not changes and geometry is None:
        raise ChangeRefused(Reason("change.nothing"), layer=layer, code=code)
    typed = parse_changes(layer, code, changes)
    geom = None if geometry is None else parse_geometry(layer, code, geometry)
    actor = actor or Actor.command_line()
    return apply_features(store, layer, [Edit(code, typed, geometry=geom, if_version=if_version)], actor, confirm=confirm, when=when)


def parse_assignments(pairs: list[str]) -> dict[str, str | None]:
    """``field=value`` words from the command line; an empty value clears the field."""
    changes: dict[str, str | None] = {}
    for pair in pairs:
        if "=" not in pair:
            raise EditRefused(f"{pair!r}: write changes as field=value")
        key, value = pair.split("=", 1)
        changes[key.strip()] = value.strip() or None
    return changes
