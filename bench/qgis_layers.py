"""Open every collection of mapapp's /ogc in QGIS (PyQGIS, headless) and print counts and geometry types.

What a planner does in QGIS (Layer ▸ Add Layer ▸ Add WFS / OGC API – Features Layer, URL
``…/ogc``), done by QGIS's own OAPIF provider. Run with the system Python that has
``python3-qgis`` (Debian: ``apt-get install qgis python3-qgis``), against a running server::

    .venv/bin/mapapp serve --port 5000 &
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 bench/qgis_layers.py http://127.0.0.1:5000/ogc

Also prints the count with a server-side filter (``status='available'`` on lots) and in a bbox,
and exits non-zero if a collection does not load or its count differs from ``numberMatched``.
"""
from __future__ import annotations

import json
import os
import sys
import time
from urllib.request import urlopen

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import Qgis, QgsApplication, QgsFeatureRequest, QgsRectangle, QgsVectorLayer, QgsWkbTypes  # noqa: E402


def _get(url: str) -> dict:
    with urlopen(url, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def _layer(base: str, collection: str, extra: str = "") -> QgsVectorLayer:
    uri = f"url='{base}' typename='{collection}' restrictToRequestBBOX='0' pagingEnabled='true'{extra}"
    return QgsVectorLayer(uri, collection, "OAPIF")


def main(base: str) -> int:
    app = QgsApplication([], False)
    app.initQgis()
    failures = 0
    print(f"QGIS {Qgis.QGIS_VERSION} reading {base}")
    print(f"{'collection':<20} {'valid':>5} {'count':>6} {'server':>6} {'geometry':<18} {'s':>5}")
    for c in _get(f"{base}/collections?f=json")["collections"]:
        started = time.perf_counter()
        layer = _layer(base, c["id"])
        count = sum(1 for _ in layer.getFeatures()) if layer.isValid() else -1
        matched = _get(f"{base}/collections/{c['id']}/items?limit=1&f=json")["numberMatched"]
        geometry = QgsWkbTypes.displayString(layer.wkbType()) if layer.isValid() else "-"
        print(f"{c['id']:<20} {str(layer.isValid()):>5} {count:>6} {matched:>6} {geometry:<18} {time.perf_counter() - started:>5.1f}")
        failures += (not layer.isValid()) or count != matched
    lots = _layer(base, "lots")
    request = QgsFeatureRequest().setFilterExpression("\"status\" = 'available'")
    available = sum(1 for _ in lots.getFeatures(request))
    expected = _get(f"{base}/collections/lots/items?limit=1&status=available&f=json")["numberMatched"]
    print(f"lots with status = 'available': {available} (server says {expected})")
    failures += available != expected
    lots.setSubsetString("\"status\" = 'available'")
    subset = sum(1 for _ in lots.getFeatures())
    print(f"lots with the layer filter (Query Builder) status = 'available': {subset}")
    failures += subset != expected
    lots.setSubsetString("")
    extent = lots.extent()
    box = QgsRectangle(extent.xMinimum(), extent.yMinimum(), extent.center().x(), extent.center().y())
    in_box = sum(1 for _ in lots.getFeatures(QgsFeatureRequest().setFilterRect(box)))
    print(f"lots in the south-west quarter of their extent: {in_box}")
    app.exitQgis()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:5000/ogc"))
