"""Route: the plain background's features (river, national roads, communes, place names), shipped
in ``data/geo/background.geojson`` so the map reads with no internet at all."""
from __future__ import annotations

from flask import send_from_directory

from mapapp.config import REPO_ROOT
from mapapp.pages import pages_bp

BACKGROUND_DIR = REPO_ROOT / "data" / "geo"


@pages_bp.get("/background.geojson")
def background():
    """The illustrative background layer (see PROVENANCE.md), cached by the browser for a day."""
    return send_from_directory(BACKGROUND_DIR, "background.geojson", mimetype="application/geo+json", max_age=24 * 3600)
