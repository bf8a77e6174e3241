"""The waitress server of ``mapapp serve``: its sizes come from the settings and options, and hold."""
from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mapapp.cli import build_server
from mapapp.config import Settings
from mapapp.errors import SettingError
from tests.serving_thread import start, stop
from tests.test_cli import env_for

README = Path(__file__).resolve().parents[1] / "README.md"
CONFIG = Path(__file__).resolve().parents[1] / "mapapp" / "config.py"


def test_sizes_are_read_from_the_environment_with_defaults_for_200_keep_alive_clients(monkeypatch):
    for name in ("MAPAPP_THREADS", "MAPAPP_CONNECTION_LIMIT", "MAPAPP_CHANNEL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    default = Settings.from_env()
    assert default.connection_limit > 200 and default.threads >= 4 and default.channel_timeout > 5
    monkeypatch.setenv("MAPAPP_THREADS", "3")
    monkeypatch.setenv("MAPAPP_CONNECTION_LIMIT", " 250 ")
    monkeypatch.setenv("MAPAPP_CHANNEL_TIMEOUT", "30")
    s = Settings.from_env()
    assert (s.threads, s.connection_limit, s.channel_timeout) == (3, 250, 30)


@pytest.mark.parametrize("value", ["0", "-2", "many", "1.5"])
def test_a_size_that_is_not_a_whole_number_of_at_least_one_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("MAPAPP_CONNECTION_LIMIT", value)
    with pytest.raises(SettingError, match=f"MAPAPP_CONNECTION_LIMIT must be a whole number of at least 1, not '{re.escape(value)}'"):
        Settings.from_env()


def test_the_server_serve_builds_has_the_settings_and_the_options_win(db_url, monkeypatch):
    monkeypatch.setenv("MAPAPP_DATABASE", db_url)
    monkeypatch.setenv("MAPAPP_THREADS", "3")
    monkeypatch.setenv("MAPAPP_CONNECTION_LIMIT", "7")
    monkeypatch.setenv("MAPAPP_CHANNEL_TIMEOUT", "9")
    server = build_server("127.0.0.1", 0)
    try:
        assert (server.adj.threads, server.adj.connection_limit, server.adj.channel_timeout) == (3, 7, 9)
        assert server.adj.asyncore_use_poll and server.adj.ident == "mapapp"
    finally:
        server.close()
    server = build_server("127.0.0.1", 0, threads=5, connection_limit=11, channel_timeout=None)
    try:
        assert (server.adj.threads, server.adj.connection_limit, server.adj.channel_timeout) == (5, 11, 9)
    finally:
        server.close()


def _ask(conn: http.client.HTTPConnection) -> int:
    conn.request("GET", "/api/layers")
    response = conn.getresponse()
    response.read()
    return response.status


def test_the_connection_limit_holds_and_keep_alive_clients_are_served_in_turn(db_url, monkeypatch):
    """Two keep-alive clients fill the limit; a third waits until one leaves, then is served.

    waitress counts its own two sockets (the listening one, its wake-up one) in the limit: 4 serves 2 clients.
    """
    monkeypatch.setenv("MAPAPP_DATABASE", db_url)
    server = build_server("127.0.0.1", 0, connection_limit=4, threads=2)
    start(server)
    port = server.effective_port
    first, second = (http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(2))
    try:
        assert _ask(first) == _ask(second) == 200
        third = http.client.HTTPConnection("127.0.0.1", port, timeout=1.5)
        with pytest.raises((socket.timeout, TimeoutError)):
            _ask(third)  # accepted by the kernel, not served: the two keep-alive channels fill the limit
        third.close()
        first.close()
        third = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        assert _ask(third) == 200
        assert _ask(second) == 200  # still kept alive
        third.close()
    finally:
        second.close()
        stop(server)


def test_serve_refuses_a_bad_size_in_one_line(db_url):
    env = {**env_for(db_url), "MAPAPP_THREADS": "none"}
    done = subprocess.run([sys.executable, "-m", "mapapp.cli", "serve", "--port", "0"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr == "mapapp: error: MAPAPP_THREADS must be a whole number of at least 1, not 'none'\n"


def test_every_setting_is_documented_in_the_readme():
    names = set(re.findall(r'"(MAPAPP_[A-Z0-9_]+)"', CONFIG.read_text()))
    assert {"MAPAPP_THREADS", "MAPAPP_CONNECTION_LIMIT", "MAPAPP_CHANNEL_TIMEOUT", "MAPAPP_DATABASE"} <= names
    readme = README.read_text()
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
