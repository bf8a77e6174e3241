"""What the clearance figures of a few zones read: their zones, parcels and the parcels' records.

One query per table for the zones asked (``zone_code IN …``, the parcels' records through a
sub-select of their codes), so a write's zone is read in milliseconds; past :data:`WHOLE_ABOVE`
zones, whole tables are read and cut here (one scan beats thousands of lookups).
"""
from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import pandas as pd
from sqlalchemy import Connection, select

from mapapp.layers import LAYERS
from mapapp.store import clearance_records, schema, spatial
from mapapp.store.records import frame_of

#: Past this many zones, read whole tables.
WHOLE_ABOVE = 200
#: The columns of the parcels' records the figures read (:func:`mapapp.clearance.view.zone_figures`): a step's
#: progress reads its document's number and date and its conditions, not its type, signer, scan nor note.
FIGURE_COLUMNS = {"steps": ("parcel_code", "step", "date", "doc_number", "doc_date", "conditions"),
                  "complaints": ("parcel_code", "filed", "settled")}


def _table(conn: Connection, query) -> pd.DataFrame:
    result = conn.execute(query)
    # plain tuples: pandas probes each SQLAlchemy row for array attributes, which costs more than the read
    return pd.DataFrame([tuple(r) for r in result.fetchall()], columns=list(result.keys()))


def _layer(conn: Connection, layer: str, key: str, zones: list[str] | None) -> gpd.GeoDataFrame:
    """Active features (the layer's fields and geometry, by code) of ``zones`` (None: all)."""
    table = schema.layer_tables[layer]
    query = select(*(table.c[n] for n in (*LAYERS[layer].field_names, "geom"))).where(table.c.retired_at.is_(None))
    if zones is not None:
        query = query.where(table.c[key].in_(zones))
    return frame_of(_table(conn, query.order_by(table.c.code)))


def read_zones(conn: Connection, zones: Collection[str]) -> dict:
    """For the zones ``zones``: ``zones`` and ``parcels`` (WGS84 GeoDataFrames, fields only, by code, as
    ``Store.read_layer(…, fields_only=True)`` reads them), and the parcels' ``steps``, ``complaints``,
    ``land_kinds`` (``clearance_parcels``) as :func:`mapapp.store.clearance_records.read_records` reads
    them (steps and complaints: the :data:`FIGURE_COLUMNS` only) and ``events`` (``parcel_code, date, status, paid_vnd``, by parcel and date)."""
    asked = sorted(zones)
    some = asked if len(asked) <= WHOLE_ABOVE else None
    zone_frame = _layer(conn, "zones", "code", some)
    parcels = _layer(conn, "clearance", "zone_code", some)
    if some is None:
        wanted = set(asked)
        zone_frame = zone_frame[zone_frame["code"].isin(wanted)]
        parcels = parcels[parcels["zone_code"].isin(wanted)]
        codes = None
    else:
        clearance = schema.layer_tables["clearance"]
        codes = select(clearance.c.code).where(clearance.c.zone_code.in_(asked))
    out = {"zones": zone_frame.reset_index(drop=True), "parcels": parcels.reset_index(drop=True)}
    for name in ("steps", "complaints", "clearance_parcels"):
        frame = clearance_records.read_records(conn, name, codes, FIGURE_COLUMNS.get(name))
        if codes is None:
            frame = frame[frame["parcel_code"].isin(set(parcels["code"]))].reset_index(drop=True)
        out[name] = frame
    events = schema.clearance_events
    query = select(events.c.parcel_code, events.c.date, events.c.status, events.c.paid_vnd)
    if codes is not None:
        query = query.where(events.c.parcel_code.in_(codes))
    out["events"] = _table(conn, query.order_by(events.c.parcel_code, events.c.date, events.c.id))
    return out


def dated_steps(conn: Connection) -> pd.DataFrame:
    """Every dated step of the province (``parcel_code, step, date``): what the all-zones paces read."""
    t = schema.clearance_steps
    frame = _table(conn, select(t.c.parcel_code, t.c.step, t.c.date).where(t.c.date.is_not(None) & (t.c.date != "")))
    return frame.astype(object)


def zones_near(conn: Connection, bbox: tuple[float, float, float, float]) -> set[str]:
    """Codes of the active zones, and zone codes of the active parcels, that may meet ``bbox`` (WGS84):
    a superset of the zones whose land or parcels lie in it, found through the spatial index
    (:func:`mapapp.store.spatial.bbox_filter`: boxes on SQLite, the geometry on PostGIS; no geometry read)."""
    dialect = conn.dialect.name
    out: set[str] = set()
    for layer, column in (("zones", "code"), ("clearance", "zone_code")):
        t = schema.layer_tables[layer]
        query = select(t.c[column]).distinct().where(t.c.retired_at.is_(None), spatial.bbox_filter(t, bbox, dialect))
        out.update(conn.execute(query).scalars())
    out.discard(None)
    out.discard("")
    return out
