"""Lots written from plain rows (mapapp.queries.lot_view, lot_pages) are, byte for byte, what the generic path
(layer_view / view_of, then the GeoJSON writer) writes: random windows and pages, public and staff, ``at``,
retired lots, extra attributes, lots with no kept readiness, with a stale one, moved lots; both backends."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
import shapely
from sqlalchemy import delete, update

from mapapp import create_app
from mapapp.analysis.measure import to_metric, to_storage
from mapapp.api.ogc.selection import unseen
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.layers import LAYERS
from mapapp.geojson import collection_json, collection_text, feature_json
from mapapp.queries import clearance as queries
from mapapp.queries import lot_pages, lot_readiness, lot_view, zone_figures
from mapapp.queries.layers import as_of, layer_view, view_of
from mapapp.store import schema
from tests.conftest import bearer

WEB = Actor("leader1", "web")
PAST = dt.date(2024, 3, 1)


def fast_view(store, bbox, at=None, staff=False, include_retired=False) -> str:
    return collection_text(lot_view.bbox_features(store, bbox, at, staff, include_retired), {"layer": "lots"})


def generic_view(store, bbox, at=None, staff=False, include_retired=False) -> str:
    return collection_json(layer_view(store, "lots", bbox=bbox, at=at, staff=staff, include_retired=include_retired),
                           extra={"layer": "lots"})


def fast_page(store, limit, offset, staff=False, include_retired=False) -> str:
    features, matched = lot_pages.page(store, limit, offset, staff, include_retired)
    return collection_text(features, {"numberMatched": matched})


def generic_page(store, limit, offset, staff=False, include_retired=False) -> str:
    frame, matched = store.read_page("lots", limit=limit, offset=offset, include_retired=include_retired, skip=unseen(staff))
    frame = view_of(store, "lots", frame, staff=staff, include_retired=include_retired)
    return collection_json(frame, id_column="code", layer="lots", staff=staff, extra={"numberMatched": matched})


def windows(store, count: int, seed: int) -> list[tuple[float, float, float, float]]:
    """Random boxes around random lots, from a corner of a lot to the whole layer and beyond."""
    rng = np.random.default_rng(seed)
    lots = store.read_layer("lots", fields_only=True, include_retired=True)
    x0, y0, x1, y1 = store.extent("lots")
    centres = shapely.centroid(lots.geometry.to_numpy())
    out = []
    for i in rng.integers(0, len(lots), count):
        half = (x1 - x0) * rng.choice([0.002, 0.02, 0.1, 0.3, 0.7])
        cx, cy = shapely.get_x(centres[i]), shapely.get_y(centres[i])
        out.append((cx - half * rng.uniform(0.5, 2), cy - half, cx + half * rng.uniform(0.5, 2), cy + half))
    return out + [(x0, y0, x1, y1), (x1 + 1, y1 + 1, x1 + 2, y1 + 2)]


def assert_same(store, boxes, ats=(None, PAST)) -> None:
    for box in boxes:
        for at in ats:
            for staff in (False, True):
                for retired in (False, True):
                    assert fast_view(store, box, at, staff, retired) == generic_view(store, box, at, staff, retired), (box, at, staff, retired)


def varied(store) -> None:
    """Extra attributes on some lots (one named like a stored field), a retired one, one whose price is unset."""
    lots = store.read_layer("lots", fields_only=True)
    codes = lots["code"].tolist()
    apply_features(store, "lots", [Edit(codes[1], {}, props={"ghi chú": "Đất \"sạch\"", "tầng": 3, "code": "X"}),
                                   Edit(codes[2], {"price_usd_m2": None}, props={"nested": {"a": [1, 2.5, None]}})],
                   WEB, confirm=True)
    apply_features(store, "lots", [], WEB, confirm=True, retire_codes=[codes[3]])


def test_bbox_views_are_the_generic_views_byte_for_byte(sample_store):
    store = sample_store
    varied(store)
    assert_same(store, windows(store, 25, seed=1))
    # a new process with nothing in memory, and no kept row at all: worked out, the same bytes
    lot_readiness.forget()
    zone_figures.forget()
    with store.engine.begin() as conn:
        conn.execute(delete(schema.lot_readiness))
    assert_same(store, windows(store, 8, seed=2))


def test_ogc_pages_are_the_generic_pages_byte_for_byte(sample_store):
    store = sample_store
    varied(store)
    n = len(store.read_layer("lots", fields_only=True, include_retired=True))
    for limit in (1, 7, 50, n + 5):
        for offset in (0, 1, 3, n // 2, n - 1, n, n + 10):
            for staff in (False, True):
                for retired in (False, True):
                    assert fast_page(store, limit, offset, staff, retired) == generic_page(store, limit, offset, staff, retired), (
                        limit, offset, staff, retired)


def kept_rows_stale(store) -> list[str]:
    """Codes of lots whose readiness the whole province's computation gives otherwise than their kept row says."""
    at = as_of(store)
    full = queries.full_figures(store, at).lots.set_index("code")
    with store.engine.connect() as conn:
        from mapapp.store import lot_rows

        kept = lot_rows.read(conn, full.index)
    return [c for c, (_, row) in kept.items() if row[0] != bool(full.at[c, "ready"]) or list(row[1]) != list(full.at[c, "missing"])]


