"""Layers as users see them: stored attributes plus figures computed by the analysis modules."""
from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd

from mapapp import clock
from mapapp.analysis.clearance import parcel_status_at
from mapapp.analysis.zones import zone_summary
from mapapp.store.backend import BBox, Store


def _round_measures(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = frame.copy()
    frame["area_ha"] = np.round(frame["area_m2"].astype(float) / 10_000.0, 3)
    frame["area_m2"] = np.round(frame["area_m2"].astype(float), 1)
    frame["length_m"] = np.round(frame["length_m"].astype(float), 1)
    return frame


def as_of(store: Store) -> dt.date:
    """The date the map shows by default: the dataset's own date if it has one, else today."""
    value = store.get_meta("as_of")
    return dt.date.fromisoformat(value) if value else clock.today()


def clearance_at(store: Store, frame: gpd.GeoDataFrame, at: dt.date) -> gpd.GeoDataFrame:
    """Parcels with the status and payment they had at ``at``, from their event history."""
    events = pd.DataFrame(store.clearance_events(), columns=["parcel_code", "date", "status", "paid_vnd"])
    if events.empty:
        return frame
    return parcel_status_at(frame, events, at)


def layer_view(store: Store, layer: str, bbox: BBox | None = None, filters: dict | None = None, at: dt.date | None = None) -> gpd.GeoDataFrame:
    return view_of(store, layer, store.read_layer(layer, bbox=bbox, filters=filters), at)


def view_of(store: Store, layer: str, frame: gpd.GeoDataFrame, at: dt.date | None = None) -> gpd.GeoDataFrame:
    """Stored rows of ``layer`` (any subset, e.g. one page) with the figures users see added."""
    if frame.empty:
        return frame
    frame = _round_measures(frame)
    if layer == "zones":
        summary = zone_summary(
            store.attributes("lots", ["zone_code", "status", "land_use", "area_m2"]),
            store.attributes("conflicts", ["zone_code", "type"]),
        )
        frame = frame.join(summary, on="code")
        frame["conflicts"] = frame["conflicts"].apply(lambda v: v if isinstance(v, dict) else {})
    if layer == "clearance" and at is not None:
        frame = clearance_at(store, frame, at)
    if layer == "projects":
        from mapapp.api.schedule import with_schedule

        frame = with_schedule(store, frame, at or as_of(store))
    return frame
