"""Spatial indexes (mapapp.store.spatial, migration 0002) and the stored metric geometry (migration 0003),
on SQLite (R*Tree) and on PostGIS (MAPAPP_TEST_POSTGRES)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
import sqlalchemy as sa
from alembic import command
from sqlalchemy import event

from mapapp import create_app
from mapapp.analysis.conflicts import find_conflicts
from mapapp.analysis.measure import METRIC_CRS, to_metric
from mapapp.changes import Actor, Edit
from mapapp.changes.features import apply_features
from mapapp.errors import MapappError
from mapapp.layers import LAYERS
from mapapp.sources.validate import validate
from mapapp.store import migrate, schema, spatial, zone_reads
from mapapp.store.backend import Store
from mapapp.store.records import geometry_rows, layer_records
from tests import builders
from tests.conftest import empty_database, statements_sent

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic import province  # noqa: E402

PG_URL = os.environ.get("MAPAPP_TEST_POSTGRES")
NEEDS_PG = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="no PostgreSQL: set MAPAPP_TEST_POSTGRES")]
BACKENDS = ["sqlite", pytest.param("postgres", marks=NEEDS_PG)]
SPATIAL_TABLES = [*schema.layer_tables.values(), schema.conflicts]
ACTOR = Actor("kiểm thử", "cli")
N = 1500


# -- fixtures ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def synthetic() -> dict:
    """A seeded synthetic province (bench/synthetic.py), validated as an import would."""
    data = province(N, seed=12)
    frames = {name: data[name][[c for c in data[name].columns if c in LAYERS[name].field_names or c == "geometry"]]
              for name in ("zones", "lots", "clearance", "projects")}
    zones = set(frames["zones"]["code"])
    return {name: validate(LAYERS[name], frame, zones) for name, frame in frames.items()}


def _new_store(backend: str, folder: Path) -> Store:
    store = Store(f"sqlite:///{folder / 'spatial.sqlite'}" if backend == "sqlite" else PG_URL)
    empty_database(store.engine)
    return store


@pytest.fixture(scope="module", params=BACKENDS)
def province_store(request, synthetic, tmp_path_factory):
    """The synthetic province stored once per backend (reads only: tests must not write to it)."""
    store = _new_store(request.param, tmp_path_factory.mktemp("province"))
    store.init_schema()
    store.write_layers(synthetic)
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    yield store
    empty_database(store.engine)
    store.engine.dispose()


@pytest.fixture(params=BACKENDS)
def empty_store(request, tmp_path):
    store = _new_store(request.param, tmp_path)
    yield store
    empty_database(store.engine)
    store.engine.dispose()


def boxes(frame, seed: int = 3, count: int = 6) -> list[tuple[float, float, float, float]]:
    """Views of about 1.2 x 0.8 km around random features, one exactly a feature's bounds (neighbours touch it),
    and one over open ground (between zones: nothing or little)."""
    rng = np.random.default_rng(seed)
    geoms = frame.geometry.to_numpy()
    out = []
    for i in rng.choice(len(geoms), count, replace=False):
        c = shapely.centroid(geoms[i])
        out.append((c.x - 0.006, c.y - 0.0035, c.x + 0.006, c.y + 0.0035))
    out.append(tuple(shapely.bounds(geoms[int(rng.integers(len(geoms)))])))
    x0, y0, _, _ = shapely.total_bounds(geoms)
    out.append((x0 - 0.01, y0 - 0.01, x0 - 0.001, y0 - 0.001))
    return out


def brute_force(frame, bbox) -> list[str]:
    """Codes whose geometry intersects ``bbox``, by shapely over the whole frame, in code order."""
    return sorted(frame["code"][shapely.intersects(frame.geometry.to_numpy(), shapely.box(*bbox))])


def plan(store: Store, statement: str, parameters) -> str:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            return "\n".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
        return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters))


def index_mismatches(store: Store) -> list[str]:
    """Where the spatial index disagrees with the rows (empty: it agrees).

    SQLite: every row has its R*Tree entry, no other entry exists, and each entry's box holds the
    row's stored box, rounded outwards to 32-bit floats at most. PostGIS: every ``geom_pg`` is the
    row's WKB in EPSG:4326.
    """
    problems = []
    with store.engine.connect() as conn:
        for table in SPATIAL_TABLES:
            key = "rowid" if table.name == "conflicts" else "id"
            if store.engine.dialect.name == "sqlite":
                rows = {r[0]: r[1:] for r in conn.exec_driver_sql(f"SELECT {key}, minx, maxx, miny, maxy FROM {table.name}")}
                entries = {r[0]: r[1:] for r in conn.exec_driver_sql(f"SELECT id, minx, maxx, miny, maxy FROM rtree_{table.name}")}
                if set(rows) != set(entries):
                    problems.append(f"{table.name}: keys {sorted(set(rows) ^ set(entries))[:5]} in one only")
                for k in set(rows) & set(entries):
                    (minx, maxx, miny, maxy), (rminx, rmaxx, rminy, rmaxy) = rows[k], entries[k]
                    holds = rminx <= minx and rminy <= miny and rmaxx >= maxx and rmaxy >= maxy
                    close = max(minx - rminx, miny - rminy, rmaxx - maxx, rmaxy - maxy) < 2e-5
                    if not (holds and close):
                        problems.append(f"{table.name} {k}: entry {entries[k]} for box {rows[k]}")
            else:
                bad = conn.exec_driver_sql(
                    f"SELECT count(*) FROM {table.name} WHERE geom_pg IS NULL OR ST_SRID(geom_pg) <> 4326 "
                    "OR NOT ST_Equals(geom_pg, ST_SetSRID(ST_GeomFromWKB(geom), 4326)) "
                    "OR ST_XMin(geom_pg) <> minx OR ST_YMax(geom_pg) <> maxy").scalar_one()
                if bad:
                    problems.append(f"{table.name}: {bad} rows whose geom_pg is not their geom")
    return problems


# -- bbox reads ----------------------------------------------------------------------------
def test_bbox_reads_equal_a_brute_force_shapely_filter(province_store, synthetic):
    lots = synthetic["lots"]
    views = boxes(lots)
    found_any = False
    for bbox in views:
        expected = brute_force(lots, bbox)
        found_any |= bool(expected)
        assert list(province_store.read_layer("lots", bbox=bbox)["code"]) == expected, bbox
        assert list(province_store.read_layer("lots", bbox=bbox, fields_only=True)["code"]) == expected, bbox
        page, matched = province_store.read_page("lots", bbox=bbox, limit=7, offset=3)
        assert matched == len(expected) == province_store.count("lots", bbox=bbox)
        assert list(page["code"]) == expected[3:10]
    assert found_any
    parcels = synthetic["clearance"]
    for bbox in boxes(parcels, seed=4, count=3):
        assert list(province_store.read_layer("clearance", bbox=bbox)["code"]) == brute_force(parcels, bbox)


def test_conflicts_by_bbox_equal_a_brute_force_filter(province_store, synthetic):
    everything = province_store.read_conflicts()
    assert len(everything) > 20
    for bbox in boxes(synthetic["lots"], seed=5):
        expected = set(everything["id"][shapely.intersects(everything.geometry.to_numpy(), shapely.box(*bbox))])
        got = province_store.read_conflicts(bbox=bbox)
        assert set(got["id"]) == expected, bbox
        assert list(got["id"]) == list(everything["id"][everything["id"].isin(expected)])  # same order: type, id


def test_bbox_reads_use_the_spatial_index(province_store, synthetic):
    bbox = boxes(synthetic["lots"])[0]
    def near():
        with province_store.engine.connect() as conn:
            zone_reads.zones_near(conn, bbox)

    reads = [
        ("lots", lambda: province_store.read_layer("lots", bbox=bbox)),
        ("clearance", lambda: province_store.read_page("clearance", bbox=bbox, limit=10)),
        ("conflicts", lambda: province_store.read_conflicts(bbox=bbox)),
        ("zones", near),  # the zones whose clearance figures a lots view needs
        ("clearance", near),
    ]
    for table, read in reads:
        statements = [(s, p) for s, p in statements_sent(province_store, read) if f"FROM {table}" in s]
        assert statements, table
        for statement, parameters in statements:
            text = plan(province_store, statement, parameters)
            if province_store.engine.dialect.name == "sqlite":
                assert f"SCAN rtree_{table} VIRTUAL TABLE" in text, text
                assert f"SCAN {table}" not in text, text  # never a walk over the table or its code index
            else:
                assert f"gix_{table}_geom_pg" in text, text
                assert f"Seq Scan on {table}" not in text, text


def test_a_filter_by_several_boxes_keeps_the_rows_whose_box_meets_one(province_store, synthetic):
    lots = synthetic["lots"]
    views = boxes(lots, seed=8, count=5)
    table = schema.layer_tables["lots"]
    dialect = province_store.engine.dialect.name
    with province_store.engine.connect() as conn:
        got = set(conn.execute(sa.select(table.c.code).where(spatial.boxes_filter(table, views, dialect))).scalars())
        nothing = conn.execute(sa.select(table.c.code).where(spatial.boxes_filter(table, [], dialect))).all()
    bounds = lots.geometry.bounds
    meets = np.zeros(len(lots), dtype=bool)
    for x0, y0, x1, y1 in views:
        meets |= ((bounds["maxx"] >= x0) & (bounds["minx"] <= x1) & (bounds["maxy"] >= y0) & (bounds["miny"] <= y1)).to_numpy()
    # candidates by box: every lot whose box meets a view, and on SQLite at most the R*Tree's rounding more
    assert set(lots["code"][meets]) <= got
    assert len(got - set(lots["code"][meets])) <= len(got) // 10
    assert got and nothing == []


def test_an_edit_reads_its_surroundings_and_stored_conflicts_through_the_spatial_index(province_store, synthetic):
    lot = synthetic["lots"].iloc[len(synthetic["lots"]) // 3]

    class Undo(Exception):
        """Leaves the module's store as it was: the write transaction rolls back."""

    def edit():
        with pytest.raises(Undo), province_store.writing() as conn:
            province_store.update_conflicts(conn, {"lots": [lot["code"]]})
            raise Undo

    statements = [(s, p) for s, p in statements_sent(province_store, edit)
                  if any(f"FROM {t} " in s + " " for t in ("lots", "clearance", "projects", "conflicts")) and ("rtree_" in s or "geom_pg" in s)]
    tables = {t for s, _ in statements for t in ("lots", "clearance", "projects", "conflicts") if f"FROM {t} " in s + " "}
    assert {"lots", "clearance", "conflicts"} <= tables, tables
    for statement, parameters in statements:
        text = plan(province_store, statement, parameters)
        for table in tables - {"projects"}:  # a handful of projects: PostgreSQL rightly scans them
            if f"FROM {table} " not in statement + " ":
                continue
            if province_store.engine.dialect.name == "sqlite":
                assert f"SCAN {table}" not in text, text  # by the R*Tree, never a walk over the table
            else:
                assert f"Seq Scan on {table}" not in text, text


