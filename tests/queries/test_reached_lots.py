"""The readiness of the lots an edit's zones reach, kept by the write (mapapp.queries.reached_lots): found by a
reader under the key it computes, equal to the whole province's, and used by the view instead of worked out."""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import delete

from mapapp import create_app
from mapapp.analysis.measure import to_metric, to_storage
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.queries import clearance as queries
from mapapp.queries import lot_keys, lot_readiness, reached_lots
from mapapp.queries.layers import as_of
from mapapp.store import schema

WEB = Actor("leader1", "web")


def old_style(store) -> pd.DataFrame:
    """Parcels with no dated step (a status of their own, which an edit may set)."""
    parcels = store.read_layer("clearance", fields_only=True)
    steps = store.clearance_records()["steps"]
    return parcels[~parcels["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])]


def found_kept(store, lots, at) -> list:
    """``lots``' readiness as a reader of a new process finds it, asserting none is worked out (all kept in the DB)."""
    lot_readiness.forget()
    done = lot_readiness.worked_out()
    rows = lot_readiness.readiness_rows(store, lots, at)
    assert lot_readiness.worked_out() == done
    return rows


def test_the_reached_lots_are_those_whose_key_names_the_zone(sample_store):
    lots = sample_store.read_layer("lots", fields_only=True)
    with sample_store.engine.connect() as conn:
        reach = lot_keys.reaching(conn, shapely.bounds(lots.geometry.to_numpy()))
    zones = sorted({z for r in reach for z in r})
    assert len(zones) > 1
    for zone in zones:
        got = reached_lots.reached(sample_store, {zone})
        assert list(got["code"]) == sorted(c for c, r in zip(lots["code"], reach) if zone in r)
        assert shapely.equals_exact(got.geometry.to_numpy(), lots.set_index("code").loc[got["code"]].geometry.to_numpy(), 0).all()
    assert reached_lots.reached(sample_store, {"NO-SUCH-ZONE"}).empty
    # a bound on what is read: more lots near the zones' boxes than asked for, none read
    assert reached_lots.reached(sample_store, zones, most=1) is None
    assert len(reached_lots.reached(sample_store, zones, most=len(lots))) == len(lots)


def test_after_random_edits_the_kept_readiness_is_what_a_reader_works_out(sample_store):
    store, at = sample_store, as_of(sample_store)
    rng = np.random.default_rng(7)
    lot_readiness.lot_figures(store, store.read_layer("lots"), at)  # every lot kept before the edits
    changed = 0
    for step in range(6):
        before = queries.full_figures(store, at).lots.set_index("code")[["ready", "missing"]]
        if step % 2:  # a parcel with a status of its own set cleared or back to negotiating
            parcels = old_style(store)
            target = parcels.iloc[int(rng.integers(len(parcels)))]
            status = "negotiating" if target["status"] == "cleared" else "cleared"
            apply_features(store, "clearance", [Edit(target["code"], {"status": status})], WEB, confirm=True, when=at)
            zones = {target["zone_code"]}
        else:  # an uncleared parcel moved onto a lot of its zone (mostly) or anywhere
            frame = store.read_layer("clearance", fields_only=True)
            status = queries.full_figures(store, at).parcels.set_index("code")["status"]
            i = int(rng.choice(np.flatnonzero(frame["code"].map(status).to_numpy() != "cleared")))
            lots = store.read_layer("lots", fields_only=True)
            mine = lots[lots["zone_code"] == frame["zone_code"].iloc[i]]
            mine = mine if len(mine) and rng.random() < 0.8 else lots
            metric = to_metric(frame.geometry.to_numpy()[i:i + 1])
            onto = shapely.centroid(to_metric(mine.geometry.to_numpy()[int(rng.integers(len(mine)))]))
            shift = np.array([shapely.get_x(onto), shapely.get_y(onto)]) - shapely.get_coordinates(shapely.centroid(metric))[0]
            moved = to_storage(shapely.transform(metric, lambda c: c + shift))[0]
            apply_features(store, "clearance", [Edit(frame["code"].iloc[i], {}, geometry=moved)], WEB, confirm=True)
            zones = {frame["zone_code"].iloc[i]}
        lots = reached_lots.reached(store, zones)
        assert len(lots)
        got = pd.DataFrame(found_kept(store, lots, at), columns=["ready", "missing", "reason", "ready_expected"])
        got["missing"] = got["missing"].map(list)
        full = queries.full_figures(store, at).lots.set_index("code").loc[lots["code"]].reset_index()
        pd.testing.assert_frame_equal(got, full[["ready", "missing", "reason", "ready_expected"]], check_exact=True,
                                      check_dtype=False)
        changed += int(not queries.full_figures(store, at).lots.set_index("code")[["ready", "missing"]].equals(before))
    assert changed >= 2  # the edits did change readiness, so rows kept under a stale key would have shown


def test_the_view_after_an_edit_uses_the_kept_rows_and_gives_the_readers_bytes(sample_store):
    store, at = sample_store, as_of(sample_store)
    x0, y0, x1, y1 = store.extent("lots")
    path = f"/api/layers/lots?bbox={x0},{y0},{x1},{y1}"
    client = create_app({"database": store.url}).test_client()
    assert client.get(path).status_code == 200  # every lot kept before the edit
    target = old_style(store).iloc[0]
    status = "negotiating" if target["status"] == "cleared" else "cleared"
    apply_features(store, "clearance", [Edit(target["code"], {"status": status})], WEB, confirm=True, when=at)
    lot_readiness.forget()  # a process other than the writer's: only the rows in the database
    done = lot_readiness.worked_out()
    first = client.get(path)
    assert first.status_code == 200 and lot_readiness.worked_out() == done
    with store.engine.begin() as conn:  # what a reader works out with nothing kept
        conn.execute(delete(schema.lot_readiness))
    lot_readiness.forget()
    worked = client.get(path)
    assert lot_readiness.worked_out() - done == len(first.json["features"])
    assert worked.get_data() == first.get_data()


def test_more_lots_than_the_limit_are_left_to_the_readers(sample_store):
    store, at = sample_store, as_of(sample_store)
    zone = old_style(store)["zone_code"].iloc[0]
    lots = reached_lots.reached(store, {zone})
    assert len(lots) > 1
    done = lot_readiness.worked_out()
    assert reached_lots.keep(store, {zone}, at, limit=len(lots) - 1) == 0
    assert lot_readiness.worked_out() == done
    assert reached_lots.keep(store, {zone}, at, limit=len(lots)) == len(lots)
    assert lot_readiness.worked_out() - done == len(lots)
