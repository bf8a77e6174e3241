"""A large insert with the index triggers set aside (mapapp.store.bulk_index): indexes as the triggers leave them."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.edits import edit_feature
from mapapp.store import bulk_index, conflict_rows, schema
from tests.builders import mbox
from tests.conftest import statements_sent
from tests.helpers import search_codes

BOARD = Actor("importer", "import")


def new_lots(count: int, start: int = 0) -> list[Edit]:
    """``count`` small lots in zone Z1, each 20 m wide, with a searchable tenant."""
    return [Edit(f"B{start + i}", {"zone_code": "Z1", "land_use": "factory", "status": "leased", "tenant": f"Công ty Số {start + i}"},
                 geometry=mbox(20 * (start + i), 400, 20 * (start + i) + 15, 415)) for i in range(count)]


def statements_of(store, work) -> list[str]:
    """The SQL that ``work()`` sends, in order."""
    return [statement for statement, _ in statements_sent(store, work)]


def triggers(store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all()


def test_a_large_insert_sets_the_triggers_aside_and_leaves_the_indexes_as_they_would_have(backend_store, monkeypatch):
    monkeypatch.setattr(bulk_index, "BULK_ROWS", 5)
    sqlite = backend_store.engine.dialect.name == "sqlite"
    before = triggers(backend_store) if sqlite else []
    sent = statements_of(backend_store, lambda: apply_features(backend_store, "lots", new_lots(8), BOARD, confirm=True))
    assert any("DROP TRIGGER" in s for s in sent) == sqlite
    small = statements_of(backend_store, lambda: apply_features(backend_store, "lots", new_lots(2, start=40), BOARD, confirm=True))
    assert not any("DROP TRIGGER" in s for s in small)
    if sqlite:
        assert triggers(backend_store) == before
        with backend_store.engine.connect() as conn:
            boxes = conn.execute(text("SELECT id, minx, maxx, miny, maxy FROM rtree_lots ORDER BY id")).all()
            stored = conn.execute(text("SELECT id, minx, maxx, miny, maxy FROM lots ORDER BY id")).all()
        # the R*Tree holds 32-bit floats, rounded outwards: each stored box lies within its entry
        assert [b[0] for b in boxes] == [s[0] for s in stored]
        assert all(b[1] <= s[1] and b[2] >= s[2] and b[3] <= s[3] and b[4] >= s[4] for b, s in zip(boxes, stored))
    for i in (0, 7, 41):
        found = backend_store.read_layer("lots", bbox=tuple(mbox(20 * i + 5, 405, 20 * i + 6, 406).bounds))
        assert set(found["code"]) == {f"B{i}"}
    assert search_codes(backend_store, "lots", "cong ty so 7", 10) == ["B7"]
    assert search_codes(backend_store, "lots", "cong ty so", 20) == sorted([f"B{i}" for i in range(8)] + ["B40", "B41"])


def test_the_triggers_keep_working_after_a_large_insert(backend_store, monkeypatch):
    monkeypatch.setattr(bulk_index, "BULK_ROWS", 5)
    apply_features(backend_store, "lots", new_lots(6), BOARD, confirm=True)
    edit_feature(backend_store, "lots", "B3", {"tenant": "Kho Lạnh Mới"}, BOARD)
    assert search_codes(backend_store, "lots", "kho lanh moi", 5) == ["B3"]
    assert search_codes(backend_store, "lots", "cong ty so 3", 5) == []
    table = schema.layer_tables["lots"]
    with backend_store.engine.connect() as conn:
        assert conn.execute(select(table.c.code).where(table.c.code.like("B%")).order_by(table.c.code)).scalars().all() == [f"B{i}" for i in range(6)]


def test_a_refused_large_insert_leaves_the_triggers_in_place(store_factory, monkeypatch):
    """The triggers are dropped in the write transaction: a write that fails after them rolls their drop back."""
    monkeypatch.setattr(bulk_index, "BULK_ROWS", 5)
    store = store_factory()
    before = triggers(store)
    with pytest.raises(RuntimeError), store.writing() as conn, bulk_index.inserting(conn, schema.layer_tables["lots"], 10):
        raise RuntimeError("the import fails half-way")
    assert triggers(store) == before


def test_a_full_recompute_replaces_the_conflicts_r_tree_in_one_statement(backend_store, monkeypatch):
    sqlite = backend_store.engine.dialect.name == "sqlite"
    before = triggers(backend_store) if sqlite else []
    apply_features(backend_store, "lots", [Edit("L2", {}, geometry=mbox(150, 0, 350, 100))], BOARD, confirm=True)  # over L1
    monkeypatch.setattr(conflict_rows, "REWRITE_ABOVE", 0)  # every stored conflict differs: all rewritten
    with backend_store.writing() as conn:
        conn.execute(schema.conflicts.update().values(description="cũ"))
    sent = statements_of(backend_store, backend_store.recompute_conflicts)
    assert any("DROP TRIGGER" in s for s in sent) == sqlite
    found = backend_store.read_conflicts()
    assert len(found) == backend_store.conflict_count() > 0
    box = tuple(found.geometry.iloc[0].bounds)
    assert found["id"].iloc[0] in set(backend_store.read_conflicts(bbox=box)["id"])
    if sqlite:
        assert triggers(backend_store) == before
        with backend_store.engine.connect() as conn:
            boxes = conn.execute(text("SELECT id FROM rtree_conflicts ORDER BY id")).scalars().all()
            rows = conn.execute(text("SELECT rowid FROM conflicts ORDER BY rowid")).scalars().all()
        assert boxes == rows


def test_a_bulk_load_of_many_rows_fills_the_indexes_as_the_triggers_would(backend_store, monkeypatch, tmp_path):
    """``Store.write_layers`` (the sample, the benchmarks' databases) inserts a large layer as an import does."""
    from mapapp.layers import LAYERS
    from mapapp.sources.validate import validate
    from tests import builders

    monkeypatch.setattr(bulk_index, "BULK_ROWS", 5)
    sqlite = backend_store.engine.dialect.name == "sqlite"
    before = triggers(backend_store) if sqlite else []
    features = [({"code": f"W{i}", "zone_code": "Z1", "land_use": "factory", "status": "available", "tenant": f"Xưởng Mới {i}"},
                 builders.mbox(20 * i, 600, 20 * i + 15, 615)) for i in range(7)]
    path = builders.write_geojson(tmp_path / "w.geojson", features)
    from mapapp.sources.reader import read_geodata

    frame = validate(LAYERS["lots"], read_geodata(path), backend_store.codes("zones"))
    sent = statements_of(backend_store, lambda: backend_store.write_layers({"lots": frame}))
    assert any("DROP TRIGGER" in s for s in sent) == sqlite
    if sqlite:
        assert triggers(backend_store) == before
    for i in (0, 6):
        found = backend_store.read_layer("lots", bbox=tuple(mbox(20 * i + 5, 605, 20 * i + 6, 606).bounds))
        assert set(found["code"]) == {f"W{i}"}
    assert search_codes(backend_store, "lots", "xuong moi", 20) == sorted(f"W{i}" for i in range(7))
    stored = backend_store.read_layer("lots").set_index("code")
    assert stored.at["W3", "tenant"] == "Xưởng Mới 3" and int(stored.at["W3", "version"]) == 1
