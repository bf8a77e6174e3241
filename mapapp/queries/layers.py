"""Layers as users see them: stored attributes plus figures computed by the analysis modules."""
from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd

from mapapp import clock
from mapapp.analysis.clearance import parcel_status_at
from mapapp.analysis.zones import zone_summary_of
from mapapp.privacy import redact
from sqlalchemy import Connection

from mapapp.store import lot_sql
from mapapp.store.backend import BBox, Store


# stored columns no reader of a layer view sees (mapapp.geojson.INTERNAL): not read at all
NEVER_SHOWN = ("id", "geom_type", "minx", "miny", "maxx", "maxy")


def round_measures(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of ``frame`` with ``area_m2``/``length_m`` rounded to 0.1 m and ``area_ha`` (3 decimals) added last."""
    frame = frame.copy()
    frame["area_ha"] = np.round(frame["area_m2"].astype(float) / 10_000.0, 3)
    frame["area_m2"] = np.round(frame["area_m2"].astype(float), 1)
    frame["length_m"] = np.round(frame["length_m"].astype(float), 1)
    return frame


def as_of(store: Store, conn: Connection | None = None) -> dt.date:
    """The date the map shows by default: the dataset's own date if it has one, else today (read through ``conn``
    when given, else a connection of its own)."""
    value = store.get_meta("as_of") if conn is None else lot_sql.meta_value(conn, "as_of")
    return dt.date.fromisoformat(value) if value else clock.today()


def clearance_at(store: Store, frame: gpd.GeoDataFrame, at: dt.date) -> gpd.GeoDataFrame:
    """Parcels with the status and payment they had at ``at``, from their event history."""
    events = pd.DataFrame(store.clearance_events(), columns=["parcel_code", "date", "status", "paid_vnd"])
    if events.empty:
        return frame
    return parcel_status_at(frame, events, at)


def with_summary(frame: pd.DataFrame, totals: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (zones, a ``code`` column) with each zone's lot totals and ``conflicts`` (``{type: count}``, empty for
    none) joined after its columns: :func:`mapapp.analysis.zones.zone_summary_of` of ``totals`` and ``counts``."""
    frame = frame.join(zone_summary_of(totals, counts), on="code")
    frame["conflicts"] = frame["conflicts"].apply(lambda v: v if isinstance(v, dict) else {})
    return frame


def layer_view(
    store: Store, layer: str, bbox: BBox | None = None, filters: dict | None = None, at: dt.date | None = None,
    staff: bool = False, include_retired: bool = False,
) -> gpd.GeoDataFrame:
    """A layer as its readers see it: stored attributes, computed figures, and nothing the viewer may not see.

    Shapes: one row per active feature (retired ones too with ``include_retired``,
    marked ``retired``), WGS84 geometry, ``area_m2``/``length_m`` in metres (EPSG:5897),
    ``area_ha``. Personal fields are dropped unless ``staff`` (:mod:`mapapp.privacy`).
    Zones, lots and parcels carry their clearance figures at ``at`` (default: the dataset's
    date), see :mod:`mapapp.queries.clearance`: zones ``cleared_share`` (0–1),
    ``largest_cleared_block_ha``; lots ``ready``, ``ready_expected``; parcels ``status`` (derived
    from the steps), ``step``, ``next_due``.
    """
    frame = store.read_layer(layer, bbox=bbox, filters=filters, include_retired=include_retired, skip=NEVER_SHOWN)
    if frame.empty:
        return redact(frame, layer, staff)
    frame = _finish(store, layer, frame, at)
    if include_retired:
        frame["retired"] = frame["retired_at"].notna()
    frame = frame.drop(columns=["retired_at"])
    return redact(frame, layer, staff)


def _finish(store: Store, layer: str, frame: gpd.GeoDataFrame, at: dt.date | None) -> gpd.GeoDataFrame:
    frame = round_measures(frame)
    if at is None and layer in ("zones", "lots", "clearance", "projects"):
        at = as_of(store)  # one meta read per request, not one per figure
    if layer == "zones":
        frame = with_summary(frame, *store.zone_totals())
    if layer == "clearance":
        frame = clearance_at(store, frame, at)
    if layer in ("zones", "lots", "clearance"):
        from mapapp.queries.clearance import with_figures

        frame = with_figures(store, layer, frame, at)
    if layer == "projects":
        from mapapp.queries.schedule import with_schedule

        frame = with_schedule(store, frame, at)
    return frame


def view_of(store: Store, layer: str, frame: gpd.GeoDataFrame, at: dt.date | None = None, staff: bool = False,
            include_retired: bool = False) -> gpd.GeoDataFrame:
    """Stored rows of ``layer`` (any subset, e.g. one page from ``Store.read_page``) as readers see them, like :func:`layer_view`.

    With ``include_retired`` each feature says whether it is ``retired``.
    """
    if not frame.empty:
        frame = _finish(store, layer, frame, at)
    if include_retired and "retired_at" in frame.columns:
        frame["retired"] = frame["retired_at"].notna()
    frame = frame.drop(columns=["retired_at"], errors="ignore")
    return redact(frame, layer, staff)
