"""The rules' inputs read as arrays (mapapp.store.rule_inputs), on SQLite and PostgreSQL: the judged columns and the
stored metric geometry of the active features, cleared parcels left unread, a missing metric geometry worked out."""
from __future__ import annotations

import numpy as np
import shapely
from sqlalchemy import update

from mapapp.analysis.conflicts.catalogue import INPUT_COLUMNS
from mapapp.analysis.measure import METRIC_CRS, to_metric
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.store import schema
from mapapp.store.rule_inputs import read_rule_inputs

WEB = Actor("planner1", "api")


def by_code(columns) -> dict[str, tuple]:
    """{code: (the other columns' values..., geometry WKB)} of a :class:`LayerColumns`."""
    names = [c for c in columns.attrs if c != "code"]
    return {code: (*(columns.attrs[c][i] for c in names), shapely.to_wkb(columns.geometry[i]))
            for i, code in enumerate(columns.attrs["code"])}


def test_a_layer_is_read_as_its_judged_columns_and_stored_metric_geometry(backend_store):
    apply_features(backend_store, "lots", [], WEB, retire_codes=["L2"])
    with backend_store.engine.connect() as conn:
        for layer in ("zones", "lots", "clearance", "projects"):
            got = read_rule_inputs(conn, layer)
            stored = backend_store.read_layer(layer, metric=True)
            if layer == "clearance":
                stored = stored[stored["status"] != "cleared"]
            assert got.crs == METRIC_CRS
            assert list(got.attrs) == [c for c in INPUT_COLUMNS[layer] if c in stored.columns]
            assert sorted(got.attrs["code"]) == sorted(stored["code"]), layer
            rows = {code: g for code, g in zip(stored["code"], shapely.to_wkb(stored.geometry.values))}
            assert {code: values[-1] for code, values in by_code(got).items()} == rows, layer
        assert "L2" not in by_code(read_rule_inputs(conn, "lots"))


def test_cleared_parcels_are_not_read(backend_store):
    with backend_store.engine.connect() as conn:
        assert list(read_rule_inputs(conn, "clearance").attrs["code"]) == ["P2"]  # P1 is cleared
    apply_features(backend_store, "clearance", [Edit("P2", {"status": "cleared"})], WEB, confirm=True)
    with backend_store.engine.connect() as conn:
        assert read_rule_inputs(conn, "clearance") is None


def test_a_box_query_reads_the_same_rows_as_the_whole_layer(backend_store):
    table = schema.layer_tables["lots"]
    with backend_store.engine.connect() as conn:
        whole = by_code(read_rule_inputs(conn, "lots"))
        some = by_code(read_rule_inputs(conn, "lots", table.c.code.in_(["L1", "L3"])))
        assert read_rule_inputs(conn, "lots", table.c.code == "nothing") is None
    assert some == {code: whole[code] for code in ("L1", "L3")}


def test_a_row_without_stored_metric_geometry_is_reprojected(backend_store):
    table = schema.layer_tables["lots"]
    with backend_store.engine.connect() as conn:
        stored = by_code(read_rule_inputs(conn, "lots"))
    with backend_store.writing() as conn:
        conn.execute(update(table).where(table.c.code == "L1").values(geom_m=None))
    wgs84 = backend_store.get_feature("lots", "L1").geometry.values
    with backend_store.engine.connect() as conn:
        got = read_rule_inputs(conn, "lots")
    row = list(got.attrs["code"]).index("L1")
    assert shapely.equals_exact(got.geometry[row], np.asarray(to_metric(wgs84))[0], tolerance=0)
    assert {c: v for c, v in by_code(got).items() if c != "L1"} == {c: v for c, v in stored.items() if c != "L1"}
