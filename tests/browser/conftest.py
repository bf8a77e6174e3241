"""Browser fixtures: the app under waitress on a free port, driven by Debian's headless Chromium."""
from __future__ import annotations

import shutil
import pytest

from tests.conftest import PASSWORD
from tests.serving_thread import serve, stop

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason="chromium not installed: run `make test` as root or `apt-get install chromium`"))


def serve_sample(tmp_path_factory, **settings):
    """Start waitress on a free port with the bundled sample data; returns (base URL, server): stop it with ``stop``."""
    from mapapp import create_app
    from mapapp.auth.accounts import ROLES as STAFF_ROLES
    from mapapp.auth.accounts import add_user
    from mapapp.sources.sample import load_sample
    from mapapp.store.backend import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite'}"
    store = Store(url)
    store.init_schema()
    load_sample(store)
    for role in STAFF_ROLES:  # one account per role, to sign in where a test writes
        add_user(store, f"{role}1", role, PASSWORD)
    app = create_app({"database": url, "basemap": "plain", **settings})
    return serve(app)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real WSGI server with the bundled sample data in a temporary SQLite file."""
    base, server = serve_sample(tmp_path_factory)
    yield base
    stop(server)


@pytest.fixture(scope="session")
def live_server_windowed(tmp_path_factory):
    """The same, configured as for a real cadastre: layers over 50 features are fetched per view."""
    base, server = serve_sample(tmp_path_factory, max_features=50)
    yield base
    stop(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageLog:
    """What the page said: console errors, uncaught exceptions, failed requests."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"requestfailed: {r.url}"))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    # The page must work with no internet: anything not on localhost is refused.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort())
    pg = context.new_page()
    pg.log = PageLog(pg)
    yield pg
    context.close()


def sign_in_page(page, base: str, name: str, password: str | None = None) -> None:
    """Sign in through the real form, as a person would."""
    from tests.conftest import PASSWORD

    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password or PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_selector(".whoami")
    page.wait_for_load_state("networkidle")  # the page signed in to finishes loading before the test moves on


def wait_map_ready(page, timeout: float = 20_000) -> None:
    page.wait_for_selector("body[data-map-ready='1']", timeout=timeout)


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def open_page(browser, size: dict, locale: str = "vi-VN"):
    """A fresh context at ``size`` (offline like ``page``), its page logging errors; close it with page.context.close()."""
    context = browser.new_context(viewport=size, locale=locale)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort())
    pg = context.new_page()
    pg.log = PageLog(pg)
    return pg


@pytest.fixture(params=["phone", "desktop"])
def sized_page(request, browser):
    """The page at phone size (390×844) and at desktop size (1366×768)."""
    pg = open_page(browser, PHONE if request.param == "phone" else DESKTOP)
    pg.size_name = request.param
    yield pg
    pg.context.close()


def run_axe(page, base: str) -> list[dict]:
    """axe-core (from npm, served by mapapp itself) on the page: the serious and critical violations."""
    page.add_script_tag(url=base + "/vendor/axe-core/axe.min.js")
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [" ".join(n["target"]) for n in v["nodes"][:3]]}
        for v in violations if v["impact"] in ("serious", "critical")
    ]


POPUP_PLACEMENT = """() => {
  const popup = document.querySelector('.leaflet-popup');
  if (!popup) return null;
  const r = popup.getBoundingClientRect();
  const map = document.querySelector('.folium-map').getBoundingClientRect();
  const controls = [...document.querySelectorAll('.leaflet-control, .mapapp-search-slot')]
    .filter(c => c.offsetParent !== null && c.offsetWidth && c.offsetHeight && !popup.contains(c))
    .map(c => ({cls: c.className, box: c.getBoundingClientRect()}));
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const closeButton = popup.querySelector('.leaflet-popup-close-button');
  const close = closeButton.getBoundingClientRect();
  const atClose = document.elementFromPoint(close.left + close.width / 2, close.top + close.height / 2);
  const title = popup.querySelector('.mapapp-popup-title').getBoundingClientRect();
  const atTitle = document.elementFromPoint(title.left + 4, title.top + title.height / 2);
  return {
    inside: r.left >= map.left - 1 && r.right <= map.right + 1 && r.top >= map.top - 1 && r.bottom <= map.bottom + 1,
    under: controls.filter(c => hit(r, c.box)).map(c => c.cls),
    closeClickable: !!atClose && closeButton.contains(atClose),
    titleVisible: !!atTitle && popup.contains(atTitle),
  };
}"""
