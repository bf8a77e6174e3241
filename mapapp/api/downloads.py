"""Route: /api/layers/<layer>/download — a layer as a file: GeoJSON, GeoPackage, zipped Shapefile, KML, CSV, XLSX.

The public gets the public attributes (no personal data); signed-in staff get every
attribute (:mod:`mapapp.privacy`). ``crs`` is EPSG:4326 (default) or EPSG:5897.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from flask import request, send_file

from mapapp import clock
from mapapp.api import api_bp, bad_request
from mapapp.api.layers import _layer_or_404
from mapapp.privacy import viewer_is_staff
from mapapp.sources.importer import export_layer
from mapapp.store import current_store

# format name -> (file suffix, media type)
DOWNLOADS = {
    "geojson": (".geojson", "application/geo+json"),
    "gpkg": (".gpkg", "application/geopackage+sqlite3"),
    "shp": (".shp.zip", "application/zip"),
    "kml": (".kml", "application/vnd.google-earth.kml+xml"),
    "csv": (".csv", "text/csv"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
CRSS = ("EPSG:4326", "EPSG:5897")


@api_bp.get("/layers/<layer>/download")
def download_layer(layer: str):
    """``?format=geojson|gpkg|shp|kml|csv|xlsx`` (default geojson), ``&crs=EPSG:4326|EPSG:5897``."""
    _layer_or_404(layer)
    fmt = request.args.get("format", "geojson")
    crs = request.args.get("crs", "EPSG:4326")
    if fmt not in DOWNLOADS:
        return bad_request(f"format must be one of {', '.join(DOWNLOADS)}")
    if crs not in CRSS or (fmt == "kml" and crs != "EPSG:4326"):
        return bad_request(f"crs must be one of {', '.join(CRSS)} (KML is always EPSG:4326)")
    suffix, media = DOWNLOADS[fmt]
    name = f"mapapp-{layer}-{clock.today().isoformat()}{suffix}"
    # Werkzeug never runs a file response's close callbacks (it passes the file straight to the server), so
    # the folder is removed as soon as the file is open: the open file is streamed, then closed by the server.
    folder = Path(tempfile.mkdtemp(prefix="mapapp-download-"))
    try:
        path = folder / name
        export_layer(current_store(), layer, path, crs=crs, staff=viewer_is_staff())
        file = path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    response = send_file(file, mimetype=media, as_attachment=True, download_name=name, max_age=0)
    response.content_length = os.fstat(file.fileno()).st_size
    return response
