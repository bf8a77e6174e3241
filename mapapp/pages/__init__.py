"""HTML pages: the map and the tables and dashboards around it."""
from flask import Blueprint

pages_bp = Blueprint("pages", __name__)

# Routes register on import; each module owns one group of pages.
from mapapp.pages import (
    conflicts_page,  # noqa: E402,F401
    land_page,  # noqa: E402,F401
    map_page,  # noqa: E402,F401
    progress_pages,  # noqa: E402,F401
)
