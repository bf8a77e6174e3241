"""The waitress server of ``mapapp serve``: sized for a board's map under load.

Why these defaults (``Settings.threads``, ``connection_limit``, ``channel_timeout``):

- ``connection_limit`` 1000: a browser keeps its connection open between requests
  (keep-alive), so every open map holds one channel even while idle. waitress's own
  default, 100, left 102 of 200 keep-alive clients never served (it counts its own listening
  and wake-up sockets too: 98 clients); 1000 serves the 200 of the issue's load with room
  for the other tabs and tools of a board.
- ``threads`` 8: the threads run requests, not connections. Most requests are a few
  milliseconds of SQL (SQLite and GEOS release the GIL), but an import or a whole-layer
  read holds its thread for seconds; 8 keeps the map answering beside two or three
  of those on a 2-core machine without the memory and GIL contention of dozens.
- ``channel_timeout`` 120 s: an idle keep-alive connection is closed after this; it must
  be well above the pause between a map's requests (seconds), or clients reconnect
  all the time.
- poll() instead of select(): select() cannot watch sockets numbered above 1024, which
  a connection limit of 1000 reaches.
"""
from __future__ import annotations

import resource
from typing import Any

from mapapp.config import Settings

# Each channel is a socket; leave this many descriptors for the database, files and logs.
SPARE_FILES = 256


def raise_open_files(connection_limit: int) -> int:
    """Raise the soft limit of open files towards ``connection_limit`` + spare, up to the hard limit.

    Returns the soft limit now in force (unchanged when already high enough or not allowed).
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connection_limit + SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


def create_server(app: Any, settings: Settings, host: str, port: int, **overrides: Any):
    """A waitress server (not yet running) for ``app`` on ``host``:``port`` with the settings' sizes.

    ``overrides`` replace ``threads``, ``connection_limit`` or ``channel_timeout`` (the
    ``mapapp serve`` options). Returns the server; ``.run()`` serves until interrupted and
    ``.adj`` holds what waitress applied.
    """
    import waitress

    sizes = {
        "threads": settings.threads,
        "connection_limit": settings.connection_limit,
        "channel_timeout": settings.channel_timeout,
        **{k: v for k, v in overrides.items() if v is not None},
    }
    raise_open_files(sizes["connection_limit"])
    return waitress.create_server(app, host=host, port=port, ident="mapapp", asyncore_use_poll=True, **sizes)
