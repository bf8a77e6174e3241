"""The audit log's entries (mapapp.changes.journal): geometry encoded once, read back as it was."""
from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from mapapp.changes import journal


@pytest.mark.parametrize("value", [
    {"code": "L1", "tenant": "Công ty \"Ấ\"", "price": 1.5, "geometry": "shape"},
    {"geometry": "shape"},
    {"code": "L1"},
    None,
    ["ngoài khu"],
])
def test_encoded_entries_read_back_as_the_values_they_were_made_of(value):
    shape = shapely.Polygon([(105.1, 9.6), (105.2, 9.6), (105.2, 9.7), (105.1, 9.6)])
    encoded = journal.geometries_json(np.asarray([shape], dtype=object))[0]
    given = {k: (encoded if v == "shape" else v) for k, v in value.items()} if isinstance(value, dict) else value
    expected = {k: (journal.geometry_json(shape) if v == "shape" else v) for k, v in value.items()} if isinstance(value, dict) else value
    assert json.loads(journal.encode(given)) == expected
    if not isinstance(given, dict) or "geometry" not in given:  # as SQLAlchemy's JSON type writes it
        assert journal.encode(given) == json.dumps(given)


def test_entries_given_as_columns_are_written_in_order_among_single_ones(backend_store):
    from sqlalchemy import select

    from mapapp.changes.model import Actor
    from mapapp.store import schema

    actor = Actor("importer", "import", "lots.gpkg sha256:0")
    one = journal.entry("c9", actor, "update", layer="lots", code="A", before={"status": "x"}, after={"status": "y"}, at="t")
    block = journal.EntryColumns({key: [value, value] for key, value in journal.entry("c9", actor, "insert", layer="lots", at="t").items()})
    block.columns.update(code=["B", "C"], after=[journal.Encoded('{"code": "B"}'), {"code": "C", "n": None}], warnings=[None, ["w"]])
    last = journal.entry("c9", actor, "retire", layer="lots", code="D", before={"retired": False}, after={"retired": True}, at="t")
    with backend_store.writing() as conn:
        journal.write(conn, [one, block, last])
        journal.write(conn, [journal.EntryColumns({key: [] for key in one})])  # none: nothing written
    table = schema.audit_log
    with backend_store.engine.connect() as conn:
        stored = conn.execute(select(table).where(table.c.change_id == "c9").order_by(table.c.id)).mappings().all()
    expected = [one, *block.rows(), last]
    expected[1]["after"] = {"code": "B"}
    assert [{k: r[k] for k in one} for r in stored] == expected