def test_a_kept_row_made_stale_by_an_edit_or_a_moved_lot_is_not_shown(sample_store):
    store = sample_store
    at = as_of(store)
    box = store.extent("lots")
    lot_readiness.lot_figures(store, store.read_layer("lots"), at)  # every lot's readiness kept
    parcels = store.read_layer("clearance", fields_only=True)
    status = queries.full_figures(store, at).parcels.set_index("code")["status"]
    lots = store.read_layer("lots", fields_only=True)
    # an open parcel moved onto a ready lot: that lot is not ready any more, its kept row says it is
    ready = queries.full_figures(store, at).lots.set_index("code")["ready"]
    lot = lots[lots["code"].map(ready).to_numpy(dtype=bool)].iloc[0]
    i = int(np.flatnonzero(parcels["code"].map(status).to_numpy() != "cleared")[0])
    metric = to_metric(parcels.geometry.to_numpy()[i:i + 1])
    onto = shapely.centroid(to_metric(np.array([lot.geometry])))[0]
    shift = [shapely.get_x(onto) - shapely.get_x(shapely.centroid(metric[0])), shapely.get_y(onto) - shapely.get_y(shapely.centroid(metric[0]))]
    moved = to_storage(shapely.transform(metric, lambda c: c + shift))[0]
    # left to the readers, as an import's write leaves it (others keep the lots their zones reach right away)
    apply_features(store, "clearance", [Edit(parcels["code"].iloc[i], {}, geometry=moved)], WEB, confirm=True,
                   keep_figures=False)
    lot_readiness.forget()
    assert lot["code"] in kept_rows_stale(store)
    fast = fast_view(store, box)  # first, while the kept rows are stale
    assert json.loads(fast)["features"][list(lots["code"]).index(lot["code"])]["properties"]["ready"] is False
    assert fast == generic_view(store, box)
    # a lot moved: its geometry, and its readiness where it lies now
    other = lots.iloc[-1]
    shifted = to_storage(shapely.transform(to_metric(np.array([other.geometry])), lambda c: c + [60.0, -40.0]))[0]
    apply_features(store, "lots", [Edit(other["code"], {}, geometry=shifted)], WEB, confirm=True)
    lot_readiness.forget()
    fast = fast_view(store, box)
    shown = {f["id"]: f for f in json.loads(fast)["features"]}[other["code"]]
    assert shapely.equals(shapely.geometry.shape(shown["geometry"]), shifted)
    assert fast == generic_view(store, box)
    assert fast_page(store, 1000, 0) == generic_page(store, 1000, 0)


