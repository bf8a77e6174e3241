"""Colours of every layer, by the attribute that drives them.

One table feeds both the map's styling and its legend, so they cannot drift apart.
"""
from __future__ import annotations

STYLES: dict[str, dict] = {
    "boundaries": {
        "by": "level",
        "colors": {"province": "#252525", "district": "#737373"},
        "weight": {"province": 3, "district": 1.2},
        "fill_opacity": 0.0,
        "dash": {"district": "4 4"},
    },
    "zones": {
        "by": "status",
        "colors": {"operating": "#1f4e9c", "under_construction": "#6a3d9a", "proposed": "#8c8c8c"},
        "weight": 2.5,
        "fill_opacity": 0.06,
        "dash": {"proposed": "8 6"},
    },
    "lots": {
        "by": "status",
        "colors": {"leased": "#d95f02", "available": "#1a9850", "reserved": "#e6c229"},
        "weight": 1,
        "fill_opacity": 0.55,
    },
    # Parcels by the last step of the Land Law 2024 procedure done (mapapp.clearance.procedure.MAIN_STEPS):
    # warm until the plan is approved, blue from approval to the recovery decision, green once handed over;
    # an overdue parcel is outlined in red.
    "clearance": {
        "by": "step",
        "colors": {
            "none": "#bdbdbd",
            "meeting": "#fee391",
            "notice": "#fec44f",
            "inventory": "#fe9929",
            "plan_posted": "#ec7014",
            "consultation": "#cc4c02",
            "appraisal": "#9ecae1",
            "approval": "#6baed6",
            "publication": "#4292c6",
            "payment": "#2171b5",
            "decision": "#08519c",
            "handover": "#41ab5d",
        },
        "overdue_color": "#b2182b",
        "weight": 1,
        "fill_opacity": 0.55,
    },
    # The old five statuses (derived from the steps): the colour of a parcel's status chip.
    "clearance_status": {
        "by": "status",
        "colors": {
            "not_started": "#9e9e9e",
            "negotiating": "#fdb863",
            "compensated": "#74add1",
            "cleared": "#b8e186",
            "disputed": "#c51b7d",
        },
        "weight": 1,
        "fill_opacity": 0.45,
    },
    "projects": {
        "by": "schedule_status",
        "colors": {
            "on_track": "#1a9850",
            "at_risk": "#f46d43",
            "late": "#d73027",
            "done": "#2166ac",
            "not_started": "#969696",
            "no_report": "#7f3b08",
        },
        "weight": 5,
        "fill_opacity": 0.5,
        "remaining_color": "#bdbdbd",
    },
    "conflicts": {
        "by": "severity",
        "colors": {"high": "#e7298a", "medium": "#ff7f00", "low": "#6a51a3"},
        "weight": 2.5,
        "fill_opacity": 0.9,
        "dash": {"high": "5 3", "medium": "5 3", "low": "5 3"},
        "hatched": True,
    },
}

LEGEND_PREFIX = {
    "zones": "zones.status",
    "lots": "lots.status",
    "clearance": "clearance.step",
    "projects": "schedule",
    "conflicts": "severity",
    "boundaries": None,
}
