"""OGC API – Features (read-only) at ``/ogc``: Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS; Part 3 queryables and CQL2 text.

One module a job: :mod:`.common` (blueprint, links, formats), :mod:`.catalogue` (the
collections and their queryables), :mod:`.params` (the items query), :mod:`.cql2`
(the filter language), :mod:`.crs` (CRS84 and VN-2000), :mod:`.selection` (reading a
page from the store), :mod:`.openapi` (the API document), :mod:`.html` (pages),
:mod:`.http` (JSON errors and CORS), and the routes in :mod:`.landing`,
:mod:`.collections` and :mod:`.items`.
"""
from mapapp.api.ogc.common import ogc_bp
from mapapp.api.ogc import collections, http, items, landing  # noqa: E402,F401  (routes register on import)

__all__ = ["ogc_bp"]
