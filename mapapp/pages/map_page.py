"""Routes: the map page and its print view (the same map, from the same URL state)."""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

from flask import current_app, redirect, render_template, request, url_for

from mapapp import clock
from mapapp.queries.layers import as_of
from mapapp.i18n import current_lang
from mapapp.pages import map_messages, pages_bp  # noqa: F401  (map_messages registers the labels)
from mapapp.pages.data_terms import terms_for_map
from mapapp.pages.mapview import build_map, map_parts
from mapapp.pages.presentation import page_date
from mapapp.store import current_store
from mapapp.store.backend import Store


def data_start(store: Store) -> dt.date | None:
    """The data's first date: the earliest planned start, progress report or clearance event."""
    dates: list[str] = []
    starts = store.attributes("projects", ["planned_start"])
    if "planned_start" in starts:
        dates += [str(v)[:10] for v in starts["planned_start"].dropna() if str(v).strip()]
    dates += [str(r["date"])[:10] for r in store.reports() if r.get("date")]
    dates += [str(e["date"])[:10] for e in store.clearance_events() if e.get("date")]
    valid = []
    for text in dates:
        try:
            valid.append(dt.date.fromisoformat(text))
        except ValueError:
            continue
    return min(valid) if valid else None


# The map's parts cost tens of milliseconds of folium per page, and their counts a scan of every
# layer: under a board's load that is most of the server's time. They change only with the data
# (its version, new with every write, in every process alike), the day, the settings and the
# page's own query, so each process keeps the last few, keyed by all of these.
PARTS_KEPT = 64
_PARTS: OrderedDict = OrderedDict()
_PARTS_LOCK = threading.Lock()


def _map_context(print_mode: bool) -> dict:
    store = current_store()
    key = (store.url, store.get_meta("data_version"), clock.today(), current_lang(), print_mode,
           current_app.config["MAPAPP"], tuple(sorted(request.args.items(multi=True))))
    with _PARTS_LOCK:
        context = _PARTS.get(key)
        if context is not None:
            _PARTS.move_to_end(key)
    if context is None:
        context = _build_context(print_mode)
        with _PARTS_LOCK:
            _PARTS[key] = context
            while len(_PARTS) > PARTS_KEPT:
                _PARTS.popitem(last=False)
    return {**context, "query": request.query_string.decode("ascii", "replace")}


def _build_context(print_mode: bool) -> dict:
    store = current_store()
    settings = current_app.config["MAPAPP"]
    lang = current_lang()
    default = as_of(store)
    at, _ = page_date(default, lang)
    today = clock.today()
    basemap = request.args.get("basemap", settings.basemap)
    counts = {**store.counts(), "conflicts": store.conflict_count()}
    m = build_map(
        lang, basemap, at=at, today=today, counts=counts,
        max_features=settings.max_features, focus=request.args.get("focus"),
        data_start=data_start(store), data_end=min(default, today), show=request.args.get("show"),
        print_mode=print_mode, terms=terms_for_map(store, lang),
        tile_threshold=settings.tile_threshold, tile_feature_zoom=settings.tile_feature_zoom,
    )
    return {
        "parts": map_parts(m),
        "sample": store.get_meta("dataset") == "sample",
        "as_of": at.isoformat(),
        "as_of_text": at.strftime("%d/%m/%Y") if lang == "vi" else at.isoformat(),
        "today_text": today.strftime("%d/%m/%Y") if lang == "vi" else today.isoformat(),
    }


@pages_bp.get("/")
def map_page():
    return render_template("map.html", page="map", **_map_context(print_mode=False))


@pages_bp.get("/print")
def print_page():
    """The current map for paper or PDF: title, legend, metric scale, north arrow, date, source, notice."""
    return render_template("print.html", page="print", **_map_context(print_mode=True))


@pages_bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