def test_an_ogc_page_and_its_count_walk_the_active_codes_index(province_store, monkeypatch):
    from mapapp.store import lot_sql

    client = create_app({"database": province_store.url}).test_client()
    seen: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    # a plain page is read in plain SQL on the DB-API cursor (mapapp.store.lot_sql), unseen by SQLAlchemy's events
    run = lot_sql._run

    def recorded(conn, sql, params):
        seen.append((sql, tuple(params)))
        return run(conn, sql, params)

    monkeypatch.setattr(lot_sql, "_run", recorded)
    event.listen(sa.engine.Engine, "before_cursor_execute", listen)  # the app's own engine
    try:
        assert client.get("/ogc/collections/lots/items?limit=10&offset=700").status_code == 200
    finally:
        event.remove(sa.engine.Engine, "before_cursor_execute", listen)
    statements = [(s, p) for s, p in seen if "FROM lots" in s]
    # the walk of the codes (the count and a mark every code_walk.STEP codes: store/code_walk), the page's first
    # code from the mark before it (codes only: store/page_marks) and the page
    assert len(statements) == 3
    for statement, parameters in statements:
        assert "geom_type IN" not in statement  # every lot is a polygon: the kind is no condition
        if province_store.engine.dialect.name == "sqlite":  # (PostgreSQL may well scan 1,500 rows)
            text = plan(province_store, statement, parameters)
            # the codes are read from the index alone (migration 0012), the page reads its rows too
            used = "USING INDEX" if "JOIN" in statement else "USING COVERING INDEX"
            assert f"{used} ix_lots_active_code" in text, text
            assert "SCAN lots\n" not in text + "\n", text


