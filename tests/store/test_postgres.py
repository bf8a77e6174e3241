"""The same store on a real PostgreSQL server (started by .ci/ensure-postgres in `make test`)."""
import os

import pytest

from mapapp import create_app
from mapapp.errors import ImportRefused
from mapapp.sources.importer import import_file
from tests import builders
from tests.conftest import data_snapshot
from tests.conftest import load_files, store_on

PG_URL = os.environ.get("MAPAPP_TEST_POSTGRES")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="no PostgreSQL: set MAPAPP_TEST_POSTGRES (make test starts one via .ci/ensure-postgres)"),
]


@pytest.fixture
def pg_store(files, tmp_path):
    with store_on("postgres", tmp_path, load_files(files)) as store:
        yield store


def test_layers_round_trip_with_metric_areas(pg_store):
    assert pg_store.counts() == {"boundaries": 0, "zones": 2, "lots": 3, "clearance": 2, "projects": 1}
    lots = pg_store.read_layer("lots").set_index("code")
    assert lots.loc["L1", "area_m2"] == pytest.approx(20_000, rel=1e-4)
    assert lots.loc["L1", "tenant"] == "Công ty A&B <Việt>"


def test_refused_import_leaves_postgres_unchanged(pg_store, tmp_path):
    before = data_snapshot(pg_store)
    bad = builders.write_geojson(
        tmp_path / "bad.geojson",
        [({"code": "N1", "zone_code": "Z1", "land_use": "factory", "status": "available"}, builders.mbox(600, 0, 700, 100)),
         ({"code": "N1", "zone_code": "Z1", "land_use": "factory", "status": "available"}, builders.mbox(700, 0, 800, 100))],
    )
    with pytest.raises(ImportRefused, match="duplicate code"):
        import_file(pg_store, "lots", bad)
    assert data_snapshot(pg_store) == before


def test_conflicts_recomputed_on_postgres(pg_store, tmp_path):
    overlapping = [({"code": "L9", "zone_code": "Z1", "land_use": "factory", "status": "leased"}, builders.mbox(150, 0, 250, 100))]
    import_file(pg_store, "lots", builders.write_geojson(tmp_path / "l9.geojson", overlapping))
    found = pg_store.read_conflicts(type_="lot_overlap")
    assert sorted(tuple(c) for c in found["codes"]) == [("L1", "L9"), ("L2", "L9")]


def test_api_on_postgres(pg_store):
    client = create_app({"database": PG_URL}).test_client()
    doc = client.get("/api/layers/lots?status=leased").get_json(force=True)
    assert [f["id"] for f in doc["features"]] == ["L1"]
