"""Search through the index (mapapp.store.search_index): the same answers as a scan of the folded text."""
from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event, select

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor
from mapapp.edits import edit_feature
from mapapp.store import schema
from mapapp.store.search_index import INDEXED_LAYERS, MIN_INDEXED, is_index_object
from tests.conftest import statements_sent
from tests.helpers import search_codes, search_hits

WEB = Actor("planner1", "api")


def scanned(store, layer: str, query: str, limit: int, staff: bool) -> list[str]:
    """The answer of a scan: active codes whose folded text contains ``query``, in code order."""
    table = schema.layer_tables[layer]
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.code, table.c.search_text, table.c.search_personal, table.c.retired_at)).all()
    hits = [code for code, text, personal, retired in rows
            if retired is None and (query in (text or "") or (staff and query in (personal or "")))]
    return sorted(hits)[:limit]


def queries_of(store) -> list[str]:
    """Substrings of every stored text (2 to 7 characters, from several places), words found nowhere, wildcards."""
    found = set()
    for layer in INDEXED_LAYERS:
        table = schema.layer_tables[layer]
        with store.engine.connect() as conn:
            for text, personal in conn.execute(select(table.c.search_text, table.c.search_personal)):
                for source in (text or "", personal or ""):
                    for start in range(0, max(len(source) - 1, 1), 3):
                        for size in (2, 3, 4, 7):
                            if start + size <= len(source):
                                found.add(source[start : start + size])
    return sorted(found) + ["khong co dau", "zz", "%%", "__", "a_b", '"', 'ty "a', "l1 ", "\\"]


@pytest.mark.parametrize("staff", [False, True])
def test_search_answers_as_a_scan_of_the_folded_text(backend_store, staff):
    edit_feature(backend_store, "lots", "L2", {"tenant": "Công ty 100% \"Vàng_Bạc\""}, WEB)
    apply_features(backend_store, "lots", [], WEB, retire_codes=["L3"], confirm=True)
    queries = queries_of(backend_store) + ["100%", "% \"vang_bac", "ang_b"]
    assert any(len(q) < MIN_INDEXED for q in queries) and any(len(q) >= MIN_INDEXED for q in queries)
    for layer in INDEXED_LAYERS:
        for query in queries:
            for limit in (1, 50):
                got = search_codes(backend_store, layer, query, limit, staff=staff)
                assert got == scanned(backend_store, layer, query, limit, staff), (layer, query, limit)


def test_personal_fields_are_searched_for_staff_only(backend_store):
    assert search_codes(backend_store, "clearance", "nguyen van a", 10, staff=True) == ["P1"]
    assert search_codes(backend_store, "clearance", "nguyen van a", 10, staff=False) == []
    (hit,) = search_hits(backend_store, "clearance", "p1", 10, staff=False)
    assert hit[0] == "P1" and hit[1] is None  # no owner read: nothing labels the parcel


def test_the_index_follows_edits_and_retirements(backend_store):
    assert search_codes(backend_store, "lots", "kho hau", 10) == ["L3"]
    edit_feature(backend_store, "lots", "L3", {"tenant": "Công ty Mới"}, WEB)
    assert search_codes(backend_store, "lots", "kho hau", 10) == []
    assert search_codes(backend_store, "lots", "cong ty moi", 10) == ["L3"]
    apply_features(backend_store, "lots", [], WEB, retire_codes=["L3"], confirm=True)
    assert search_codes(backend_store, "lots", "cong ty moi", 10) == []


@contextlib.contextmanager
def statements(engine):
    """The SELECT statements (text, parameters) ``engine`` runs meanwhile."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def plans_of(store, query: str, staff: bool = False) -> list[str]:
    """The plans the backend makes for each statement ``search_index.hits`` runs on the lots."""
    with statements(store.engine) as seen:
        search_hits(store, "lots", query, 20, staff=staff)
    plans = []
    with store.engine.connect() as conn:
        for statement, parameters in seen:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET enable_seqscan = off")  # the tiny test layer would be scanned anyway
                plans.append("\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters)))
            else:
                plans.append("\n".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)))
    return plans


def test_the_search_is_answered_from_the_index(backend_store):
    for staff in (False, True):
        lookup, page = plans_of(backend_store, "kho hau", staff)
        if backend_store.engine.dialect.name == "sqlite":
            assert "SCAN lots_search VIRTUAL TABLE" in lookup
        else:
            assert "ix_lots_search_text_joined_trgm" in lookup
            assert ("ix_lots_search_personal_joined_trgm" in lookup) == staff
        assert "SCAN lots" not in page and "Seq Scan" not in page and "uq_lots_code" not in page


@pytest.mark.parametrize("staff", [False, True])
def test_a_miss_is_answered_by_the_index_alone(backend_store, staff):
    for layer in INDEXED_LAYERS:
        seen = statements_sent(backend_store, lambda: search_hits(backend_store, layer, "khong co dau", 20, staff=staff))
        selects = [statement for statement, _ in seen if statement.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 1 and "ORDER BY" not in selects[0].upper(), (layer, selects)  # no page is read
        assert search_hits(backend_store, layer, "khong co dau", 20, staff=staff) == []


def index_rows(store, statement: str, parameters) -> list[int]:
    """PostgreSQL: the rows each index scan of ``statement`` hands on (EXPLAIN ANALYZE), sequential scans off."""
    def walk(node):
        yield node
        for child in node.get("Plans", []):
            yield from walk(child)

    with store.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        (plan,) = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
    return [node["Actual Rows"] for node in walk(plan["Plan"]) if "Index Scan" in node["Node Type"]]


@pytest.mark.parametrize("staff", [False, True])
def test_words_found_apart_but_not_together_are_a_miss_in_the_index(backend_store, staff):
    # every word of the query is in L3's "kho hau giang", not the phrase: the index alone says no
    seen = statements_sent(backend_store, lambda: search_hits(backend_store, "lots", "giang kho", 20, staff=staff))
    selects = [(statement, parameters) for statement, parameters in seen if statement.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and search_codes(backend_store, "lots", "giang kho", 20, staff=staff) == []
    if backend_store.engine.dialect.name == "postgresql":
        rows = index_rows(backend_store, *selects[0])
        assert rows and not any(rows), rows  # no candidate row to recheck


def test_common_and_short_queries_walk_the_codes_with_a_like(backend_store, monkeypatch):
    from mapapp.store import search_index

    monkeypatch.setattr(search_index, "DENSE", 1)
    # (query, staff, index lookups, page answered by a LIKE or None: no page): dense hits, too short, a miss
    for query, staff, lookups, like in (("ho ", True, 1, True), ("p1", False, 0, True), ("ong", False, 1, None)):
        with statements(backend_store.engine) as seen:
            got = search_codes(backend_store, "clearance", query, 5, staff=staff)
        assert got == scanned(backend_store, "clearance", query, 5, staff)
        assert len(seen) == lookups + (like is not None), (query, seen)
        assert like is None or ("LIKE" in seen[-1][0].upper()) == like, (query, seen)
    assert got == []  # 'ong' is in an owner's name only, and the viewer is not staff


def test_the_index_objects_are_known_to_the_drift_check():
    assert is_index_object("table", "lots_search") and is_index_object("table", "lots_search_data")
    assert is_index_object("index", "ix_lots_search_text_trgm")
    assert not is_index_object("table", "lots") and not is_index_object("index", "ix_lots_zone")
