"""New features planned, stored and audited column by column (mapapp.changes.added): the same plan, rows,
audit entries and refusals as one by one, on both backends."""
from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from sqlalchemy import select

from mapapp.changes import journal
from mapapp.changes.added import added_rows, plan_added
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.changes.plan import plan_one
from mapapp.errors import ChangeRefused, NotFound
from mapapp.layers import LAYERS
from mapapp.store import schema
from mapapp.store.records import geometry_rows, layer_records
from tests.conftest import data_snapshot

IMPORTER = Actor("importer", "import", "lots.gpkg sha256:0")
LOTS = LAYERS["lots"]
PROJECTS = LAYERS["projects"]


def new_lots(count: int, start: int = 100) -> list[Edit]:
    """Lots not stored yet, with what a file gives: numpy scalars, missing values, extra attributes, Vietnamese text."""
    edits = []
    for i in range(start, start + count):
        x = 105.5 + i * 1e-4
        values = {"code": f"N{i}", "zone_code": "Z1", "land_use": ("factory", "warehouse")[i % 2], "status": "available",
                  "tenant": f"Công ty Ấ {i}" if i % 3 else None, "price_usd_m2": np.float64(40 + i % 7) if i % 4 else None}
        props = {"floors": i % 5, "ghi_chú": "Đường số 1"} if i % 2 else ({"floors": 2.5} if i % 5 == 0 else {})
        edits.append(Edit(values["code"], values, props=props, geometry=shapely.box(x, 9.7, x + 5e-5, 9.7 + 5e-5)))
    return edits


def test_planned_additions_are_the_per_feature_plan():
    edits = new_lots(60)
    assert plan_added(LOTS, edits, {"Z1"}) == [plan_one(LOTS, e, None, {"Z1"}) for e in edits]


def _broken(edits: list[Edit], i: int, how: str) -> list[Edit]:
    edit = edits[i]
    if how == "no geometry":
        edits[i] = Edit(edit.code, edit.values, edit.props, None)
    elif how == "unknown field":
        edits[i] = Edit(edit.code, {**edit.values, "colour": "red"}, edit.props, edit.geometry)
    elif how == "other code":
        edits[i] = Edit(edit.code, {**edit.values, "code": "X1"}, edit.props, edit.geometry)
    elif how == "empty status":
        edits[i] = Edit(edit.code, {**edit.values, "status": None}, edit.props, edit.geometry)
    elif how == "unknown zone":
        edits[i] = Edit(edit.code, {**edit.values, "zone_code": "Z9"}, edit.props, edit.geometry)
    return edits


@pytest.mark.parametrize("how", ["no geometry", "unknown field", "other code", "empty status", "unknown zone"])
def test_an_addition_that_would_be_refused_is_left_to_the_per_feature_planner(how):
    edits = _broken(new_lots(30), 17, how)
    assert plan_added(LOTS, edits, {"Z1"}) is None
    with pytest.raises((ChangeRefused, NotFound)):
        plan_one(LOTS, edits[17], None, {"Z1"})


@pytest.mark.parametrize("values", [
    {"planned_start": "2030-01-01", "planned_end": "2000-01-01"},
    {"planned_start": "1989-12-31"},
    {"planned_end": "2101-01-01"},
])
def test_an_addition_breaking_a_whole_feature_rule_is_left_to_the_per_feature_planner(values):
    base = {"code": "R9", "name": "Dự án", "kind": "infrastructure", "status": "planned", "zone_code": "Z1"}
    fine = Edit("R8", {**base, "code": "R8", "planned_start": "2020-01-01", "planned_end": "2021-01-01"}, geometry=shapely.Point(105.6, 9.7))
    bad = Edit("R9", {**base, **values}, geometry=shapely.Point(105.6, 9.7))
    assert plan_added(PROJECTS, [fine], {"Z1"}) == [plan_one(PROJECTS, fine, None, {"Z1"})]
    assert plan_added(PROJECTS, [fine, bad], {"Z1"}) is None
    with pytest.raises(ChangeRefused):
        plan_one(PROJECTS, bad, None, {"Z1"})


