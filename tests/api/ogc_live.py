"""A real waitress server for the OGC client tests, recording every request it answers."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mapapp.store.backend import Store
from tests.serving_thread import serve as serve_app
from tests.serving_thread import stop


@dataclass
class Live:
    """The server's base URL, the store behind it and the requests it has answered (path?query)."""

    base: str
    store: Store
    requests: list[str] = field(default_factory=list)
    close: Callable[[], None] = lambda: None

    def paths(self, prefix: str) -> list[str]:
        return [r for r in self.requests if r.startswith(prefix)]


def serve(url: str) -> Live:
    """waitress on a free port over the database at ``url``; requests are logged in ``Live.requests``."""
    from mapapp import create_app

    app = create_app({"database": url, "basemap": "plain"})
    live = Live(base="", store=app.extensions["mapapp.store"])
    inner = app.wsgi_app

    def recording(environ, start_response):
        query = environ.get("QUERY_STRING", "")
        live.requests.append(environ.get("PATH_INFO", "") + (f"?{query}" if query else ""))
        return inner(environ, start_response)

    app.wsgi_app = recording
    live.base, server = serve_app(app)
    live.close = lambda: stop(server)
    return live


def serve_sample(tmp_path_factory) -> Live:
    """The bundled sample data in a temporary SQLite file, served."""
    from mapapp.sources.sample import load_sample

    url = f"sqlite:///{tmp_path_factory.mktemp('ogc-live') / 'live.sqlite'}"
    store = Store(url)
    store.init_schema()
    load_sample(store)
    return serve(url)