def test_a_kept_row_under_a_wrong_key_is_worked_out_again(sample_store):
    store = sample_store
    box = store.extent("lots")
    expected = fast_view(store, box)
    lot_readiness.forget()
    with store.engine.begin() as conn:  # every kept row says the opposite, under another key
        conn.execute(update(schema.lot_readiness).values(key="0" * 32, ready=~schema.lot_readiness.c.ready))
    done = lot_readiness.worked_out()
    assert fast_view(store, box) == expected == generic_view(store, box)
    assert lot_readiness.worked_out() - done == len(store.read_layer("lots", fields_only=True))


@pytest.fixture
def staff_token(sample_store, make_user):
    return make_user(sample_store, "planner1", "planner")


def test_the_routes_answer_the_generic_bytes(sample_store, staff_token):
    store = sample_store
    varied(store)
    client = create_app({"database": store.url}).test_client()
    for box in windows(store, 4, seed=3):
        query = ",".join(repr(float(v)) for v in box)
        for headers, staff in (({}, False), (bearer(staff_token), True)):
            for extra, at, retired in (("", None, False), ("&lang=en", None, False), ("&include=retired", None, True),
                                       (f"&at={PAST}", PAST, False)):
                got = client.get(f"/api/layers/lots?bbox={query}{extra}", headers=headers)
                assert got.status_code == 200, got.get_data(as_text=True)
                assert got.get_data(as_text=True) == generic_view(store, box, at, staff, retired)
    for headers, staff in (({}, False), (bearer(staff_token), True)):
        for extra, retired in (("", False), ("&include=retired", True)):
            got = client.get(f"/ogc/collections/lots/items?limit=5&offset=2{extra}", headers=headers).get_data(as_text=True)
            doc = json.loads(got)
            members = {k: doc[k] for k in ("numberMatched", "numberReturned", "timeStamp", "links")}
            frame, _ = store.read_page("lots", limit=5, offset=2, include_retired=retired, skip=unseen(staff))
            frame = view_of(store, "lots", frame, staff=staff, include_retired=retired)
            assert got == collection_json(frame, id_column="code", layer="lots", staff=staff, extra=members)


def test_a_kept_row_waiting_for_a_parcel_of_a_non_ascii_code_is_written_as_the_generic_path_does(sample_store):
    """Kept rows hold missing codes as ASCII-escaped JSON: the view writes them as the generic path does."""
    store = sample_store
    at = as_of(store)
    box = store.extent("lots")
    full = queries.full_figures(store, at)
    ready = full.lots.set_index("code")["ready"]
    status = full.parcels.set_index("code")["status"]
    lots = store.read_layer("lots", fields_only=True)
    lot = lots[lots["code"].map(ready).to_numpy(dtype=bool)].iloc[0]
    parcels = store.read_layer("clearance", fields_only=True)
    i = int(np.flatnonzero(parcels["code"].map(status).to_numpy() != "cleared")[0])
    metric = to_metric(parcels.geometry.to_numpy()[i:i + 1])
    onto = shapely.centroid(to_metric(np.array([lot.geometry])))[0]
    shift = [shapely.get_x(onto) - shapely.get_x(shapely.centroid(metric[0])), shapely.get_y(onto) - shapely.get_y(shapely.centroid(metric[0]))]
    moved = to_storage(shapely.transform(metric, lambda c: c + shift))[0]
    code = "Thửa-Đông/\"1\""
    source = parcels.iloc[i]
    values = {k: source[k] for k in LAYERS["clearance"].field_names if k != "code" and k in source and not pd.isna(source[k])}
    apply_features(store, "clearance", [Edit(code, values, geometry=moved)], WEB, confirm=True)
    first = fast_view(store, box)  # worked out, and kept
    feature = {f["id"]: f for f in json.loads(first)["features"]}[lot["code"]]
    assert code in feature["properties"]["clearance_missing"]
    lot_readiness.forget()
    done = lot_readiness.worked_out()
    assert fast_view(store, box) == first == generic_view(store, box)
    assert lot_readiness.worked_out() == done  # the second view read every lot's kept row


