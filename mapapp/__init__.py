"""mapapp: a web map for a province's industrial zones (application factory)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from flask import Flask

NAV_PAGES = (
    ("pages.land_page", "nav.land"),
    ("pages.conflicts_page", "nav.conflicts"),
    ("pages.dashboard", "nav.dashboard"),
    ("pages.directives_page", "nav.directives"),
)


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``overrides`` replaces settings (tests pass a temporary database)."""
    # Imported here, not with the package: every ``mapapp.*`` import (the command line's import of a
    # cadastre among them) would otherwise start by loading Flask, werkzeug and the sign-in pages.
    from flask import Flask, request
    from werkzeug.middleware.proxy_fix import ProxyFix

    from mapapp import http_errors, security
    from mapapp.auth import web as auth_web
    from mapapp.config import INSTANCE_DIR, REPO_ROOT, Settings
    from mapapp.i18n import current_lang, translate
    from mapapp.store.backend import Store

    settings = Settings.from_env()
    if overrides:
        settings = Settings(**{**settings.__dict__, **{k: v for k, v in overrides.items() if k in settings.__dict__}})
    app = Flask(
        __name__,
        template_folder=str(REPO_ROOT / "templates"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config["MAPAPP"] = settings
    app.json.ensure_ascii = False
    store = Store(settings.database, tolerance_m2=settings.tolerance_m2, tolerance_m=settings.tolerance_m,
                  full_recompute_above=settings.conflicts_full_above)
    store.init_schema()
    app.extensions["mapapp.store"] = store

    from mapapp.api import api_bp
    from mapapp.api.ogc import ogc_bp
    from mapapp.api.tiles import tiles_bp
    from mapapp.pages import error_pages, pages_bp
    from mapapp.pages.vendor import vendor_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(ogc_bp)
    app.register_blueprint(tiles_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(vendor_bp)
    security.init_app(app)
    http_errors.init_app(app)
    auth_web.init_app(app)
    if settings.behind_proxy:
        # Absolute links (OGC API) and the cross-site check need the public host, not the proxy's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)

    @app.context_processor
    def _page_context() -> dict:
        lang = current_lang()
        other = "en" if lang == "vi" else "vi"
        return {
            "lang": lang,
            "t": lambda key, **kw: translate(key, lang, **kw),
            "nav_pages": [(e, k) for e, k in NAV_PAGES if e in app.view_functions],
            "lang_query": urlencode({**request.args.to_dict(), "lang": other}),
        }

    @app.after_request
    def _remember_lang(response):
        lang = request.args.get("lang")
        if lang in ("vi", "en"):
            response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    error_pages.register(app)  # 404 as JSON for programs, as a page in the reader's language for people

    return app
