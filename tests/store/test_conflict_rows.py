"""A full recompute writes only the conflicts that changed (mapapp.store.conflict_rows), on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import delete, insert, update

from mapapp.store import conflict_rows, schema
from tests.conftest import data_snapshot, statements_sent
from tests.helpers import gc_passes
from tests.store.test_conflict_sync import assert_as_full_run

TABLE = schema.conflicts


def conflict_writes(store, work) -> list[str]:
    """The statements ``work()`` sends that write to the conflicts table (or its R*Tree)."""
    return [sql for sql, _ in statements_sent(store, work)
            if "conflicts" in sql and sql.lstrip().split()[0].upper() in ("INSERT", "DELETE", "UPDATE", "DROP", "CREATE")]


def without_stamp(snapshot: dict[str, list]) -> dict[str, list]:
    return {**snapshot, "meta": [row for row in snapshot["meta"] if "conflicts_computed_at" not in row]}


def test_a_recompute_that_changes_nothing_writes_nothing(sample_store):
    before = data_snapshot(sample_store)
    assert conflict_writes(sample_store, sample_store.recompute_conflicts) == []
    assert without_stamp(data_snapshot(sample_store)) == without_stamp(before)  # conflicts, audit, data versions as they were
    assert_as_full_run(sample_store)


def test_only_the_conflicts_that_differ_are_written(sample_store):
    ids = sorted(sample_store.read_conflicts()["id"])
    changed, lost = ids[0], ids[1]
    with sample_store.writing() as conn:
        conn.execute(update(TABLE).where(TABLE.c.id == changed).values(description="sai"))
        conn.execute(delete(TABLE).where(TABLE.c.id == lost))
        row = conn.execute(TABLE.select().where(TABLE.c.id == ids[2])).mappings().one()
        conn.execute(insert(TABLE).values({**row, "id": "lot_overlap:X:Y"}))
    with sample_store.writing() as conn:
        found = sample_store.read_conflicts()  # stored now, as a stand-in for a finding: the same columns
        assert conflict_rows.replace_conflicts(conn, found) == (0, 0)
        assert conflict_rows.replace_conflicts(conn, found.iloc[1:]) == (1, 0)
        assert conflict_rows.replace_conflicts(conn, found) == (0, 1)
    writes = conflict_writes(sample_store, sample_store.recompute_conflicts)
    assert [sql.lstrip().split()[0].upper() for sql in writes] == ["DELETE", "INSERT"]  # one of each, of two rows each
    assert_as_full_run(sample_store)
    assert len(sample_store.read_conflicts()) == len(ids)


def test_many_changed_conflicts_are_rewritten_whole_and_found_by_box(sample_store, monkeypatch):
    monkeypatch.setattr(conflict_rows, "REWRITE_ABOVE", 1)
    with sample_store.writing() as conn:
        conn.execute(update(TABLE).values(description="sai"))
    sample_store.recompute_conflicts()
    assert_as_full_run(sample_store)
    some = sample_store.read_conflicts().iloc[0]
    minx, miny, maxx, maxy = some.geometry.bounds
    assert some["id"] in set(sample_store.read_conflicts(bbox=(minx, miny, maxx, maxy))["id"])  # the spatial index has it


def test_plain_values_with_none_for_every_missing_one():
    import numpy as np
    import pandas as pd

    text = pd.Series(["a", None, np.nan, "b"], dtype=object)
    assert conflict_rows._plain(text) == ["a", None, None, "b"]
    assert conflict_rows._plain(pd.Series([1.5, np.nan])) == [1.5, None]
    assert conflict_rows._plain(pd.Series(["x", "y"])) == ["x", "y"]
    assert text.isna().tolist() == [False, True, True, False]  # the frame's own values left alone


def test_no_garbage_collection_pass_while_found_and_stored_conflicts_are_compared(sample_store):
    import pandas as pd

    one = sample_store.read_conflicts()
    many = pd.concat([one.assign(id=one["id"] + f"#{k}") for k in range(3000 // len(one) + 1)], ignore_index=True)
    with sample_store.writing() as conn:
        conflict_rows.replace_conflicts(conn, many)
    with gc_passes() as passes, sample_store.writing() as conn:
        assert conflict_rows.replace_conflicts(conn, many) == (0, 0)
    assert len(passes) <= 1  # the one as collection resumes
