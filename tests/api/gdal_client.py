"""Run GDAL's OAPIF driver (through pyogrio) in a child process and print what it read as JSON.

A child process because pyogrio holds the GIL while GDAL downloads, which would stall a
server running in the test's own process. Usage::

    python tests/api/gdal_client.py URL [LAYER [WHERE [minx,miny,maxx,maxy]]]

prints ``{"layers": {name: {"count": n, "geometry": type}}}`` without a layer, or
``{"count": n, "codes": [...]}`` for one layer read with the optional filter and bbox.
"""
from __future__ import annotations

import json
import sys

import pyogrio


def main(argv: list[str]) -> None:
    url = "OAPIF:" + argv[0]
    if len(argv) == 1:
        layers = {}
        for name, _ in pyogrio.list_layers(url):
            info = pyogrio.read_info(url, layer=name)
            layers[str(name)] = {"count": int(info["features"]), "geometry": str(info["geometry_type"])}
        print(json.dumps({"layers": layers}))
        return
    where = argv[2] if len(argv) > 2 and argv[2] else None
    bbox = tuple(float(v) for v in argv[3].split(",")) if len(argv) > 3 else None
    frame = pyogrio.read_dataframe(url, layer=argv[1], where=where, bbox=bbox)
    codes = sorted(frame["code"].astype(str)) if "code" in frame.columns else []
    print(json.dumps({"count": len(frame), "codes": codes, "geometry": sorted(set(frame.geom_type))}))


if __name__ == "__main__":
    main(sys.argv[1:])
