"""Browser assets served by mapapp itself from ``node_modules`` (installed from package.json).

Government intranets and the test machines have no internet: every script and
stylesheet the pages use is mapped from its public CDN address to the local
copy, and the CDN is kept only where the local copy is missing.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from mapapp.config import REPO_ROOT

NODE_MODULES = REPO_ROOT / "node_modules"
PREFIX = "/vendor/"

VECTORGRID_CDN = "https://cdn.jsdelivr.net/npm/leaflet.vectorgrid@1.3.0/dist/Leaflet.VectorGrid.bundled.js"
# The line patches/leaflet.vectorgrid-288.cjs puts first in the file it patched.
VECTORGRID_PATCHED = "/* mapapp: patched with Leaflet.VectorGrid#288"

# CDN address -> path below node_modules (same version, pinned in package.json)
CDN_TO_LOCAL: dict[str, str] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/dist/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/dist/leaflet.css",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "leaflet.fullscreen/Control.FullScreen.js",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js": "leaflet-measure/dist/leaflet-measure.min.js",
    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css": "leaflet-measure/dist/leaflet-measure.css",
    "https://cdn.jsdelivr.net/npm/chart.js@4.5.1/dist/chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "https://cdn.jsdelivr.net/npm/proj4@2.20.0/dist/proj4.js": "proj4/dist/proj4.js",
    # vector tiles (large layers); served only once patched (see vectorgrid_url)
    VECTORGRID_CDN: "leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.js",
    # the accessibility check the browser tests run on every page
    "https://cdn.jsdelivr.net/npm/axe-core@4.14.1/axe.min.js": "axe-core/axe.min.js",
}

vendor_bp = Blueprint("vendor", __name__)


def asset_url(cdn_url: str, root: Path = NODE_MODULES) -> str:
    """The local address of a CDN asset when it is installed, else the CDN address."""
    local = CDN_TO_LOCAL.get(cdn_url)
    if local and (root / local).is_file():
        return PREFIX + local
    return cdn_url


def vectorgrid_url(root: Path = NODE_MODULES) -> str | None:
    """The local address of Leaflet.VectorGrid once patched for Leaflet 1.9 (``npm ci`` runs the patch), else None.

    There is no CDN fallback: the released file throws on every click with Leaflet ≥ 1.8
    (VectorGrid#274), so without npm the large layers stay GeoJSON, loaded per view.
    """
    local = root / CDN_TO_LOCAL[VECTORGRID_CDN]
    try:
        with local.open(encoding="utf-8") as f:
            patched = f.readline().startswith(VECTORGRID_PATCHED)
    except OSError:
        return None
    return PREFIX + CDN_TO_LOCAL[VECTORGRID_CDN] if patched else None


def localize(element) -> None:
    """Point every JS/CSS dependency of a folium element tree at the local copies."""
    for attr in ("default_js", "default_css"):
        deps = getattr(element, attr, None)
        if deps:
            setattr(element, attr, [(name, asset_url(url)) for name, url in deps])
    for child in getattr(element, "_children", {}).values():
        localize(child)


PACKAGES = {local.split("/")[0] for local in CDN_TO_LOCAL.values()}
SERVED_SUFFIXES = {".js", ".css", ".png", ".svg"}


@vendor_bp.get("/vendor/<path:path>")
def vendor_file(path: str):
    """Files of the mapped packages only (scripts, styles, their images): node_modules is not published whole."""
    if path.split("/")[0] not in PACKAGES or Path(path).suffix not in SERVED_SUFFIXES:
        abort(404)
    return send_from_directory(NODE_MODULES, path, max_age=7 * 24 * 3600)
