"""The Folium map of the province: base maps, API-fed overlays, controls."""
from __future__ import annotations

import datetime as dt
import re

import folium
from folium.plugins import Fullscreen, MeasureControl

from mapapp.analysis.measure import METRIC_CRS, proj4_definition
from mapapp.i18n import catalogue, translate
from mapapp.pages.elements import ApiLayer, AppConfig, BlankBase
from mapapp.pages.styles import LEGEND_PREFIX, STYLES
from mapapp.pages.vendor import asset_url, localize, vectorgrid_url
from mapapp.tiles.grid import TILE_LAYERS

PROJ4_CDN = "https://cdn.jsdelivr.net/npm/proj4@2.20.0/dist/proj4.js"
# The map's browser code, one script a job; core first, init (the wiring) last.
MAP_SCRIPTS = (
    "core", "popups", "lotissues", "layers", "tiles", "focus", "show", "viewstate", "placement", "labels", "access", "status", "legend", "search",
    "date", "coordinates", "basemap", "compact", "print", "download", "edit", "init",
)

CENTER = (9.86, 105.66)  # between Vị Thanh and the Hậu River zones
OVERLAYS = ("boundaries", "zones", "clearance", "lots", "projects", "conflicts")
DATED = {"projects", "clearance"}
BASEMAPS = {
    "osm": ("OpenStreetMap", None),
    "light": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/Canvas/World_Light_Gray_Base/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri",
    ),
    "imagery": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri",
    ),
}
SLIDER_START = dt.date(2016, 1, 1)


WINDOW_ZOOM = 14  # large layers are fetched for the view from this zoom on


def build_map(
    lang: str, basemap: str, at: dt.date, today: dt.date, counts: dict[str, int],
    max_features: int = 5000, focus: str | None = None, data_start: dt.date | None = None,
    data_end: dt.date | None = None, show: str | None = None, print_mode: bool = False,
    terms: dict[str, str] | None = None, tile_threshold: int = 20_000, tile_feature_zoom: int = 13,
) -> folium.Map:
    """A folium Map whose overlays the browser loads from the API.

    The date control runs from ``data_start`` (default: ``SLIDER_START``) to ``today`` with ``data_end``
    (default: ``at``) marked; ``print_mode`` leaves out the interactive controls (the print view).
    Lots and parcels with more than ``tile_threshold`` features are drawn from vector tiles (clickable
    from ``tile_feature_zoom``) when the patched Leaflet.VectorGrid is installed."""
    start = min(data_start or SLIDER_START, at)
    end = data_end or at
    # The scale bar is added by the page's script: metric only (folium's would show miles and feet).
    m = folium.Map(location=CENTER, zoom_start=10, tiles=None, control_scale=False, zoom_control=not print_mode)
    m.default_js = [m.default_js[0]]  # Leaflet only: the page uses no jQuery/Bootstrap/awesome-markers
    m.default_css = [m.default_css[0]]
    for key, (tiles, attr) in BASEMAPS.items():
        folium.TileLayer(tiles, attr=attr, name=translate(f"basemap.{key}", lang), show=(key == basemap), max_zoom=19).add_to(m)
    BlankBase(translate("basemap.plain", lang), show=(basemap not in BASEMAPS)).add_to(m)
    vectorgrid = vectorgrid_url()
    config = {
        "lang": lang,
        "i18n": catalogue(lang),
        "styles": STYLES,
        "legend": LEGEND_PREFIX,
        "layers": {
            name: {
                "url": f"/api/layers/{name}" if name != "conflicts" else "/api/conflicts",
                "dated": name in DATED,
                "count": counts.get(name, 0),
                "tiles": name in TILE_LAYERS and counts.get(name, 0) > tile_threshold,
            }
            for name in OVERLAYS
        },
        "max_features": max_features,
        "tiles": {"url": "/tiles/{layer}/{z}/{x}/{y}.pbf", "feature_zoom": tile_feature_zoom} if vectorgrid else None,
        "window_zoom": WINDOW_ZOOM,
        "focus": focus,
        "at": at.isoformat(),
        "today": today.isoformat(),
        "data_start": start.isoformat(),
        "data_end": end.isoformat(),
        "show": show,
        "terms": terms or {},
        "print": print_mode,
        "grid": {"label": translate("ui.grid", lang), "proj4": proj4_definition(METRIC_CRS)},
    }
    js = [asset_url(PROJ4_CDN), *([vectorgrid] if vectorgrid else [])] + [f"/static/map/{name}.js" for name in MAP_SCRIPTS]
    AppConfig(config, js_urls=js, css_url="/static/mapapp.css").add_to(m)
    for name in OVERLAYS:
        ApiLayer(name, translate(f"layer.{name}", lang)).add_to(m)
    if print_mode:
        localize(m)
        return m
    Fullscreen(position="topleft", title=translate("ui.fullscreen", lang), title_cancel=translate("ui.fullscreen_exit", lang)).add_to(m)
    MeasureControl(
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="hectares",
        secondary_area_unit="sqmeters",
    ).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    localize(m)
    return m


def map_parts(m: folium.Map) -> dict[str, str]:
    """Header, body and script of the map, to be placed in the app's own page template."""
    root = m.get_root()
    root.render()
    # folium's viewport tag forbids zooming the page (an accessibility failure); base.html has its own.
    header = re.sub(r"<meta name=\"viewport\"[^>]*>", "", root.header.render())
    return {"header": header, "body": root.html.render(), "script": root.script.render()}
