"""The mapapp command as a user runs it: a real process, a real WSGI server."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def env_for(db_url: str) -> dict:
    return {**{k: v for k, v in os.environ.items() if k.startswith(("PATH", "HOME", "LANG", "MAPAPP_INSTANCE"))}, "MAPAPP_DATABASE": db_url}


def run(db_url, *args):
    return subprocess.run([sys.executable, "-m", "mapapp.cli", *args], capture_output=True, text=True, env=env_for(db_url))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_init_is_idempotent_and_sample_loads(db_url):
    assert run(db_url, "init").returncode == 0
    assert run(db_url, "init").returncode == 0
    result = run(db_url, "init", "--sample")
    assert result.returncode == 0, result.stderr
    assert "sample data loaded: boundaries 9, zones 7" in result.stdout
    refused = run(db_url, "init", "--sample")  # a database with data is not wiped without asking
    assert refused.returncode == 1 and "pass --force" in refused.stderr and refused.stderr.count("\n") == 1
    again = run(db_url, "init", "--sample", "--force")  # replaces, does not duplicate
    assert again.stdout.splitlines()[1:] == result.stdout.splitlines()[1:]


def test_help_lists_every_command(db_url):
    out = run(db_url, "--help").stdout
    for command in ("init", "serve", "import", "export", "conflicts", "report", "set"):
        assert command in out


@pytest.mark.slow
def test_serve_loads_the_sample_into_an_empty_database_and_answers(db_url):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mapapp.cli", "serve", "--port", str(port)],
        env=env_for(db_url), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/layers", timeout=2) as r:
                    layers = json.loads(r.read())
                    server = r.headers.get("Server", "")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not answer within 60 s"
                time.sleep(0.3)
        assert {l["name"]: l["count"] for l in layers["layers"]}["lots"] > 0
        assert "mapapp" in server  # waitress, with our ident, not Flask's development server
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as r:
            assert "Hậu Giang" in r.read().decode("utf-8")
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0]
    assert "empty database: loading the bundled sample data" in out


def test_conflicts_recompute_runs_the_whole_analysis_and_prints_the_count(db_url):
    from sqlalchemy import create_engine, text

    assert run(db_url, "init", "--sample").returncode == 0
    engine = create_engine(db_url)
    with engine.begin() as conn:
        stored = conn.execute(text("SELECT COUNT(*) FROM conflicts")).scalar_one()
        conn.execute(text("DELETE FROM conflicts"))  # stale: what only a full run puts back
    listed = run(db_url, "conflicts")
    assert listed.stdout.strip() == "no conflicts"
    result = run(db_url, "conflicts", "--recompute")
    assert result.returncode == 0, result.stderr
    assert stored > 0 and result.stdout.startswith(f"conflicts recomputed: {stored} (")
    assert result.stdout.rstrip().endswith(f"{stored} conflicts")
    as_json = run(db_url, "conflicts", "--recompute", "--json")  # the count goes to stderr, the JSON stays whole
    assert len(json.loads(as_json.stdout)["features"]) == stored and f"recomputed: {stored}" in as_json.stderr
    engine.dispose()


def test_figures_warm_keeps_every_zones_figures_and_lots_readiness(db_url):
    assert run(db_url, "init", "--sample").returncode == 0
    result = run(db_url, "figures", "warm")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("figures of ") and " zones and readiness of " in result.stdout
    assert " lots at " in result.stdout and " lots" in result.stderr
    from sqlalchemy import func, select

    from mapapp.store import schema
    from mapapp.store.backend import Store

    store = Store(db_url)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.zone_figure_parts)).scalar_one() >= 7
        lots = conn.execute(select(func.count()).select_from(schema.layer_tables["lots"])).scalar_one()
        assert conn.execute(select(func.count()).select_from(schema.lot_readiness)).scalar_one() == lots > 0
    store.engine.dispose()
    refused = run(db_url, "figures", "warm", "--date", "someday")
    assert refused.returncode == 1 and "is not a date" in refused.stderr
