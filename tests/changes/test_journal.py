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
