"""Fixtures: every test gets its own temporary SQLite database."""
from __future__ import annotations

import pytest

from mapapp import create_app
from mapapp.sources.importer import import_file
from mapapp.store.backend import Store
from tests import builders


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def store(db_url) -> Store:
    s = Store(db_url)
    s.init_schema()
    return s


@pytest.fixture
def files(tmp_path):
    """The hand-built dataset written as one GeoJSON file per layer."""
    return {
        "zones": builders.write_geojson(tmp_path / "zones.geojson", builders.zones_features()),
        "lots": builders.write_geojson(tmp_path / "lots.geojson", builders.lots_features()),
        "clearance": builders.write_geojson(tmp_path / "clearance.geojson", builders.clearance_features()),
        "projects": builders.write_geojson(tmp_path / "projects.geojson", builders.projects_features()),
    }


@pytest.fixture
def loaded_store(store, files) -> Store:
    for layer in ("zones", "lots", "clearance", "projects"):
        import_file(store, layer, files[layer])
    return store


@pytest.fixture
def app(db_url):
    return create_app({"database": db_url})


@pytest.fixture
def loaded_app(loaded_store, db_url):
    return create_app({"database": db_url})


@pytest.fixture
def client(loaded_app):
    return loaded_app.test_client()


@pytest.fixture
def store_factory(tmp_path):
    """More empty stores in the same test (e.g. to re-import an export)."""
    counter = iter(range(1000))

    def make() -> Store:
        s = Store(f"sqlite:///{tmp_path / f'other{next(counter)}.sqlite'}")
        s.init_schema()
        return s

    return make
