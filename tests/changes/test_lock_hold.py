"""A change is prepared outside the write lock and stored in a short transaction; none is lost to another.

Real connections on SQLite and PostgreSQL: the test holds the write lock itself (as a concurrent
writer would) and watches the writing thread's own stack to know where it waits.
"""
from __future__ import annotations

import datetime as dt
import sys
import threading
import time

from sqlalchemy import update

from mapapp import clock
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.errors import StoreBusy
from mapapp.store import schema

WEB = Actor("planner1", "api")


def _waiting_for_the_lock(thread: threading.Thread, timeout: float = 30) -> bool:
    """True once ``thread`` is inside ``write_transaction`` (blocked on the lock), False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and thread.is_alive():
        frame = sys._current_frames().get(thread.ident)
        while frame is not None:
            if frame.f_code.co_name == "write_transaction":
                return True
            frame = frame.f_back
        time.sleep(0.01)
    return False


def _run(target) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def body() -> None:
        try:
            out["result"] = target()
        except Exception as exc:  # handed to the test
            out["error"] = exc

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, out


def test_a_preview_needs_no_lock_while_another_writer_holds_it(backend_store):
    edit = Edit("L2", {"status": "reserved"})
    with backend_store.writing():
        result = apply_features(backend_store, "lots", [edit], WEB, dry_run=True)
    assert result.changed == ["L2"]
    assert backend_store.get_feature("lots", "L2").iloc[0]["status"] != "reserved"


def test_an_import_is_checked_and_built_before_it_waits_for_the_lock(backend_store):
    """Rows carry the time they were built: built while another writer held the lock, stored after."""
    before = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
    after = before + dt.timedelta(hours=1)
    edits = [Edit("L2", {"tenant": "Công ty Chuẩn Bị"}), Edit("L3", {"tenant": "Công ty Chuẩn Bị"})]
    holder = backend_store.writing()
    with clock.frozen(before):
        holder.__enter__()
        thread, out = _run(lambda: apply_features(backend_store, "lots", edits, WEB))
        waited = _waiting_for_the_lock(thread)
    with clock.frozen(after):
        holder.__exit__(None, None, None)
        thread.join(60)
    assert waited, out
    assert "error" not in out, out
    lots = backend_store.read_layer("lots").set_index("code")
    assert lots.loc["L2", "tenant"] == lots.loc["L3", "tenant"] == "Công ty Chuẩn Bị"
    assert lots.loc["L2", "changed_at"] == before.isoformat(timespec="seconds")


def test_a_change_committed_while_an_import_waits_is_not_lost(backend_store):
    """The import read L2 as available and its file says available: a reservation made meanwhile must be undone by it."""
    stored = backend_store.get_feature("lots", "L2").iloc[0]
    edit = Edit("L2", {"status": stored["status"], "tenant": "Công ty Nhập"})
    with backend_store.writing() as conn:
        thread, out = _run(lambda: apply_features(backend_store, "lots", [edit], Actor("importer", "import")))
        assert _waiting_for_the_lock(thread), out
        table = schema.layer_tables["lots"]
        other = "reserved" if stored["status"] != "reserved" else "available"
        conn.execute(update(table).where(table.c.code == "L2").values(status=other, version=table.c.version + 1))
        backend_store._set_meta(conn, "data_changed_at", clock.stamp())
    thread.join(60)
    assert "error" not in out, out
    lot = backend_store.get_feature("lots", "L2").iloc[0]
    assert (lot["status"], lot["tenant"]) == (stored["status"], "Công ty Nhập")
    assert out["result"].changed == ["L2"]
    entry = backend_store.audit(layer="lots", code="L2", actor="importer")[0]
    assert entry["before"]["status"] == other and entry["after"]["status"] == stored["status"]


def test_a_write_that_cannot_get_the_lock_in_time_is_store_busy(backend_store, monkeypatch):
    """SQLite's busy timeout, PostgreSQL's lock timeout: StoreBusy, never 'database is locked' nor a wait without end."""
    import mapapp.store.db as db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.3)
    other = type(backend_store)(backend_store.url)  # a second engine, built with the short timeout
    try:
        with backend_store.writing():
            thread, out = _run(lambda: apply_features(other, "lots", [Edit("L2", {"tenant": "Công ty Chờ"})], WEB))
            thread.join(30)
        assert isinstance(out.get("error"), StoreBusy), out
    finally:
        other.engine.dispose()
    assert backend_store.get_feature("lots", "L2").iloc[0]["tenant"] != "Công ty Chờ"


def test_a_patch_blocked_by_a_held_lock_answers_503_with_retry_after(backend_store, make_user, monkeypatch):
    import mapapp.store.db as db
    from mapapp import create_app
    from tests.conftest import bearer

    token = make_user(backend_store, "planner1", "planner")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.3)
    client = create_app({"database": backend_store.url}).test_client()
    tag = client.get("/api/layers/lots/L2").headers["ETag"]
    with backend_store.writing():
        answer = client.patch("/api/layers/lots/L2", json={"tenant": "Công ty Chờ"}, headers=bearer(token, **{"If-Match": tag}))
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert int(answer.headers["Retry-After"]) > 0 and answer.get_json()["error"]
