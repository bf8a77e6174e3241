"""The test databases copied from the session's templates (tests/templates.py) hold what migrating and loading
each time gives: the same rows, with data versions of their own."""
from __future__ import annotations

import os
import re

import pytest

from mapapp.sources.sample import load_sample
from tests.conftest import data_snapshot, load_files, store_on

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
# written with the time of the write (the template's was made earlier in the session) or random per write
VARYING_META = ("data_changed_at", "data_version", "figures_epoch", "figures_steps")


# a row's time of writing (valid_from, the audit's time): the template's rows were written earlier in the session
WRITTEN_AT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")

# a write's random id (the audit's change id)
RANDOM_ID = re.compile(r"'[0-9a-f]{32}'")


def _comparable(snapshot: dict[str, list]) -> dict[str, list]:
    out = {table: sorted(RANDOM_ID.sub("<id>", WRITTEN_AT.sub("<time>", r)) for r in rows) for table, rows in snapshot.items()}
    out["meta"] = [r for r in out["meta"] if not any(r.startswith(f"('{k}") for k in VARYING_META)
                   and not r.startswith("('zone_figures:")]
    return out


def _loader(name: str, files):
    return {"empty": None, "files": load_files(files), "sample": load_sample}[name]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["empty", "files", "sample"])
def test_a_copied_store_holds_what_migrating_and_loading_gives(backend, name, tmp_path, files):
    load = _loader(name, files)

    def each_time(store):  # no template kind: migrated and loaded here, as before templates
        if load is not None:
            load(store)

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with store_on(backend, tmp_path / "a", each_time) as fresh:
        expected = data_snapshot(fresh)
    with store_on(backend, tmp_path / "b", load) as copied:
        got = data_snapshot(copied)
    assert name == "empty" or len(expected["lots"]) > 0
    assert _comparable(got) == _comparable(expected)


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_copy_has_data_versions_of_its_own(backend, tmp_path, files):
    from sqlalchemy import select

    from mapapp.store import schema

    seen = []
    for k in range(2):
        (tmp_path / str(k)).mkdir()
        with store_on(backend, tmp_path / str(k), load_files(files)) as store, store.engine.connect() as conn:
            meta = dict(conn.execute(select(schema.meta.c.key, schema.meta.c.value)).all())
            seen.append(({k: v for k, v in meta.items() if k.startswith(("data_version", "zone_figures:", "figures_"))},
                         store.counts()["lots"]))
    (first, lots_first), (second, lots_second) = seen
    assert "data_version" in first and first.keys() == second.keys()
    assert all(first[k] != second[k] for k in first if k != "figures_paces")
    assert lots_first == lots_second == 3


def test_the_store_fixture_is_migrated_and_empty(store, tmp_path):
    from mapapp.store.backend import Store
    from tests.templates import copy_sqlite

    assert set(store.counts().values()) == {0}
    with pytest.raises(ValueError, match="without a loader"):
        copy_sqlite("empty", load_sample, tmp_path / "x.sqlite")
    fresh = Store(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    fresh.init_schema()
    assert _comparable(data_snapshot(store)) == _comparable(data_snapshot(fresh))


def test_loaded_store_holds_the_hand_built_dataset(loaded_store):
    assert loaded_store.counts() == {"boundaries": 0, "zones": 2, "lots": 3, "clearance": 2, "projects": 1}


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("PYTEST_XDIST_WORKER") or not os.environ.get("MAPAPP_TEST_POSTGRES"),
                    reason="only under pytest-xdist with PostgreSQL (make test)")
def test_each_xdist_worker_has_a_postgresql_database_of_its_own():
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = os.environ["MAPAPP_TEST_POSTGRES"]
    worker = os.environ["PYTEST_XDIST_WORKER"]
    assert make_url(url).database.endswith(f"_{worker}")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_database()")).scalar() == make_url(url).database
            assert conn.execute(text("SELECT count(*) FROM pg_extension WHERE extname IN ('postgis', 'pg_trgm')")).scalar() == 2
    finally:
        engine.dispose()
