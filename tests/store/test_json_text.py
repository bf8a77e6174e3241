"""JSON text through an encoder made once (mapapp.store.json_text): json.dumps's text, the store's engines use it."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from mapapp.store import json_text
from mapapp.store.db import make_engine

VALUES = [
    None, True, 0, -0.0, 1.5, 10**20, np.float64(0.1), float("nan"), float("inf"), -float("inf"), "", "Công ty \"Ấ\"\n\t\\ \U0001F600",
    [], {}, [1, None, "a", [2.5]], {"code": "L1", "props": {"a": [1, None], "ghi_chú": "Đ"}, 1: False, None: 0, 2.5: "x"},
]


@pytest.mark.parametrize("value", VALUES)
def test_the_text_is_json_dumps(value):
    assert json_text.dumps(value) == json.dumps(value)


def test_what_json_has_no_form_for_is_refused_as_json_dumps_refuses_it():
    with pytest.raises(TypeError, match="^Object of type date is not JSON serializable$"):
        json_text.dumps({"when": dt.date(2026, 1, 1)})


def test_the_stores_engines_write_json_columns_with_it(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'j.sqlite'}")
    assert engine.dialect._json_serializer is json_text.dumps