def test_zones_near_a_box_hold_every_zone_whose_land_or_parcels_meet_it(province_store, synthetic):
    zones, parcels = synthetic["zones"], synthetic["clearance"]
    for bbox in boxes(synthetic["lots"], seed=6):
        box = shapely.box(*bbox)
        meeting = set(zones["code"][shapely.intersects(zones.geometry.to_numpy(), box)])
        meeting |= set(parcels["zone_code"][shapely.intersects(parcels.geometry.to_numpy(), box)])
        with province_store.engine.connect() as conn:
            near = zone_reads.zones_near(conn, bbox)
        assert meeting <= near, bbox
        if province_store.engine.dialect.name == "postgresql":  # cut by the geometry itself
            assert near == meeting, bbox


def test_a_bbox_read_inside_a_write_transaction(province_store, synthetic):
    # what incremental conflicts do: read the surroundings of a change on the writer's connection
    bbox = boxes(synthetic["lots"])[0]
    with province_store.engine.connect() as conn:
        frame = province_store.read_layer("lots", bbox=bbox, conn=conn, fields_only=True)
    assert list(frame["code"]) == brute_force(synthetic["lots"], bbox)
    assert list(frame.columns) == [*LAYERS["lots"].field_names, "geometry"]


# -- metric geometry -----------------------------------------------------------------------
def test_metric_reads_give_the_stored_metres_of_each_feature(province_store):
    wgs84 = province_store.read_layer("lots", fields_only=True)
    metric = province_store.read_layer("lots", fields_only=True, metric=True)
    assert metric.crs == METRIC_CRS and list(metric["code"]) == list(wgs84["code"])
    expected = shapely.to_wkb(to_metric(wgs84.geometry.to_numpy()))
    assert list(shapely.to_wkb(metric.geometry.to_numpy())) == list(expected)
    bbox = tuple(wgs84.geometry.iloc[10].bounds)
    cut = province_store.read_layer("lots", bbox=bbox, fields_only=True, metric=True)
    assert list(cut["code"]) == list(province_store.read_layer("lots", bbox=bbox)["code"]) and len(cut) > 1
    assert cut.crs == METRIC_CRS


