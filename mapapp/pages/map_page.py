"""Route: the map page."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from mapapp import clock
from mapapp.queries.layers import as_of
from mapapp.i18n import current_lang
from mapapp.pages import pages_bp
from mapapp.pages.mapview import build_map, map_parts
from mapapp.pages.presentation import page_date
from mapapp.store import current_store


@pages_bp.get("/")
def map_page():
    store = current_store()
    settings = current_app.config["MAPAPP"]
    lang = current_lang()
    at, _ = page_date(as_of(store), lang)
    basemap = request.args.get("basemap", settings.basemap)
    counts = {**store.counts(), "conflicts": store.conflict_count()}
    m = build_map(
        lang, basemap, at=at, today=clock.today(), counts=counts,
        max_features=settings.max_features, focus=request.args.get("focus"),
    )
    return render_template(
        "map.html",
        parts=map_parts(m),
        sample=store.get_meta("dataset") == "sample",
        as_of=at.isoformat(),
        page="map",
    )


@pages_bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
