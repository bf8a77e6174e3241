"""The zones answer kept per data version (mapapp.api.kept_answers): the same text, new after any process's write."""
from __future__ import annotations

import datetime as dt
import json
import threading

from mapapp import create_app
from mapapp.api import kept_answers
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor
from mapapp.geojson import collection_json
from mapapp.queries.layers import layer_view

WEB = Actor("planner1", "web")


def zones_of(response) -> dict[str, dict]:
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    return {f["id"]: f["properties"] for f in json.loads(response.get_data(as_text=True))["features"]}


def test_the_kept_answer_is_the_computed_one(backend_store, backend_app):
    client = backend_app.test_client()
    first = client.get("/api/layers/zones").get_data(as_text=True)
    with backend_app.test_request_context():
        computed = collection_json(layer_view(backend_store, "zones"), extra={"layer": "zones"})
    assert first == computed
    assert client.get("/api/layers/zones").get_data(as_text=True) == first


def test_a_write_through_another_app_process_is_seen_at_once(backend_store, backend_app):
    reader, writer = backend_app.test_client(), create_app({"database": backend_store.url}).test_client()
    before = zones_of(reader.get("/api/layers/zones"))
    lots = backend_store.read_layer("lots", fields_only=True)
    zone, code = lots[["zone_code", "code"]].iloc[0]
    assert writer.get("/api/layers/zones").status_code == 200
    apply_features(backend_store, "lots", [], WEB, retire_codes=[code])
    after = zones_of(reader.get("/api/layers/zones"))
    assert after[zone]["lots_total"] == before[zone]["lots_total"] - 1
    assert zones_of(writer.get("/api/layers/zones")) == after


def test_dates_filters_and_boxes_are_answered_apart(backend_store, backend_app):
    client = backend_app.test_client()
    whole = zones_of(client.get("/api/layers/zones"))
    code = min(whole)
    assert list(zones_of(client.get(f"/api/layers/zones?code={code}"))) == [code]
    assert zones_of(client.get("/api/layers/zones?bbox=0,0,1,1")) == {}
    later = zones_of(client.get("/api/layers/zones?at=2031-01-01"))
    assert set(later) == set(whole)
    with backend_app.test_request_context():
        expected = collection_json(layer_view(backend_store, "zones", at=dt.date(2031, 1, 1)), extra={"layer": "zones"})
    assert later == {f["id"]: f["properties"] for f in json.loads(expected)["features"]}


def test_simultaneous_requests_make_one_answer(backend_store):
    made, barrier, results = [], threading.Barrier(5), []

    def make():
        made.append(1)
        return "answer"

    key = ("test", backend_store.url, threading.get_ident())

    def ask():
        barrier.wait()
        results.append(kept_answers.answer(key, make))

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == ["answer"] * 5 and len(made) == 1
