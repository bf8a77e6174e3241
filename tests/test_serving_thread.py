"""The tests' waitress thread: stopped from its own loop, even with a keep-alive client still connected."""
from __future__ import annotations

import http.client
import socket
import threading

import pytest

from tests.serving_thread import serve, stop


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def test_stop_ends_the_loop_with_a_keep_alive_client_connected_and_nothing_raised_in_its_thread(monkeypatch):
    raised: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(args.exc_value))
    base, server = serve(hello)
    port = server.effective_port
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    client.request("GET", "/")
    answer = client.getresponse()
    assert (answer.status, answer.read()) == (200, b"ok")
    stop(server)  # the client's connection is still open: server.close() alone would leave the loop running
    assert not server.mapapp_thread.is_alive()
    assert server._map == {}
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    client.close()
    assert raised == []
