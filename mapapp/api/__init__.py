"""The JSON API: layers as GeoJSON, search, conflicts."""
from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api")

from mapapp.api import conflicts, layers, projects  # noqa: E402,F401  (routes register on import)