def test_stored_conflicts_equal_an_analysis_of_wgs84_reads(province_store):
    # the store's recompute reads metric geometry; reprojecting WGS84 reads gives the very same conflicts
    reads = {name: province_store.read_layer(name, fields_only=True) for name in ("zones", "lots", "clearance", "projects")}
    expected = find_conflicts(*reads.values())
    stored = province_store.read_conflicts().sort_values("id").reset_index(drop=True)
    expected = expected.sort_values("id").reset_index(drop=True)
    assert list(stored["id"]) == list(expected["id"])
    assert np.allclose(stored["area_m2"].astype(float).fillna(-1), expected["area_m2"].astype(float).fillna(-1), rtol=0, atol=1e-6)
    assert shapely.equals_exact(stored.geometry.to_numpy(), expected.geometry.to_numpy(), tolerance=1e-12).all()


def test_rows_without_metric_geometry_get_it_computed(empty_store):
    empty_store.init_schema()
    empty_store.write_layers({"zones": _layer("zones", builders.zones_features()), "lots": _layer("lots", builders.lots_features())})
    table = schema.layer_tables["lots"]
    with empty_store.engine.begin() as conn:  # as a writer that knows nothing of geom_m would leave it
        conn.execute(sa.update(table).where(table.c.code == "L2").values(geom_m=None))
    metric = empty_store.read_layer("lots", metric=True).set_index("code")
    wgs84 = empty_store.read_layer("lots").set_index("code")
    assert metric.loc["L2", "geometry"].equals_exact(to_metric([wgs84.loc["L2", "geometry"]])[0], 0)
    empty_store.init_schema()  # and a start fills it in the database
    with empty_store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(table.c.geom_m.is_(None))).scalar_one() == 0


def _frame(features):
    import geopandas as gpd

    return gpd.GeoDataFrame([p for p, _ in features], geometry=[g for _, g in features], crs="EPSG:4326")


def _layer(layer: str, features) -> object:
    """Features as the bulk loader takes them (validated as an import does)."""
    return validate(LAYERS[layer], _frame(features), {"Z1", "Z2"})


# -- the index kept current by every write -------------------------------------------------------
def test_the_index_follows_every_write(backend_store):
    store = backend_store
    assert index_mismatches(store) == []
    far = builders.mbox(5000, 5000, 5100, 5080)
    far_view = tuple(far.buffer(1e-5).bounds)
    home_view = tuple(builders.mbox(10, 10, 20, 20).bounds)

    def in_view(bbox) -> set[str]:
        return set(store.read_layer("lots", bbox=bbox, include_retired=True)["code"])

    # an insert, through the one write path
    apply_features(store, "lots", [Edit("L7", {"zone_code": "Z1", "land_use": "factory", "status": "available"},
                                        geometry=builders.mbox(600, 0, 700, 100))], ACTOR, confirm=True)
    assert index_mismatches(store) == [] and "L7" in in_view(tuple(builders.mbox(650, 50, 651, 51).bounds))
    # a move: found at its new place only
    apply_features(store, "lots", [Edit("L1", {}, geometry=far)], ACTOR, confirm=True)
    assert index_mismatches(store) == []
    assert "L1" in in_view(far_view) and "L1" not in in_view(home_view)
    # retire and restore: kept in the index, hidden from plain reads while retired
    apply_features(store, "lots", [], ACTOR, retire_codes=["L1"], confirm=True)
    assert index_mismatches(store) == []
    assert "L1" in in_view(far_view) and "L1" not in set(store.read_layer("lots", bbox=far_view)["code"])
    apply_features(store, "lots", [Edit("L1", {"status": "leased"})], ACTOR, confirm=True)
    assert index_mismatches(store) == [] and "L1" in set(store.read_layer("lots", bbox=far_view)["code"])
    # the bulk loader, its replace and a reset
    store.write_layers({"lots": _layer("lots", [(p, builders.mbox(3000, 3000, 3100, 3100)) if p["code"] == "L2" else (p, g)
                                        for p, g in builders.lots_features()])}, replace=True)
    assert index_mismatches(store) == []
    assert "L2" in in_view(tuple(builders.mbox(3050, 3050, 3051, 3051).bounds))
    store.write_layers({"zones": _layer("zones", builders.zones_features())}, reset=True)
    assert index_mismatches(store) == [] and store.counts(include_retired=True)["lots"] == 0


