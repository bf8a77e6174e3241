"""Fixtures: every test gets its own temporary SQLite database."""
from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# The tests never write into the developer's instance folder (uploads, saved mappings, the secret key): the
# session has one of its own (each xdist worker too), set before mapapp reads it, and inherited by the servers
# and command lines the tests start.
os.environ["MAPAPP_INSTANCE"] = tempfile.mkdtemp(prefix="mapapp-instance-")
atexit.register(shutil.rmtree, os.environ["MAPAPP_INSTANCE"], True)

from mapapp import create_app  # noqa: E402
from mapapp.sources.importer import import_file  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402
from tests import builders, templates

# the server URL and name of the PostgreSQL database made for this xdist worker
WORKER_DATABASE = pytest.StashKey[tuple[str, str]]()


def pytest_configure(config):
    """Under pytest-xdist (``make test`` runs ``-n auto``), each worker gets a PostgreSQL database of its own,
    made from ``template1`` (where PostGIS and pg_trgm are: .ci/ensure-postgres) and dropped at the end: the
    PostgreSQL tests empty and refill their tables, so two workers must never share one."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("MAPAPP_TEST_POSTGRES")
    if not worker or not url:
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template1')
    admin.dispose()
    os.environ["MAPAPP_TEST_POSTGRES"] = base.set(database=name).render_as_string(hide_password=False)
    config.stash[WORKER_DATABASE] = (url, name)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """With ``MAPAPP_DATES_FILES`` set (``make test``), write there the test files holding tests marked ``dates``, one
    a line: the shifted-clock runs after the suite (``.ci/dates-at-three-hours``) collect those files only, not
    the whole suite three more times. Under xdist the first worker writes it (each worker collects everything)."""
    target = os.environ.get("MAPAPP_DATES_FILES")
    if not target or os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0":
        return
    root = Path(str(config.rootpath))
    found = sorted({Path(str(item.path)).relative_to(root).as_posix() for item in items if item.get_closest_marker("dates")})
    partial = Path(target + ".partial")
    partial.write_text("".join(f"{name}\n" for name in found), encoding="utf-8")
    partial.replace(target)


def pytest_unconfigure(config):
    made = config.stash.get(WORKER_DATABASE, None)
    if made is None:
        return
    import atexit

    from sqlalchemy import create_engine

    atexit.unregister(templates.drop_at_exit)  # the snapshots go with the database
    admin = create_engine(made[0], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{made[1]}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def store(request, tmp_path, db_url) -> Store:
    """A migrated SQLite store of the test's own; already holding the hand-built dataset when the test asks
    for ``loaded_store`` (both copied from the session's templates, :mod:`tests.templates`)."""
    path, loaded = tmp_path / "test.sqlite", "loaded_store" in request.fixturenames
    made_here = not path.exists()  # else another fixture (``app``) made it first
    if made_here:
        templates.copy_sqlite("files", hand_built, path) if loaded else templates.copy_sqlite("empty", None, path)
    s = Store(db_url)
    s.init_schema()
    if loaded and not made_here:
        load_files(_template_files(tmp_path))(s)
    return s


def _template_files(folder: Path) -> dict[str, Path]:
    return {
        "zones": builders.write_geojson(folder / "zones.geojson", builders.zones_features()),
        "lots": builders.write_geojson(folder / "lots.geojson", builders.lots_features()),
        "clearance": builders.write_geojson(folder / "clearance.geojson", builders.clearance_features()),
        "projects": builders.write_geojson(folder / "projects.geojson", builders.projects_features()),
    }


def hand_built(store: Store) -> None:
    """A loader for :func:`store_on` and :mod:`tests.templates`: the hand-built dataset of :mod:`tests.builders`, imported layer by layer."""
    with tempfile.TemporaryDirectory() as folder:
        load_files(_template_files(Path(folder)))(store)


hand_built.template_kind = "files"


@pytest.fixture
def files(tmp_path):
    """The hand-built dataset written as one GeoJSON file per layer."""
    return _template_files(tmp_path)


@pytest.fixture
def loaded_store(store, files) -> Store:
    """The hand-built dataset of ``files``, imported layer by layer (the ``store`` fixture copied the session's
    database made so: :mod:`tests.templates`)."""
    return store


@pytest.fixture
def app(tmp_path, db_url):
    path = tmp_path / "test.sqlite"
    if not path.exists():
        templates.copy_sqlite("empty", None, path)
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


PASSWORD = "mật khẩu đủ dài 2026"


@pytest.fixture
def make_user():
    """Add a staff user to a store; returns a fresh API token for them."""
    from mapapp.auth.accounts import add_user, new_token

    def make(store, name: str, role: str, password: str = PASSWORD) -> str:
        add_user(store, name, role, password)
        return new_token(store, name)

    return make


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def sign_in(client, name: str, password: str = PASSWORD):
    """Sign a test client in through the real form (CSRF token included); returns the response."""
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token})


def csrf_of(client, path: str = "/") -> str:
    """The CSRF token a signed-in page carries (meta tag)."""
    import re

    page = client.get(path).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def empty_database(engine) -> None:
    """Drop every table of a PostgreSQL test database (mapapp's, Alembic's; not PostGIS's own),
    so that the next ``init_schema`` migrates from nothing. SQLite tests use fresh files instead."""
    from sqlalchemy import inspect, text

    if engine.dialect.name != "postgresql":
        return
    keep = {"spatial_ref_sys"}
    with engine.begin() as conn:
        for name in inspect(conn).get_table_names():
            if name not in keep:
                conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