def test_added_rows_and_entries_are_those_of_a_frame_and_of_one_entry_each():
    plan = plan_added(LOTS, new_lots(40), {"Z1"})
    columns, entries = added_rows(LOTS, plan, IMPORTER, "2026-11-30T09:00:00+00:00", "c1", None)
    frame = gpd.GeoDataFrame([{**p["after"], **p["props"]} for p in plan], geometry=[p["geometry"] for p in plan], crs="EPSG:4326")
    expected = layer_records(frame, LOTS.field_names, geometry_rows(np.asarray(frame.geometry.values, dtype=object)), "lots")
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    assert [{k: r[k] for k in expected[0]} for r in rows] == expected
    assert {(r["version"], r["changed_at"], r["changed_by"]) for r in rows} == {(1, "2026-11-30T09:00:00+00:00", "importer")}
    one_by_one = [journal.entry("c1", IMPORTER, "insert", layer="lots", code=p["code"], at="2026-11-30T09:00:00+00:00", after={
        **p["after"], **({"props": p["props"]} if p["props"] else {}), "geometry": journal.geometries_json(np.asarray([p["geometry"]]))[0]})
        for p in plan]
    assert [{**e, "after": journal.encode(e["after"])} for e in entries.rows()] == [{**e, "after": journal.encode(e["after"])} for e in one_by_one]


def test_objects_json_is_encode_of_each():
    shapes = shapely.to_geojson(np.asarray([shapely.Point(105.1, 9.6), shapely.box(105, 9, 105.1, 9.1), shapely.Point(105, 9)])).tolist()
    rows = [{"code": "L1", "tenant": "Công ty \"Ấ\"\n\t\\ \U0001F600", "price": 1.5, "n": None, "props": {"a": [1, None], "ghi_chú": "Đ"}},
            {"price": -0.0, "big": 10**20, "x": np.float64(0.1), "nan": float("nan"), "inf": float("inf"), "ok": True, 1: False}, {}]
    assert journal.objects_json(rows, shapes) == [journal.encode({**r, "geometry": journal.Encoded(s)}) for r, s in zip(rows, shapes)]
    with pytest.raises(TypeError, match="Object of type date is not JSON serializable"):  # as json.dumps refuses it
        journal.objects_json([{"when": dt.date(2026, 1, 1)}], shapes[:1])


def _stored(store, codes: list[str]) -> list[dict]:
    table = schema.layer_tables["lots"]
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.code.in_(codes)).order_by(table.c.code)).mappings().all()
    return [{k: (bytes(v) if isinstance(v, memoryview) else v) for k, v in r.items() if k not in ("id", "changed_at")} for r in rows]


def test_a_large_addition_stores_and_audits_what_the_frame_path_gives(backend_store):
    edits = new_lots(1200)
    result = apply_features(backend_store, "lots", edits, IMPORTER)
    assert result.added == [e.code for e in edits]
    plan = [plan_one(LOTS, e, None, {"Z1", "Z2"}) for e in edits]
    frame = gpd.GeoDataFrame([{**p["after"], **p["props"]} for p in plan], geometry=[p["geometry"] for p in plan], crs="EPSG:4326")
    expected = layer_records(frame, LOTS.field_names, geometry_rows(np.asarray(frame.geometry.values, dtype=object)), "lots")
    stored = _stored(backend_store, [e.code for e in edits])
    assert [{k: r[k] for k in expected[0]} for r in stored] == sorted(expected, key=lambda r: r["code"])
    assert {(r["version"], r["changed_by"], r["retired_at"]) for r in stored} == {(1, "importer", None)}
    audit = {e["code"]: e for e in backend_store.audit(change_id=result.change_id, limit=5000)}
    assert len(audit) == len(edits)
    for p in plan:
        after = {**p["after"], **({"props": p["props"]} if p["props"] else {}), "geometry": journal.geometry_json(p["geometry"])}
        assert (audit[p["code"]]["action"], audit[p["code"]]["after"], audit[p["code"]]["before"]) == ("insert", json.loads(json.dumps(after)), None)


@pytest.mark.parametrize("how, message", [
    ("unknown zone", "layer lots, feature N617, field zone_code: zone 'Z9' does not exist (import the zone first)"),
    ("empty status", "layer lots, feature N617, field status: required value is empty"),
    ("other code", "layer lots, feature N617, field code: a code cannot be changed; add the feature under its new code and retire this one"),
])
def test_a_large_addition_with_one_bad_feature_is_refused_naming_it_and_stores_nothing(backend_store, how, message):
    before = data_snapshot(backend_store)
    with pytest.raises(ChangeRefused) as refused:
        apply_features(backend_store, "lots", _broken(new_lots(1200), 517, how), IMPORTER)
    assert str(refused.value) == message
    assert data_snapshot(backend_store) == before
