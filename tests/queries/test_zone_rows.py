"""Zone figure rows kept in the database (mapapp.queries.zone_rows) equal the whole province's, on both backends."""
from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pandas as pd
from sqlalchemy import func, select, update

from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.clearance.forecast import overall_paces
from mapapp.clearance.procedure import ProcedureSettings
from mapapp.queries import clearance as queries
from mapapp.queries import figure_prints, zone_figures, zone_rows
from mapapp.queries.layers import as_of
from mapapp.store import figure_rows, figure_versions, schema, zone_reads
from tests.helpers import record_a_step

WEB = Actor("leader1", "web")


def zone_codes(store) -> list[str]:
    return list(store.read_layer("zones", fields_only=True)["code"])


def assert_equal_to_the_province(store, at: dt.date) -> pd.DataFrame:
    rows = zone_rows.zone_rows(store, zone_codes(store), at)
    # what the rows were before they were kept: each zone's in process memory
    pd.testing.assert_frame_equal(rows, zone_figures.zone_rows(store, zone_codes(store), at), check_exact=True)
    full = queries.full_figures(store, at).zones.sort_values("zone_code", ignore_index=True)
    pd.testing.assert_frame_equal(rows.astype({"zone_code": object}), full.astype({"zone_code": object}), check_exact=True)
    return rows


def stored(store) -> dict[str, tuple]:
    """The kept rows: zone code -> (date, steps version, cleared_share)."""
    t = schema.zone_figure_rows
    with store.engine.connect() as conn:
        return {z: (at, steps, share) for z, at, steps, share in conn.execute(select(t.c.zone_code, t.c.at, t.c.steps, t.c.cleared_share))}


def test_rows_at_the_dataset_date_are_kept_and_read_back_by_any_process(sample_store):
    at = as_of(sample_store)
    rows = assert_equal_to_the_province(sample_store, at)
    assert set(stored(sample_store)) == set(rows["zone_code"]) and {v[0] for v in stored(sample_store).values()} == {at.isoformat()}
    # a row another process kept is what is read: marked here, it is served as kept
    steps = sample_store.clearance_records()["steps"]
    parcels = sample_store.read_layer("clearance", fields_only=True)
    old = parcels[~parcels["code"].isin(steps.loc[steps["date"] != "", "parcel_code"])].iloc[0]
    zone = old["zone_code"]
    with sample_store.engine.begin() as conn:
        conn.execute(update(schema.zone_figure_rows).where(schema.zone_figure_rows.c.zone_code == zone).values(cleared_share=0.123))
    assert zone_rows.zone_rows(sample_store, [zone], at)["cleared_share"].tolist() == [0.123]
    # an edit of one of its parcels gives the zone a new version: its row is worked out again, the others read
    status = "compensated" if old["status"] != "compensated" else "negotiating"
    apply_features(sample_store, "clearance", [Edit(old["code"], {"status": status})], WEB, confirm=True, when=at)
    assert_equal_to_the_province(sample_store, at)
    assert stored(sample_store)[zone][2] != 0.123


def test_a_dated_step_keeps_the_other_zones_rows_while_the_paces_hold(sample_store):
    at = as_of(sample_store)
    assert_equal_to_the_province(sample_store, at)
    before = stored(sample_store)
    done = record_a_step(sample_store, at, WEB)
    assert done is not None
    with sample_store.engine.connect() as conn:
        now = figure_versions.read(conn).steps
    assert now is not None and now != {v[1] for v in before.values()}.pop()
    assert_equal_to_the_province(sample_store, at)
    after = stored(sample_store)
    assert after[done][1] == now
    assert {z for z, v in after.items() if v[1] == now} >= {done}
    # the paces are kept for the next process too, made by the new steps version
    with sample_store.engine.connect() as conn:
        made_by = {"epoch": figure_versions.read(conn).epoch, "steps": now, "at": at.isoformat(), "code": figure_prints.code_digest()}
        kept = figure_rows.read_paces(conn, made_by)
        assert kept == overall_paces(zone_reads.dated_steps(conn), at)


def test_other_dates_and_other_settings_are_worked_out_not_read(sample_store, monkeypatch):
    at = as_of(sample_store)
    assert_equal_to_the_province(sample_store, at)
    later = at + dt.timedelta(days=400)
    assert_equal_to_the_province(sample_store, later)
    assert {v[0] for v in stored(sample_store).values()} == {at.isoformat()}
    monkeypatch.setenv("MAPAPP_CLEARANCE_DIALOGUE_DAYS", "10")
    monkeypatch.setenv("MAPAPP_CLEARANCE_HOLIDAYS", "2019-04-30,2019-05-01")
    assert_equal_to_the_province(sample_store, at)


