"""Fast reads (mapapp.store.reads): the same frames as pandas built from SQLAlchemy rows, codes by chunks."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from mapapp.layers import LAYERS
from mapapp.store import reads, schema
from mapapp.store.backend import INTERNAL_COLUMNS
from mapapp.store.records import frame_of


def the_old_way(store, layer: str):
    """A layer as the store built it before: pandas over SQLAlchemy rows, geometry decoded after."""
    table = schema.layer_tables[layer]
    query = select(*(c for c in table.c if c.name not in INTERNAL_COLUMNS)).where(table.c.retired_at.is_(None)).order_by(table.c.code)
    with store.engine.connect() as conn:
        result = conn.execute(query)
        return frame_of(pd.DataFrame(result.fetchall(), columns=list(result.keys())))


@pytest.mark.parametrize("layer", list(LAYERS))
def test_layers_read_as_before(backend_store, layer):
    from mapapp.changes.model import Actor
    from mapapp.edits import edit_feature

    if layer == "lots":  # extra attributes (props) and a missing value
        with backend_store.writing() as conn:
            table = schema.layer_tables["lots"]
            conn.execute(table.update().where(table.c.code == "L2").values(props={"ghi_chú": "đất tốt", "n": 2}))
        edit_feature(backend_store, "lots", "L1", {"tenant": None, "status": "available"}, Actor("planner1", "api"), confirm=True)
    new, old = backend_store.read_layer(layer), the_old_way(backend_store, layer)
    pd.testing.assert_frame_equal(pd.DataFrame(new.drop(columns="geometry")), pd.DataFrame(old.drop(columns="geometry")))
    assert list(new.columns) == list(old.columns) and new.crs == old.crs
    assert new.geometry.geom_equals_exact(old.geometry, 0).all()
    if layer == "lots":
        assert new.set_index("code").loc["L2", "props"] == {"ghi_chú": "đất tốt", "n": 2}


def test_an_empty_answer_is_an_empty_frame_with_the_columns(backend_store):
    frame = backend_store.read_layer("lots", filters={"code": "NOPE"})
    assert frame.empty and "props" in frame.columns and frame.crs is not None


def test_codes_among_asks_for_the_given_codes_in_chunks(backend_store, monkeypatch):
    monkeypatch.setattr(reads, "CHUNK", 2)
    table = schema.layer_tables["lots"]
    with backend_store.engine.connect() as conn:
        assert reads.codes_among(conn, table, ["L3", "L1", "X9", "L2", "L1"]) == {"L1", "L2", "L3"}
        assert reads.codes_among(conn, table, []) == set()
