"""Store.read_page / count, which /ogc pages with: on SQLite, and on PostgreSQL when MAPAPP_TEST_POSTGRES is set."""
from __future__ import annotations

import json

import pytest
import shapely

from mapapp import create_app

@pytest.fixture
def paged(backend_store):
    """The hand-built dataset in a fresh store of each backend."""
    return backend_store


def codes(frame) -> list[str]:
    return list(frame["code"])


def test_pages_in_code_order_with_the_total(paged):
    first, matched = paged.read_page("lots", limit=2)
    second, again = paged.read_page("lots", limit=2, offset=2)
    assert (codes(first), codes(second), matched, again) == (["L1", "L2"], ["L3"], 3, 3)
    assert not {"search_text", "search_personal"} & set(first.columns)
    assert first.crs.to_epsg() == 4326 and first.geometry.is_valid.all()


def test_conditions(paged):
    where = ("and", [("=", "status", "available"), (">", "area_m2", 15_000.0)])
    assert codes(paged.read_page("lots", where=where)[0]) == ["L2"]
    assert codes(paged.read_page("lots", where=("or", [("isnull", "price_usd_m2"), ("like", "code", "L2")]))[0]) == ["L1", "L2", "L3"]
    assert codes(paged.read_page("lots", where=("not", ("in", "status", ["leased", "reserved"])))[0]) == ["L2"]
    assert paged.count("lots", where=("in", "geom_type", ["LineString"])) == 0
    assert paged.count("projects", where=("in", "geom_type", ["LineString", "MultiLineString"])) == 1


def test_bbox_is_cut_by_the_geometry_and_counted_exactly(paged):
    lots = paged.read_layer("lots").set_index("code")
    page, matched = paged.read_page("lots", bbox=lots.loc["L3"].geometry.bounds, limit=10)
    assert codes(page) == ["L3"] and matched == 1
    assert paged.read_page("lots", bbox=lots.loc["L3"].geometry.bounds, limit=10, offset=1)[0].empty
    road = paged.read_layer("projects").geometry.iloc[0]
    x0, y0, x1, y1 = road.bounds
    corner = next(c for c in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)) if not road.intersects(shapely.Point(c).buffer(1e-6)))
    box = shapely.Point(corner).buffer(1e-7).bounds
    assert shapely.box(*box).intersects(shapely.box(x0, y0, x1, y1)) and not road.intersects(shapely.box(*box))
    page, matched = paged.read_page("projects", bbox=box)
    assert page.empty and matched == 0, "the box meets the bounding box, not the road"


def test_dates(paged):
    assert paged.count("projects", dates=("2018-06-01", "2018-06-01")) == 1
    assert paged.count("projects", dates=("2019-01-01", None)) == 0
    assert paged.count("lots", dates=("1900-01-01", "1900-01-01")) == 3


def test_unknown_column_is_a_key_error(paged):
    with pytest.raises(KeyError):
        paged.read_page("lots", where=("=", "colour", "red"))


