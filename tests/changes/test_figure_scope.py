"""Which zones a change of features touches (mapapp.changes.figure_scope) and the plan items' ``touches``."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from mapapp.changes.figure_scope import FIGURE_FIELDS
from mapapp.changes.plan import touches
from mapapp.clearance.view import zone_figures
from mapapp.layers import LAYERS
from mapapp.store import zone_reads


def item(outcome: str, columns=(), geom_changed: bool = False) -> dict:
    return {"outcome": outcome, "columns": list(columns), "geom_changed": geom_changed}


@pytest.mark.parametrize(("plan_item", "expected"), [
    (item("added"), True),
    (item("restored"), True),
    (item("unchanged"), False),
    (item("changed", ["status"]), True),
    (item("changed", ["owner", "households"]), False),
    (item("changed", [], geom_changed=True), True),
    (item("changed", ["owner"], geom_changed=True), True),
    (item("changed", []), False),
])
def test_a_plan_item_touches_what_reads_its_land_or_the_fields_named(plan_item, expected):
    assert touches(plan_item, {"status", "zone_code"}) is expected


def _figures(inputs: dict, at: dt.date):
    parcels = inputs["parcels"].assign(land_kind="agricultural")
    return zone_figures(inputs["zones"], parcels, inputs["steps"], inputs["complaints"], at)


def test_the_figures_read_no_field_beyond_figure_fields(sample_store):
    """Every field of zones and parcels outside FIGURE_FIELDS given other values: each zone's figures are the
    same frames. So an edit of those fields may rightly give no zone a new figure version."""
    with sample_store.engine.connect() as conn:
        inputs = zone_reads.read_zones(conn, set(sample_store.read_layer("zones", fields_only=True)["code"]))
    assert len(inputs["parcels"]) and len(inputs["steps"])
    at = dt.date(2026, 6, 1)
    before = _figures(inputs, at)
    other = dict(inputs)
    for name, layer in (("zones", "zones"), ("parcels", "clearance")):
        frame = inputs[name].copy()
        loose = [f for f in LAYERS[layer].field_names if f not in FIGURE_FIELDS[layer]]
        assert loose, layer
        for field in loose:
            numeric = pd.api.types.is_numeric_dtype(frame[field])
            frame[field] = [987_654.0 + i if numeric else f"khác {i}" for i in range(len(frame))]
        other[name] = frame
    after = _figures(other, at)
    for part in ("parcels", "zones", "blocks", "current"):
        pd.testing.assert_frame_equal(getattr(after, part), getattr(before, part))
