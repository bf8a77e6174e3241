"""Editing one feature's attributes: same checks as an import, same transaction rules.

A parcel whose status changes gets a clearance event, so the history the
dashboard and the map's date control read stays complete.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import geopandas as gpd

from mapapp import clock
from mapapp.errors import EditRefused, ImportRefused
from mapapp.layers import get_layer
from mapapp.sources.validate import validate
from mapapp.store.backend import Store


def edit_feature(
    store: Store, layer: str, code: str, changes: Mapping[str, Any], when: dt.date | None = None
) -> gpd.GeoDataFrame:
    """Apply attribute ``changes`` to feature ``code``; refuse (storing nothing) with one line naming the field."""
    spec = get_layer(layer)
    if not changes:
        raise EditRefused(f"layer {layer}, feature {code}: nothing to change")
    unknown = [k for k in changes if k not in spec.field_names]
    if unknown:
        raise EditRefused(f"layer {layer}, feature {code}, field {unknown[0]}: unknown attribute (attributes: {', '.join(spec.field_names)})")
    if "code" in changes and str(changes["code"]) != code:
        raise EditRefused(f"layer {layer}, feature {code}, field code: a code cannot be changed; import the feature under its new code instead")
    current = store.get_feature(layer, code)
    row = current[list(spec.field_names)].iloc[0].to_dict()
    row.update(changes)
    extra = current["props"].iloc[0] or {}
    frame = gpd.GeoDataFrame([{**extra, **row}], geometry=current.geometry.to_numpy(), crs=current.crs)
    try:
        checked = validate(spec, frame, zone_codes=store.codes("zones"))
    except ImportRefused as exc:
        raise EditRefused(f"layer {layer}, feature {code}, field {exc.field}: {exc.reason}") from None
    events = []
    if layer == "clearance" and checked["status"].iloc[0] != current["status"].iloc[0]:
        paid = checked["paid_vnd"].iloc[0]
        events.append({
            "parcel_code": code,
            "date": (when or clock.today()).isoformat(),
            "status": checked["status"].iloc[0],
            "paid_vnd": None if paid is None or paid != paid else float(paid),
        })
    store.write_layers({layer: checked}, events=events)
    return store.get_feature(layer, code)


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``field=value`` words from the command line; an empty value clears the field."""
    changes = {}
    for pair in pairs:
        if "=" not in pair:
            raise EditRefused(f"{pair!r}: write changes as field=value")
        key, value = pair.split("=", 1)
        changes[key.strip()] = value.strip() or None
    return changes
