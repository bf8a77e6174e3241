"""Inserting many rows (mapapp.store.many_rows): the database holds what SQLAlchemy's own insert writes."""
from __future__ import annotations

import numpy as np
import pytest
import shapely
from sqlalchemy import delete, insert, select

from mapapp.store import many_rows, schema


def entries(count: int, change_id: str) -> list[dict]:
    """Audit rows with JSON of every kind (dicts, None, lists, non-ASCII text) and missing values."""
    return [{"change_id": change_id, "at": "2026-11-30T00:00:00+00:00", "actor": "importer", "via": "import", "source": None,
             "action": "insert", "layer": "lots", "code": f"L{i}", "before": None if i % 2 else {"status": "leased", "n": i / 3},
             "after": {"tenant": "Công ty Ấ", "price": [1.5, None]}, "warnings": ["ngoài khu"] if i % 3 == 0 else None,
             "reverts": None if i % 5 else i} for i in range(count)]


def stored(store, change_id: str) -> list[tuple]:
    table = schema.audit_log
    columns = [c for c in table.c if c.name not in ("id", "change_id")]
    with store.engine.connect() as conn:
        return conn.execute(select(*columns).where(table.c.change_id == change_id).order_by(table.c.id)).all()


def test_insert_rows_stores_what_sqlalchemy_stores(backend_store):
    count = many_rows.MANY + 5
    with backend_store.writing() as conn:
        conn.execute(insert(schema.audit_log), entries(count, "by-sqlalchemy"))
        many_rows.insert_rows(conn, schema.audit_log, entries(count, "by-columns"))
    assert stored(backend_store, "by-columns") == stored(backend_store, "by-sqlalchemy")
    if backend_store.engine.dialect.name == "sqlite":  # the very text, not only its decoded value
        with backend_store.engine.connect() as conn:
            texts = {cid: conn.exec_driver_sql("SELECT before, after, warnings FROM audit_log WHERE change_id = ? ORDER BY id",
                                               (cid,)).all() for cid in ("by-columns", "by-sqlalchemy")}
        assert texts["by-columns"] == texts["by-sqlalchemy"]
    with backend_store.writing() as conn:
        conn.execute(delete(schema.audit_log).where(schema.audit_log.c.change_id.in_(["by-columns", "by-sqlalchemy"])))


def test_raw_columns_are_for_sqlite_only(backend_store):
    rows = entries(3, "raw")
    with backend_store.writing() as conn:
        if conn.dialect.name == "sqlite":
            many_rows.insert_rows(conn, schema.audit_log, [{**r, "before": '{"a": 1}'} for r in rows], raw=("before",))
        else:
            with pytest.raises(ValueError):
                many_rows.insert_rows(conn, schema.audit_log, rows, raw=("before",))
            return
    assert {r.before["a"] for r in stored(backend_store, "raw")} == {1}


def conflict_columns(count: int, prefix: str) -> dict[str, list]:
    """Conflict rows column by column: WKB blobs, JSON lists, missing floats."""
    boxes = [shapely.box(105 + i * 1e-3, 9.6, 105.0005 + i * 1e-3, 9.6005) for i in range(count)]
    return {"id": [f"{prefix}{i}" for i in range(count)], "type": ["overlap"] * count, "codes": [[f"L{i}", "P1"] for i in range(count)],
            "layers": [["lots", "clearance"]] * count, "zone_code": [None if i % 4 else "Z1" for i in range(count)],
            "area_m2": [None if i % 3 else i / 7 for i in range(count)], "length_m": [None] * count, "severity": ["warning"] * count,
            "description": ["Lô chồng thửa"] * count, "description_en": ["Lot over parcel"] * count,
            "geom": list(shapely.to_wkb(np.asarray(boxes, dtype=object))), "minx": [b.bounds[0] for b in boxes],
            "miny": [b.bounds[1] for b in boxes], "maxx": [b.bounds[2] for b in boxes], "maxy": [b.bounds[3] for b in boxes]}


def test_insert_columns_stores_what_sqlalchemy_stores(backend_store):
    count = many_rows.MANY + 5
    table = schema.conflicts
    by_sqlalchemy, by_columns = conflict_columns(count, "a"), conflict_columns(count, "b")
    with backend_store.writing() as conn:
        conn.execute(table.delete())
        conn.execute(insert(table), [dict(zip(by_sqlalchemy, values)) for values in zip(*by_sqlalchemy.values())])
        many_rows.insert_columns(conn, table, by_columns)
    with backend_store.engine.connect() as conn:
        rows = {p: [(r[0][1:], *r[1:]) for r in conn.execute(select(table).where(table.c.id.like(f"{p}%")).order_by(table.c.minx)).all()]
                for p in "ab"}
        if conn.dialect.name == "sqlite":  # WKB as a BLOB, as SQLAlchemy's LargeBinary writes it
            assert conn.exec_driver_sql("SELECT DISTINCT typeof(geom) FROM conflicts").scalars().all() == ["blob"]
    assert rows["b"] == rows["a"] and len(rows["a"]) == count
    with backend_store.writing() as conn:
        conn.execute(table.delete())