def test_ogc_items_on_each_backend(paged):
    client = create_app({"database": paged.url}).test_client()

    def ids(query: str) -> list[str]:
        response = client.get(f"/ogc/collections/{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return [f["id"] for f in json.loads(response.get_data(as_text=True))["features"]]

    assert ids("lots/items?filter=status='available' AND area_ha>1.5") == ["L2"]
    assert ids("lots/items?limit=1&offset=1") == ["L2"]
    assert ids("projects-lines/items?datetime=2018-06-01") == ["R1"]
    assert ids("projects-lines/items?datetime=2019-01-01/..") == []
    bounds = paged.read_layer("lots").set_index("code").loc["L3"].geometry.bounds
    assert ids(f"lots/items?bbox={','.join(map(str, bounds))}") == ["L3"]


def test_a_page_reads_only_what_its_viewer_is_shown(paged):
    """The public's page does not read the internal columns nor who changed a feature (staff only): the
    answer is the same as before, without reading them."""
    from tests.conftest import statements_sent

    from mapapp.queries import lot_view

    app = create_app({"database": paged.url})
    client = app.test_client()
    responses = []
    # a page with a condition: read through SQLAlchemy, whose statements are seen here
    sent = statements_sent(app.extensions["mapapp.store"], lambda: responses.append(
        client.get("/ogc/collections/lots/items?f=json&filter=status<>'none'")))
    assert responses[0].status_code == 200 and len(json.loads(responses[0].get_data(as_text=True))["features"]) == 3
    page = [s for s, _ in sent if "lots.geom" in s and "ORDER BY" in s]
    hidden = ("minx", "maxy", "geom_type", "changed_by", "id")
    assert page and not any(f"lots.{c}" in s for s in page for c in ("minx", "maxy", "geom_type", "changed_by", "id "))
    # a plain page is written from plain rows (mapapp.queries.lot_pages) of the columns read_columns names
    assert not set(hidden) & set(lot_view.read_columns(staff=False)) and "changed_by" in lot_view.read_columns(staff=True)


def test_a_querys_count_is_kept_until_a_write_changes_the_layer(paged):
    from sqlalchemy import event

    from mapapp.changes.features import apply_features
    from mapapp.changes.model import Actor, Edit

    counts: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if "count(" in statement.lower():
            counts.append(statement)

    event.listen(paged.engine, "before_cursor_execute", listen)
    try:
        assert paged.read_page("lots", limit=1)[1] == 3
        assert paged.read_page("lots", limit=1, offset=1)[1] == 3
        assert len(counts) == 1  # the second page reused the count of the same data version
        apply_features(paged, "lots", [Edit("L1", {"tenant": "Công ty mới"})], Actor("kiểm thử", "cli"), confirm=True)
        counts.clear()
        assert paged.read_page("lots", limit=1)[1] == 3
        assert len(counts) == 1  # the write gave the layer a new version: counted again
        assert paged.read_page("lots", where=("=", "status", "available"), limit=1)[1] == paged.count("lots", where=("=", "status", "available"))
        assert len(counts) == 2  # a query with a condition is counted once per data version too
        assert paged.count("lots", where=("=", "status", "leased")) == 1 and len(counts) == 3  # another condition: counted
    finally:
        event.remove(paged.engine, "before_cursor_execute", listen)


def test_a_page_starts_from_the_last_page_read_not_the_first_row(paged):
    """After a page, the next one is read from the code it ended on (``code >=``, one row stepped over),
    not by stepping over every earlier row (``OFFSET k`` made SQLite look up each skipped row); a jump far
    from any page read finds its first code reading codes only."""
    from tests.conftest import statements_sent

    def reading(offset: int, limit: int, where=None) -> tuple[list[str], list[str]]:
        got = []
        sent = statements_sent(paged, lambda: got.append(paged.read_page("lots", where=where, limit=limit, offset=offset)))
        return codes(got[0][0]), [" ".join(str(s).split()) + " " + str(p) for s, p in sent if "ORDER BY" in s]

    assert reading(0, 2)[0] == ["L1", "L2"]
    page, sent = reading(2, 1)
    assert page == ["L3"] and len(sent) == 1
    assert "lots.code >=" in sent[0] and "'L2'" in sent[0], "started from the last code of the page before"
    anything = ("<>", "code", "none")
    assert reading(0, 1, anything)[0] == ["L1"]
    page, sent = reading(2, 1, anything)
    assert page == ["L3"] and len(sent) == 2
    assert sent[0].startswith("SELECT lots.code FROM lots") and "'L1'" in sent[0], "codes only, from the page read"
    assert "lots.geom" in sent[1] and "'L3'" in sent[1]


def test_pages_after_a_write_are_those_of_the_new_data(paged):
    """Remembered starts and counts are kept per the layer's data version: an edit that moves a lot into a
    filtered query shifts the pages, and no page is read from a start remembered before it."""
    from mapapp.changes.model import Actor
    from mapapp.edits import edit_feature

    available = ("=", "status", "available")
    assert [codes(paged.read_page("lots", where=available, limit=1, offset=k)[0]) for k in (0, 1)] == [["L2"], []]
    edit_feature(paged, "lots", "L1", {"status": "available"}, Actor("planner1", "api"), confirm=True)
    pages = [paged.read_page("lots", where=available, limit=1, offset=k) for k in (0, 1, 2)]
    assert [codes(p) for p, _ in pages] == [["L1"], ["L2"], []] and {m for _, m in pages} == {2}