def test_a_fingerprint_names_what_the_row_was_worked_out_from():
    versions = figure_versions.Versions("e1", "s1", {"KCN-A": "v1"})
    base = ProcedureSettings(holidays=frozenset({dt.date(2019, 5, 1), dt.date(2019, 4, 30)}))
    same = ProcedureSettings(holidays=frozenset({dt.date(2019, 4, 30), dt.date(2019, 5, 1)}))
    at = dt.date(2019, 9, 1)
    print_ = figure_prints.fingerprint(versions, "KCN-A", at, base)
    assert figure_prints.fingerprint(versions, "KCN-A", at, same) == print_
    assert len({print_, figure_prints.fingerprint(versions, "KCN-B", at, base),
                figure_prints.fingerprint(figure_versions.Versions("e2", "s1", {"KCN-A": "v1"}), "KCN-A", at, base),
                figure_prints.fingerprint(figure_versions.Versions("e1", "s1", {"KCN-A": "v2"}), "KCN-A", at, base),
                figure_prints.fingerprint(versions, "KCN-A", at + dt.timedelta(days=1), base),
                figure_prints.fingerprint(versions, "KCN-A", at, ProcedureSettings(dialogue_days=59))}) == 6
    # a dated step elsewhere changes the steps version, not the fingerprint: the paces are checked apart
    assert figure_prints.fingerprint(figure_versions.Versions("e1", "s2", {"KCN-A": "v1"}), "KCN-A", at, base) == print_


def test_no_zone_asked_reads_nothing(sample_store):
    assert zone_rows.zone_rows(sample_store, [], as_of(sample_store)).empty
    with sample_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.zone_figure_rows)).scalar_one() == 0


def test_the_code_digest_covers_every_module_the_figures_import():
    def imported(path: Path) -> set[str]:
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mapapp"):
                names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                names |= {a.name for a in node.names if a.name.startswith("mapapp")}
        return names

    def file_of(name: str) -> Path | None:
        base = figure_prints.PACKAGE.parent / Path(*name.split("."))
        return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.exists()), None)

    # connections, the clock and the settings' reading: their values, not their code, enter a row (the fingerprint
    # holds the date and the settings)
    apart = {"store/backend.py", "store/db.py", "queries/clearance.py", "clock.py", "queries/__init__.py", "store/__init__.py", "__init__.py"}
    # the wording of refusals and labels in both languages: a refused value raises, so no wording enters a kept row
    apart |= {"i18n.py", *(p.relative_to(figure_prints.PACKAGE).as_posix() for p in (figure_prints.PACKAGE / "refusals").glob("*.py"))}
    covered = {p.relative_to(figure_prints.PACKAGE).as_posix() for pattern in figure_prints.FIGURE_CODE for p in figure_prints.PACKAGE.glob(pattern)}
    seen, todo = set(), [figure_prints.PACKAGE / "queries" / "zone_rows.py"]
    while todo:
        path = todo.pop()
        relative = path.relative_to(figure_prints.PACKAGE).as_posix()
        if relative in seen or relative in apart:
            continue
        seen.add(relative)
        todo += [f for f in map(file_of, imported(path)) if f is not None]
    assert seen - covered == set()


def test_requests_arriving_together_read_the_dated_steps_once(sample_store):
    """Eight cold requests at once (a start under load): one reads every dated step, the others wait for its paces."""
    import threading

    from sqlalchemy import event

    at = as_of(sample_store)
    with sample_store.engine.connect() as conn:
        versions = figure_versions.read(conn)
    reads: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if "FROM clearance_steps" in statement and "date" in statement:
            reads.append(statement)

    start = threading.Barrier(8)
    answers: list[dict] = []

    def request() -> None:
        start.wait()
        answers.append(zone_figures.paces_at(sample_store, versions, at))

    zone_figures._PACES.clear()
    event.listen(sample_store.engine, "before_cursor_execute", listen)
    try:
        threads = [threading.Thread(target=request) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        event.remove(sample_store.engine, "before_cursor_execute", listen)
    assert len(answers) == 8 and all(a == answers[0] for a in answers)
    assert len(reads) == 1, reads
