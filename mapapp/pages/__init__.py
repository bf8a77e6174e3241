"""HTML pages: the map and the tables and dashboards around it."""
from flask import Blueprint

pages_bp = Blueprint("pages", __name__)

# Routes register on import; each module owns one page (or one page and its form).
from mapapp.pages import (  # noqa: E402
    conflicts_page,  # noqa: F401
    dashboard_page,  # noqa: F401
    directives_page,  # noqa: F401
    history_page,  # noqa: F401
    land_page,  # noqa: F401
    map_page,  # noqa: F401
    project_page,  # noqa: F401
)
