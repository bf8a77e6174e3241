"""Who may see personal data, and what the public is shown instead.

Households' names, compensation and payments are personal data (Decree 13/2023/NĐ-CP
on personal data protection; the Personal Data Protection Law, in force 1 January
2026): they are shown to signed-in staff and on the command line (the server's
operator), never to the public. Which fields are personal is declared once, in
:mod:`mapapp.layers` (``Field.personal``); every face — API, OGC, pages, CSV,
search, exports — asks here.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
from flask import g, has_request_context

from mapapp.layers import LAYERS

STAFF_ROLES = ("planner", "leader", "admin")
# Who changed a feature last names a staff member: for staff only, like the audit log.
STAFF_ONLY_COLUMNS = ("changed_by",)


def viewer_is_staff() -> bool:
    """True for a signed-in staff member (any role) or outside a web request (the command line)."""
    if not has_request_context():
        return True
    user = g.get("mapapp_user")
    return bool(user is not None and getattr(user, "role", None) in STAFF_ROLES)


def hidden_fields(layer: str, staff: bool) -> tuple[str, ...]:
    """The layer's fields that ``staff`` (or the public, when False) may not see."""
    spec = LAYERS.get(layer)
    return () if staff or spec is None else spec.personal_fields


def redact(frame: pd.DataFrame, layer: str, staff: bool) -> pd.DataFrame:
    """``frame`` without what the viewer may not see: personal columns and, where the layer says so, extra attributes.

    Shapes: the same rows, fewer columns (``props`` emptied for a layer whose extra
    attributes are not public). The input is not modified.
    """
    if staff:
        return frame
    spec = LAYERS.get(layer)
    personal = spec.personal_fields if spec is not None else ()
    drop = [c for c in (*personal, *STAFF_ONLY_COLUMNS) if c in frame.columns]
    if spec is None:
        return frame.drop(columns=drop) if drop else frame
    out = frame.drop(columns=drop) if drop else frame
    if not spec.public_extra_attributes and "props" in out.columns:
        out = out.copy()
        out["props"] = [{} for _ in range(len(out))]
    if isinstance(frame, gpd.GeoDataFrame) and not isinstance(out, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=frame.crs)
    return out
