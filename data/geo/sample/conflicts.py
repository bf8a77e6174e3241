"""The planted planning conflicts, and an independent check that they are the only ones."""
from __future__ import annotations

from .common import TOLERANCE_M2

PLANTED_CONFLICTS = [
    # kind, layer, code, other layer, other code, what
    ("lot_overlap", "lots", "SH-D02", "lots", "SH-D03",
     "SH-D02 drawn 42 m across the road into SH-D03"),
    ("lot_overlap", "lots", "TPT-A02", "lots", "TPT-B02",
     "TPT-B02 drawn 30 m across the road into TPT-A02"),
    ("lot_on_uncleared_land", "lots", "SH-H03", "clearance", None,
     "reserved lot in the riverside strip on a disputed parcel"),
    ("lot_on_uncleared_land", "lots", "TPT-F05", "clearance", None,
     "leased lot on a parcel still under negotiation"),
    ("lot_on_uncleared_land", "lots", "CDP-B03", "clearance", None,
     "reserved lot on a compensated (paid, not yet handed over) parcel"),
    ("outside_zone", "lots", "PHA-A01", "zones", "CCN-PHA",
     "lot reaching 30 m beyond the cluster's south edge, towards the Nam Sông Hậu road"),
    ("outside_zone", "lots", "VT-C05", "zones", "CCN-VT",
     "lot reaching 40 m beyond the cluster's east edge"),
    ("outside_zone", "projects", "PRJ-SH-ROAD", "zones", "KCN-SH",
     "the road runs about 360 m beyond the zone to the Nam Sông Hậu road"),
    ("project_on_uncleared_land", "projects", "PRJ-CDP-3B", "clearance", None,
     "road 3B phase 2 crosses a disputed parcel"),
    ("project_on_uncleared_land", "projects", "PRJ-TPT-R1", "clearance", None,
     "road 1 crosses a parcel still under negotiation"),
    ("land_use_mismatch", "lots", "TPT-A06", "zones", "KCN-TPT",
     "housing (workers' lodging) where the plan allows industry only"),
    ("land_use_mismatch", "lots", "PH-B02", "zones", "CCN-PH",
     "commercial lot in a cluster that allows factory/warehouse/utility/green"),
]


def detect_conflicts(layers: dict) -> list[dict]:
    """Find the planning conflicts in written (WGS84) features, measured in metres.

    layers: name -> list of (properties, metric geometry).
    """
    out = []
    zones = {p["code"]: (p, g) for p, g in layers["zones"]}
    lots = layers["lots"]
    uncleared = [(p, g) for p, g in layers["clearance"] if p["status"] != "cleared"]
    for i, (pa, ga) in enumerate(lots):
        for pb, gb in lots[i + 1:]:
            a = ga.intersection(gb).area
            if a > TOLERANCE_M2:
                (c1, c2) = sorted([pa["code"], pb["code"]])
                out.append(("lot_overlap", "lots", c1, "lots", c2, a))
    for p, g in lots:
        zp, zg = zones[p["zone_code"]]
        a = g.difference(zg).area
        if a > TOLERANCE_M2:
            out.append(("outside_zone", "lots", p["code"], "zones", zp["code"], a))
        allowed = [u for u in (zp.get("allowed_land_uses") or "").split(",") if u]
        if allowed and p["land_use"] not in allowed:
            out.append(("land_use_mismatch", "lots", p["code"], "zones", zp["code"], 0.0))
        if p["status"] in ("leased", "reserved"):
            for cp, cg in uncleared:
                a = g.intersection(cg).area
                if a > TOLERANCE_M2:
                    out.append(("lot_on_uncleared_land", "lots", p["code"], "clearance",
                                cp["code"], a))
    for p, g in layers["projects"]:
        measure = (lambda x: x.area) if g.geom_type.endswith("Polygon") else (lambda x: x.length)
        limit = TOLERANCE_M2 if g.geom_type.endswith("Polygon") else 1.0
        if p.get("zone_code"):
            zp, zg = zones[p["zone_code"]]
            m = measure(g.difference(zg))
            if m > limit:
                out.append(("outside_zone", "projects", p["code"], "zones", zp["code"], m))
        for cp, cg in uncleared:
            m = measure(g.intersection(cg))
            if m > limit:
                out.append(("project_on_uncleared_land", "projects", p["code"], "clearance",
                            cp["code"], m))
    return [dict(kind=k, layer=l, code=c, other_layer=ol, other_code=oc, measure=round(m, 1))
            for k, l, c, ol, oc, m in sorted(out, key=lambda t: t[:5])]
