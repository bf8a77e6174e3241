"""HTML pages: the map and the tables and dashboards around it."""
from flask import Blueprint

pages_bp = Blueprint("pages", __name__)

# Routes register on import; each module owns one group of pages.
from mapapp.pages import map_page  # noqa: E402,F401
from mapapp.pages import conflicts_page  # noqa: E402,F401
from mapapp.pages import progress_pages  # noqa: E402,F401
from mapapp.pages import land_page  # noqa: E402,F401