def test_the_conflicts_index_follows_recomputes(backend_store, tmp_path):
    store = backend_store
    overlap = builders.mbox(150, 0, 250, 100)
    view = tuple(builders.mbox(200, 40, 201, 41).bounds)
    assert "lot_overlap" not in set(store.read_conflicts(bbox=view)["type"])
    apply_features(store, "lots", [Edit("L9", {"zone_code": "Z1", "land_use": "factory", "status": "leased"},
                                        geometry=overlap)], ACTOR, confirm=True)
    assert index_mismatches(store) == []
    assert {tuple(c) for c in store.read_conflicts(bbox=view, type_="lot_overlap")["codes"]} == {("L1", "L9"), ("L2", "L9")}
    apply_features(store, "lots", [], ACTOR, retire_codes=["L9"], confirm=True)
    assert index_mismatches(store) == [] and store.read_conflicts(bbox=view, type_="lot_overlap").empty


# -- migrations ------------------------------------------------------------------------------
def test_migrating_a_0001_database_with_rows_fills_the_index_and_the_metric_geometry(empty_store):
    engine = empty_store.engine
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0001_baseline")
    geoms = np.array([g for _, g in builders.lots_features()], dtype=object)
    geo = {k: v for k, v in geometry_rows(geoms).items() if k != "geom_m"}  # 0001 has no geom_m
    zones = np.array([g for _, g in builders.zones_features()], dtype=object)
    zone_geo = {k: v for k, v in geometry_rows(zones).items() if k != "geom_m"}
    with engine.begin() as conn:
        baseline = sa.MetaData()
        baseline.reflect(conn, only=["zones", "lots"])
        conn.execute(sa.insert(baseline.tables["zones"]), [
            {**r, "version": 1} for r in layer_records(_layer("zones", builders.zones_features()), LAYERS["zones"].field_names, zone_geo, "zones")])
        conn.execute(sa.insert(baseline.tables["lots"]), [
            {**r, "version": 1} for r in layer_records(_layer("lots", builders.lots_features()), LAYERS["lots"].field_names, geo, "lots")])
    empty_store.init_schema()
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        lots = schema.layer_tables["lots"]
        stored = dict(conn.execute(sa.select(lots.c.code, lots.c.geom_m)).all())
    assert index_mismatches(empty_store) == []
    expected = dict(zip([p["code"] for p, _ in builders.lots_features()], shapely.to_wkb(to_metric(geoms))))
    assert {k: bytes(v) for k, v in stored.items()} == expected
    bbox = tuple(builders.mbox(250, 50, 260, 60).bounds)
    assert list(empty_store.read_layer("lots", bbox=bbox)["code"]) == ["L2"]


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="no PostgreSQL: set MAPAPP_TEST_POSTGRES")
def test_postgresql_without_postgis_is_refused_with_what_to_do():
    from sqlalchemy.engine import make_url

    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"mapapp_nopostgis_{os.getpid()}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')  # template1 has PostGIS
    store = Store(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    try:
        with pytest.raises(MapappError) as refused:
            store.init_schema()
        message = str(refused.value)
        assert "\n" not in message and "PostGIS" in message and "CREATE EXTENSION postgis" in message
        with store.engine.connect() as conn:  # nothing half-done
            assert "lots" not in sa.inspect(conn).get_table_names()
    finally:
        store.engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_spatial_objects_are_left_out_of_the_drift_check():
    assert not migrate.include_object(None, "rtree_lots_node", "table", True, None)
    assert not migrate.include_object(None, spatial.PG_COLUMN, "column", True, None)
    assert not migrate.include_object(None, "gix_lots_geom_pg", "index", True, None)
    assert migrate.include_object(None, "lots", "table", True, None)
    assert migrate.include_object(None, "geom_m", "column", True, None)
