"""HTML pages: the map and the tables and dashboards around it."""
from flask import Blueprint

pages_bp = Blueprint("pages", __name__)


@pages_bp.app_template_filter("term")
def _term(value: object) -> str:
    """District names, units and developers in the page's language (see mapapp.pages.data_terms)."""
    from mapapp.pages.data_terms import term_filter

    return term_filter(value)


@pages_bp.app_template_filter("badge_style")
def _badge_style(color: str) -> str:
    """A status badge's inline style, readable whatever the status colour (mapapp.pages.contrast)."""
    from mapapp.pages.contrast import badge_style

    return badge_style(color)


# Routes register on import; each module owns one page (or one page and its form).
from mapapp.pages import (  # noqa: E402
    background,  # noqa: F401
    clearance_pages,  # noqa: F401
    conflicts_page,  # noqa: F401
    dashboard_page,  # noqa: F401
    directives_page,  # noqa: F401
    history_page,  # noqa: F401
    imports_page,  # noqa: F401
    land_page,  # noqa: F401
    lot_issues,  # noqa: F401
    map_page,  # noqa: F401
    project_page,  # noqa: F401
)
