"""A real waitress server in a background thread for tests, started and stopped cleanly.

Stopping waitress by calling ``server.close()`` from the test's thread closes its sockets while the
server's loop thread may be waiting in ``select()``/``poll()`` on them; the loop then fails with
``OSError: [Errno 9] Bad file descriptor`` in its thread, which pytest reports as a
``PytestUnhandledThreadExceptionWarning``. ``stop`` asks the loop itself to close everything
(waitress's trigger runs the call in the loop's thread), so the loop ends on an empty socket map.
"""
from __future__ import annotations

import threading

STOP_TIMEOUT_S = 10.0


def start(server) -> str:
    """Run ``server`` (from ``waitress.create_server``) in a daemon thread; returns its base URL."""
    thread = threading.Thread(target=server.run, daemon=True, name=f"waitress-{server.effective_port}")
    server.mapapp_thread = thread
    thread.start()
    return f"http://127.0.0.1:{server.effective_port}"


def serve(app, threads: int = 4):
    """waitress on a free loopback port serving ``app``, running; returns (base URL, server)."""
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    return start(server), server


def stop(server) -> None:
    """Close the server's sockets from its own loop thread, wait for the loop to end, stop its workers.

    Raises AssertionError when the loop has not ended within ``STOP_TIMEOUT_S`` seconds.
    """
    def close_everything() -> None:
        for channel in list(server._map.values()):  # the listening socket, the trigger, open connections
            channel.close()

    server.trigger.pull_trigger(close_everything)
    thread = server.mapapp_thread
    thread.join(STOP_TIMEOUT_S)
    assert not thread.is_alive(), "waitress's loop did not end after its sockets were closed"
    server.task_dispatcher.shutdown()
