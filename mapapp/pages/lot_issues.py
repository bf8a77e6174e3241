"""What is wrong with a lot, for its popup and for ``/land``: the planning conflicts it is part of
and the parcels not yet cleared under it (whatever its status: an available lot an investor looks
at may still have households on it)."""
from __future__ import annotations

import numpy as np
import shapely
from flask import jsonify

from mapapp.analysis.measure import to_metric
from mapapp.i18n import current_lang, translate
from mapapp.pages import pages_bp
from mapapp.store import current_store
from mapapp.store.backend import Store

NOT_CLEARED = ("not_started", "negotiating", "compensated", "disputed")


def lot_issues(store: Store, codes: list[str] | None = None, tolerance_m2: float = 1.0) -> dict[str, dict]:
    """Lot code -> {"conflicts": [{type, severity, area_m2, length_m, others}], "uncleared": [{code, status, area_m2}]}.

    ``codes`` limits the answer to those lots (all lots when None). Overlaps are measured in metres
    (EPSG:5897); those at or below ``tolerance_m2`` are digitising noise, as for the conflicts."""
    lots = store.read_layer("lots")
    if codes is not None:
        lots = lots[lots["code"].isin(codes)]
    out: dict[str, dict] = {str(c): {"conflicts": [], "uncleared": []} for c in lots.get("code", [])}
    if not out:
        return out
    conflicts = store.read_conflicts()
    for row in conflicts.itertuples():
        members = [str(c) for c, layer in zip(row.codes, row.layers) if layer == "lots"]
        for code in members:
            if code in out:
                others = [str(c) for c in row.codes if str(c) != code]
                out[code]["conflicts"].append({
                    "type": row.type, "severity": row.severity,
                    "area_m2": _round(getattr(row, "area_m2", None)), "length_m": _round(getattr(row, "length_m", None)),
                    "others": others,
                })
    parcels = store.read_layer("clearance")
    if parcels.empty:
        return out
    parcels = parcels[parcels["status"].isin(NOT_CLEARED)]
    lot_geoms = to_metric(np.asarray(lots.geometry.values))
    parcel_geoms = to_metric(np.asarray(parcels.geometry.values))
    tree = shapely.STRtree(parcel_geoms)
    lot_idx, parcel_idx = tree.query(lot_geoms, predicate="intersects")
    if len(lot_idx):
        areas = shapely.area(shapely.intersection(lot_geoms[lot_idx], parcel_geoms[parcel_idx]))
        lot_codes, parcel_codes, statuses = lots["code"].to_numpy(), parcels["code"].to_numpy(), parcels["status"].to_numpy()
        for i, j, area in zip(lot_idx, parcel_idx, areas):
            if area > tolerance_m2:
                out[str(lot_codes[i])]["uncleared"].append({"code": str(parcel_codes[j]), "status": str(statuses[j]), "area_m2": round(float(area), 1)})
    return out


def _round(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else round(number, 1)


def issue_lines(issues: dict, lang: str, fmt_area) -> list[str]:
    """One plain sentence per problem, in the page's language (``fmt_area`` writes m²)."""
    lines = [
        translate("lot.issue.conflict", lang, type=translate(f"conflict.{c['type']}", lang),
                  amount=fmt_area(c["area_m2"]) if c["area_m2"] is not None else "—", others=", ".join(c["others"]) or "—")
        for c in issues.get("conflicts", [])
    ]
    lines += [
        translate("lot.issue.uncleared", lang, code=p["code"], status=translate(f"clearance.status.{p['status']}", lang), amount=fmt_area(p["area_m2"]))
        for p in issues.get("uncleared", [])
    ]
    return lines


@pages_bp.get("/lots/<code>/issues")
def lot_issues_json(code: str):
    """A lot's problems as JSON, for its popup (404 when the lot does not exist)."""
    store = current_store()
    found = lot_issues(store, [code], tolerance_m2=store.tolerance_m2)
    if code not in found:
        return jsonify(error=translate("ui.not_found", current_lang())), 404
    return jsonify(code=code, **found[code])