def generic_feature(store, code, at=None, staff=False) -> str:
    return feature_json(layer_view(store, "lots", filters={"code": code}, at=at, staff=staff, include_retired=True))


def kinds_of_lots(store) -> list[str]:
    """One lot of each kind the sample holds (zone, status, ready or not, a date it is expected ready or not,
    retired or not, extra attributes or not), and the first five (edited by :func:`varied` and below): each lot
    worked out alone through the generic path takes 40 ms or more, so the kinds stand for the sample's 166."""
    frame = layer_view(store, "lots", include_retired=True)
    kind = [frame[c].astype(str) for c in ("zone_code", "status", "ready", "retired")]
    kind.append(frame["ready_expected"].isna().astype(str))
    kind.append(frame["props"].astype(str) if "props" in frame else pd.Series("", index=frame.index))
    firsts = pd.Series(range(len(frame)), index=frame.index).groupby(kind, sort=False).first()
    codes = frame["code"].tolist()
    return list(dict.fromkeys([*codes[:5], *(codes[i] for i in firsts)]))


def test_one_lot_is_the_generic_feature_byte_for_byte(sample_store):
    """One lot of each kind (retired, with extra attributes, with no price, ready or waiting, each zone), public and
    staff, today and in the past; again with no readiness kept; then after a status edit (its kept row holds) and a
    move (it does not)."""
    store = sample_store
    varied(store)
    lots = store.read_layer("lots", fields_only=True, include_retired=True)
    chosen = kinds_of_lots(store)
    assert 10 < len(chosen) < len(lots)  # the kinds are many, and fewer than the lots

    def assert_every_lot_same() -> None:
        versions = store.read_layer("lots", include_retired=True).set_index("code")["version"]
        for code, version in versions[chosen].items():
            for staff in (False, True):
                for at in (None, PAST):
                    text, stored = lot_view.feature(store, code, at, staff)
                    assert text == generic_feature(store, code, at, staff), (code, staff, at)
                    assert stored == int(version)

    assert_every_lot_same()
    lot_readiness.forget()
    zone_figures.forget()
    with store.engine.begin() as conn:
        conn.execute(delete(schema.lot_readiness))
    assert_every_lot_same()
    code = lots["code"].iloc[0]
    apply_features(store, "lots", [Edit(code, {"status": "reserved"})], WEB, confirm=True)
    moved = to_storage(shapely.transform(to_metric(np.array([lots.geometry.iloc[0]])), lambda c: c + [40.0, 0.0]))[0]
    apply_features(store, "lots", [Edit(lots["code"].iloc[4], {}, geometry=moved)], WEB, confirm=True)
    assert_every_lot_same()
    assert lot_view.feature(store, "KHÔNG-CÓ", None, False) is None


def test_a_lots_route_answers_the_generic_feature_and_its_etag(sample_store, staff_token):
    store = sample_store
    varied(store)
    client = create_app({"database": store.url}).test_client()
    versions = store.read_layer("lots", include_retired=True).set_index("code")["version"]
    for code, version in versions[kinds_of_lots(store)].items():
        for headers, staff in (({}, False), (bearer(staff_token), True)):
            got = client.get(f"/api/layers/lots/{code}", headers=headers)
            assert got.status_code == 200 and got.mimetype == "application/geo+json"
            assert got.get_data(as_text=True) == generic_feature(store, code, None, staff)
            assert got.headers["ETag"] == f'"v{int(version)}"'
        past = client.get(f"/api/layers/lots/{code}?at={PAST}").get_data(as_text=True)
        assert past == generic_feature(store, code, PAST, False)
    missing = client.get("/api/layers/lots/KHÔNG-CÓ")
    assert missing.status_code == 404 and "KHÔNG-CÓ" in missing.get_json()["message"]["vi"]
