"""Per-layer data versions: renewed by the writes that touch the layer, read in one query."""
from __future__ import annotations

from sqlalchemy import delete

from mapapp.changes.model import Actor
from mapapp.edits import edit_feature
from mapapp.store import schema, versions

WEB = Actor("planner1", "api")


def all_versions(store) -> dict[str, str]:
    return {layer: store.layer_version(layer)[0] for layer in ("zones", "lots", "clearance", "projects")}


def test_an_edit_renews_its_layer_only_and_a_bulk_write_every_layer(backend_store):
    before, data = all_versions(backend_store), backend_store.get_meta("data_version")
    edit_feature(backend_store, "lots", "L2", {"status": "reserved"}, WEB, confirm=True)
    after = all_versions(backend_store)
    assert after["lots"] != before["lots"] and backend_store.get_meta("data_version") != data
    assert {k: v for k, v in after.items() if k != "lots"} == {k: v for k, v in before.items() if k != "lots"}
    assert after["lots"] == backend_store.get_meta("data_version")
    backend_store.write_layers({}, meta={"note": "x"})
    renewed = all_versions(backend_store)
    assert all(renewed[k] != after[k] for k in renewed) and len(set(renewed.values())) == 1


def test_a_database_without_layer_versions_falls_back_to_the_data_version(backend_store):
    with backend_store.writing() as conn:
        conn.execute(delete(schema.meta).where(schema.meta.c.key.like("data_version:%")))
    version, meta = backend_store.layer_version("lots", also=("as_of", "data_changed_at"))
    assert version == backend_store.get_meta("data_version")
    assert set(meta) == {"data_changed_at"} and versions.key("lots") == "data_version:lots"
