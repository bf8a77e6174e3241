"""Fixed SQL texts on the DB-API cursor (mapapp.store.raw_sql) read what the SQLAlchemy reads read, both backends."""
from __future__ import annotations

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.store import figure_versions, raw_sql
from mapapp.store.backend import Store


def test_the_figures_versions_are_those_figure_versions_reads(backend_store: Store):
    store = backend_store
    with store.engine.connect() as conn:
        assert raw_sql.figure_versions_of(conn) == figure_versions.read(conn)
    parcels = store.read_layer("clearance", fields_only=True)
    # a parcel's edit gives its zone a version of its own (a key "zone_figures:<code>" in meta)
    apply_features(store, "clearance", [Edit(parcels["code"].iloc[0], {"owner": "Nguyễn Văn Á"})], Actor("leader1", "web"),
                   confirm=True)
    with store.engine.connect() as conn:
        versions = raw_sql.figure_versions_of(conn)
        assert versions == figure_versions.read(conn)
    assert versions.zone(parcels["zone_code"].iloc[0]) is not None


def test_a_text_with_placeholders_runs_on_both_backends(backend_store: Store):
    with backend_store.engine.connect() as conn:
        assert raw_sql.run(conn, "SELECT count(*) FROM lots WHERE code = ? OR code = ?", ("no-such", "nor-this")) == [(0,)]
