"""The JSON API: layers as GeoJSON, search, conflicts."""
from flask import Blueprint, jsonify

api_bp = Blueprint("api", __name__, url_prefix="/api")


def bad_request(message: str):
    """400 with a JSON ``error`` that says what the request should have been."""
    response = jsonify(error=message)
    response.status_code = 400
    return response


from mapapp.api import conflicts, downloads, layers, projects  # noqa: E402,F401  (routes register on import)
