"""Inserting many rows (mapapp.store.many_rows): the database holds what SQLAlchemy's own insert writes."""
from __future__ import annotations

import pytest
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
