"""HTML pages: the map and the tables and dashboards around it."""
from flask import Blueprint

pages_bp = Blueprint("pages", __name__)

from mapapp.pages import map_page  # noqa: E402,F401  (routes register on import)