NO_POSTGRES = "no PostgreSQL: set MAPAPP_TEST_POSTGRES (make test starts one via .ci/ensure-postgres)"


@contextlib.contextmanager
def store_on(backend: str, tmp_path, load=None) -> Iterator[Store]:
    """A fresh, migrated store on ``sqlite`` (a file under ``tmp_path``) or ``postgres`` (the emptied
    database of ``MAPAPP_TEST_POSTGRES``; the test is skipped without it), filled by ``load(store)``."""
    kind = templates.kind_of(load)
    if backend == "sqlite":
        path = tmp_path / "store.sqlite"
        if kind is not None:
            templates.copy_sqlite(kind, load, path)
        store = Store(f"sqlite:///{path}")
    else:
        url = os.environ.get("MAPAPP_TEST_POSTGRES")
        if not url:
            pytest.skip(NO_POSTGRES)
        store = Store(url)
        if kind is not None:
            templates.fill_postgres(store, kind, load, empty_database)
        else:
            empty_database(store.engine)
    try:
        if kind is None or backend == "sqlite":
            store.init_schema()
        if kind is None and load is not None:
            load(store)
        yield store
    finally:
        if kind is None:
            empty_database(store.engine)
        store.engine.dispose()


def load_files(files):
    """A loader for :func:`store_on`: the hand-built dataset of the ``files`` fixture."""
    def load(store: Store) -> None:
        for layer in ("zones", "lots", "clearance", "projects"):
            import_file(store, layer, files[layer])
    load.template_kind = "files"  # tests.templates makes it once per session
    return load


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_store(request, tmp_path, files):
    """The hand-built dataset on SQLite and on the PostgreSQL `make test` starts (skipped without it)."""
    with store_on(request.param, tmp_path, load_files(files)) as store:
        yield store


@pytest.fixture
def backend_app(backend_store):
    return create_app({"database": backend_store.url})


@pytest.fixture(autouse=True)
def _fresh_sign_in_limits():
    """The lock-out counts failed sign-ins per address and name: each test starts with none."""
    yield
    from mapapp.auth.web import limiter

    try:
        limiter.reset()
    except Exception:  # not initialised in tests that built no app
        pass


def data_snapshot(store) -> dict[str, list]:
    """Every row of every table (the audit log and users included), in a stable order: what a refused change
    must leave as it was. The clearance figures readers keep (``zone_figure_rows`` and the paces in ``meta``,
    :mod:`mapapp.store.figure_rows`; ``zone_figure_parts``, :mod:`mapapp.store.figure_parts`) are a cache of the
    records, not data, so they are left out, as are the lots' readiness rows (``lot_readiness``, :mod:`mapapp.store.lot_rows`)."""
    from sqlalchemy import select

    from mapapp.store import figure_rows, schema

    out = {}
    with store.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            if table in (schema.zone_figure_rows, schema.zone_figure_parts, schema.lot_readiness):
                continue
            query = select(table)
            if table is schema.meta:
                query = query.where(schema.meta.c.key != figure_rows.PACES_KEY)
            out[table.name] = sorted(repr(tuple(r)) for r in conn.execute(query).all())
    return out


def statements_sent(store, work) -> list[tuple[str, object]]:
    """The SQL statements (and parameters) ``work()`` sends through ``store``'s engine, in order."""
    from sqlalchemy import event

    seen: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", listen)
    try:
        work()
    finally:
        event.remove(store.engine, "before_cursor_execute", listen)
    return seen


def collections_during(work, inside: tuple[str, ...]) -> tuple[int, int]:
    """(cyclic garbage collections while ``work()`` runs, those of them started inside a function whose qualified
    name is one of ``inside``).

    The collector is made to run at every chance it has (threshold 1) for the call, so a stretch of code
    that leaves it enabled is seen to collect."""
    import gc
    import sys

    seen = [0, 0]

    def watch(phase, info):
        if phase != "start":
            return
        seen[0] += 1
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_qualname in inside:
                seen[1] += 1
                return
            frame = frame.f_back

    old = gc.get_threshold()
    gc.callbacks.append(watch)
    gc.set_threshold(1)
    try:
        work()
    finally:
        gc.set_threshold(*old)
        gc.callbacks.remove(watch)
    return seen[0], seen[1]


@contextlib.contextmanager
def writer_holding_the_lock(store) -> Iterator[None]:
    """A writer in another thread holds ``store``'s write transaction open while the block runs (SQLite: the
    database's write lock), then lets it go."""
    import threading

    from mapapp.store import schema
    from mapapp.store.db import write_transaction

    held, release = threading.Event(), threading.Event()

    def writer():
        with write_transaction(store.engine) as conn:
            conn.execute(schema.meta.insert().values(key="held", value="1"))
            held.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(10)
        yield
    finally:
        release.set()
        thread.join(10)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sample_store(request, tmp_path):
    """The bundled sample (parcels with step records, complaints and status history) on SQLite and on the
    PostgreSQL of ``MAPAPP_TEST_POSTGRES`` (skipped without it); no zone figures nor lot readiness kept in process
    memory before or after (:func:`mapapp.queries.zone_figures.forget`, :func:`mapapp.queries.lot_readiness.forget`)."""
    from mapapp.queries import lot_readiness, zone_figures
    from mapapp.sources.sample import load_sample

    zone_figures.forget()
    lot_readiness.forget()
    with store_on(request.param, tmp_path, load_sample) as store:
        yield store
    zone_figures.forget()
    lot_readiness.forget()
