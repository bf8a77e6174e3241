"""Zone summaries kept on write (mapapp.store.summaries) equal the figures computed from every lot."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select, update

from mapapp.analysis.zones import zone_summary, zone_summary_of
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.edits import edit_feature
from mapapp.sources.importer import import_file
from mapapp.store import schema
from tests import builders

WEB = Actor("planner1", "api")


def from_every_lot(store) -> pd.DataFrame:
    """Today's figures the old way: every active lot and every conflict read and summed in pandas."""
    return zone_summary(
        store.attributes("lots", ["zone_code", "status", "land_use", "area_m2"]),
        store.attributes("conflicts", ["zone_code", "type"]),
    )


def assert_kept_equal(store) -> None:
    kept = zone_summary_of(*store.zone_totals())
    expected = from_every_lot(store)
    assert not expected.empty
    pd.testing.assert_frame_equal(kept.sort_index(), expected.sort_index(), check_exact=True, check_index_type=False)
    assert [list(v) for v in kept.sort_index()["conflicts"]] == [list(v) for v in expected.sort_index()["conflicts"]]


def test_summaries_equal_the_figures_from_every_lot_after_a_load(backend_store):
    assert_kept_equal(backend_store)


def test_summaries_follow_edits_moves_retirements_restorations_and_additions(backend_store):
    store = backend_store
    edit_feature(store, "lots", "L2", {"status": "leased", "tenant": "Công ty Mới"}, WEB)
    assert_kept_equal(store)
    edit_feature(store, "lots", "L1", {"land_use": "green"}, WEB, confirm=True)
    assert_kept_equal(store)
    # a lot moved to another zone leaves the first zone's figures and joins the second's
    edit_feature(store, "lots", "L3", {"zone_code": "Z2"}, WEB, confirm=True)
    assert_kept_equal(store)
    assert "Z2" in zone_summary_of(*store.zone_totals()).index
    apply_features(store, "lots", [], WEB, retire_codes=["L3"], confirm=True)
    assert_kept_equal(store)
    assert "Z2" not in zone_summary_of(*store.zone_totals()).index
    edit_feature(store, "lots", "L3", {"status": "available"}, WEB, confirm=True)  # an edit of a retired lot restores it
    assert_kept_equal(store)
    added = Edit("L9", {"zone_code": "Z1", "land_use": "factory", "status": "reserved"},
                 geometry=builders.mbox(300, 200, 400, 300))
    apply_features(store, "lots", [added], WEB, confirm=True)
    assert_kept_equal(store)


def test_summaries_follow_imports_with_replace(backend_store, tmp_path):
    store = backend_store
    fewer = builders.write_geojson(tmp_path / "fewer.geojson", builders.lots_features()[:2])
    import_file(store, "lots", fewer, replace=True, actor=WEB, confirm=True)
    assert_kept_equal(store)
    assert zone_summary_of(*store.zone_totals()).loc["Z1", "lots_total"] == 2


def test_a_write_refreshes_only_the_zones_it_touched(backend_store):
    store = backend_store
    table = schema.zone_summaries
    with store.writing() as conn:  # a stale row of another zone, as a marker
        conn.execute(table.insert().values(zone_code="Z2", status="leased", lots=7, leasable_ha=1.5))
    edit_feature(store, "lots", "L2", {"status": "reserved"}, WEB)
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.lots).where(table.c.zone_code == "Z2")).scalars().all()
    assert rows == [7]
    with store.writing() as conn:
        conn.execute(update(table).where(table.c.zone_code == "Z1").values(lots=99))
    edit_feature(store, "lots", "L2", {"status": "available"}, WEB)
    with store.engine.connect() as conn:
        assert 99 not in conn.execute(select(table.c.lots).where(table.c.zone_code == "Z1")).scalars().all()


def test_the_zones_layer_carries_the_kept_figures(backend_store):
    from mapapp.queries.layers import layer_view

    edit_feature(backend_store, "lots", "L2", {"status": "leased", "tenant": "Công ty Mới"}, WEB)
    zones = layer_view(backend_store, "zones").set_index("code")
    expected = from_every_lot(backend_store)
    for column in ("lots_leased", "lots_total", "leased_ha", "leasable_ha", "occupancy_pct"):
        assert zones.loc["Z1", column] == expected.loc["Z1", column]
    assert zones.loc["Z1", "lots_leased"] == 2


def test_conflict_counts_are_read_from_an_index_not_the_rows(backend_store):
    """The count by zone and type that every rebuilt /api/layers/zones runs is covered by ix_conflicts_zone_type
    (migration 0011): SQLite scans the index alone, PostgreSQL has the index (its planner's choice depends on size)."""
    from sqlalchemy import event

    from mapapp.store import summaries

    store = backend_store
    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    with store.engine.connect() as conn:
        event.listen(conn, "before_cursor_execute", keep)
        summaries.read(conn)
        event.remove(conn, "before_cursor_execute", keep)
        counting = [(s, p) for s, p in seen if "GROUP BY" in s and "conflicts" in s]
        assert len(counting) == 1, seen
        statement, parameters = counting[0]
        if store.engine.dialect.name == "sqlite":
            plan = " ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "COVERING INDEX ix_conflicts_zone_type" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
        else:
            columns = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'conflicts' AND indexname = 'ix_conflicts_zone_type'"
            ).scalar_one()
            assert "(zone_code, type)" in columns, columns
