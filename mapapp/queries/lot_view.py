"""Lots as their readers see them, written as GeoJSON features straight from DB-API rows: the map's bbox view
and the OGC API's pages, without a frame.

What :func:`mapapp.queries.layers.layer_view` and :func:`mapapp.geojson.collection_json` give for lots, byte
for byte (``tests/queries/test_lot_view.py`` compares them): the stored columns the viewer may see (measures
rounded, ``area_ha`` added), each active lot's readiness (``ready``, ``ready_expected``,
``clearance_missing``: :mod:`mapapp.queries.lot_readiness`), its zone's administrative units as of the date
(``units_as_of``, ``units_as_of_en``) and, with retired lots asked for, ``retired``. The rows come with
their readiness kept in the database (:mod:`mapapp.store.lot_sql`), which is used only when its key is the
one :mod:`mapapp.queries.lot_keys` gives now (worked out from what is stored, so a write that may change a
lot's readiness makes its kept row stale); the lots left over go through
:func:`mapapp.queries.lot_readiness.readiness_rows` (memory, then worked out and kept).
"""
from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import numpy as np
import shapely
from sqlalchemy import Connection

from mapapp.analysis.measure import STORAGE_CRS
from mapapp.geojson import INTERNAL, feature_head, feature_texts, list_texts, oriented, properties_texts
from mapapp.layers import LAYERS
from mapapp.privacy import STAFF_ONLY_COLUMNS, hidden_fields
from mapapp.queries import lot_keys, lot_readiness, zone_figures
from mapapp.queries.clearance import procedure_settings, unit_names
from mapapp.queries.layers import NEVER_SHOWN, as_of
from mapapp.store import figure_versions, lot_rows, lot_sql, raw_sql
from mapapp.store.backend import BBox, Store
from mapapp.store.clearance_records import read_units
from mapapp.store.reads import no_gc_passes


def read_columns(staff: bool) -> list[str]:
    """The stored columns of ``lots`` read for a viewer (staff or not): none the viewer never sees."""
    return lot_sql.lot_columns((*NEVER_SHOWN, *hidden_fields("lots", staff), *(() if staff else STAFF_ONLY_COLUMNS)))


def bbox_features(store: Store, bbox: BBox, at: dt.date | None, staff: bool, include_retired: bool) -> list[str]:
    """The lots meeting ``bbox`` (WGS84 degrees) in code order, as GeoJSON Feature texts with their figures at
    ``at`` (None: the dataset's date): what ``collection_json(layer_view(store, "lots", bbox=bbox, …))`` writes for each."""
    columns = read_columns(staff)
    # no cyclic collection while the view is built: its ~10⁴ temporary tuples and texts would set off full
    # passes over everything the process keeps (the zones' figures), each longer than the whole view
    with no_gc_passes(), store.engine.connect() as conn:
        # versions first: kept rows read after them are at least as new, so none is taken under an older key
        versions = raw_sql.figure_versions_of(conn)
        rows = lot_sql.in_bbox(conn, bbox, columns, include_retired)
        cut = None if conn.dialect.name == "postgresql" else bbox  # PostGIS has cut by the geometry itself
        return features(store, conn, versions, columns, rows, at, staff, include_retired, cut)


def feature(store: Store, code: str, at: dt.date | None, staff: bool) -> tuple[str, int] | None:
    """The lot ``code`` (retired or not) as one GeoJSON Feature text with its figures at ``at`` (None: the dataset's
    date), and its stored version; None when there is no such lot: what ``feature_json(layer_view(store, "lots",
    filters={"code": code}, at=at, staff=staff, include_retired=True))`` writes. Its kept readiness is used when its
    key holds (a status edit keeps it; a move does not)."""
    columns = read_columns(staff)
    with store.engine.connect() as conn:
        versions = raw_sql.figure_versions_of(conn)
        rows = lot_sql.by_code(conn, code, columns)
        if not rows:
            return None
        (text,) = features(store, conn, versions, columns, rows, at, staff, include_retired=True)
    return text, int(rows[0][columns.index("version")] or 1)


def features(store: Store, conn: Connection, versions: figure_versions.Versions, columns: list[str], rows: list[tuple],
             at: dt.date | None, staff: bool, include_retired: bool, cut: BBox | None = None) -> list[str]:
    """Feature texts of ``rows`` (``columns`` then :data:`mapapp.store.lot_sql.KEPT`, read after ``versions``) with
    their figures at ``at`` (None: the dataset's date); with ``cut``, only the lots whose geometry meets that box
    (R*Tree candidates, cut as :meth:`Store.read_layer` does)."""
    if not rows:
        return []
    at = at or as_of(store, conn)
    values = dict(zip([*columns, *lot_sql.KEPT], (list(v) for v in zip(*rows))))
    geoms = shapely.from_wkb(np.asarray(values["geom"], dtype=object))
    shown = [c for c in columns if c not in INTERNAL and c != "retired_at"]
    # each stored column typed (as pandas types a frame's column) over every row read, as the generic path does
    texts = {c: list_texts(values[c]) for c in shown}
    area = np.asarray(values["area_m2"], dtype=float)
    length = np.asarray(values["length_m"], dtype=float)
    if cut is not None:
        inside = np.flatnonzero(shapely.intersects(geoms, shapely.box(*cut)))
        if len(inside) < len(geoms):
            picked = inside.tolist()
            texts = {c: [t[i] for i in picked] for c, t in texts.items()}
            values = {c: [v[i] for i in picked] for c, v in values.items()}
            geoms, area, length = geoms[inside], area[inside], length[inside]
    texts["area_m2"] = list_texts(np.round(area, 1).tolist())
    texts["length_m"] = list_texts(np.round(length, 1).tolist())
    texts["area_ha"] = list_texts(np.round(area / 10_000.0, 3).tolist())
    texts.update(_readiness_texts(store, conn, versions, values, geoms, at))
    names, english = unit_names(store, values["zone_code"], at, read_units(conn))
    texts["units_as_of"] = list_texts([names[z] for z in values["zone_code"]])
    texts["units_as_of_en"] = list_texts([english[z] for z in values["zone_code"]])
    if include_retired:
        texts["retired"] = ["false" if r is None else "true" for r in values["retired_at"]]
    # a layer whose extra attributes are not public shows them to staff only (mapapp.privacy.redact)
    shown_extras = staff or LAYERS["lots"].public_extra_attributes
    extras = json.loads("[" + ",".join("null" if t is None else t for t in values["props"]) + "]") if shown_extras else ()
    props = properties_texts(texts, extras, len(geoms))
    return feature_texts(list(map(feature_head, values["code"])), shapely.to_geojson(oriented(geoms), indent=None), props)


def _readiness_texts(store: Store, conn: Connection, versions: figure_versions.Versions, values: dict,
                     geoms: np.ndarray, at: dt.date) -> dict[str, list[str]]:
    """``ready``, ``ready_expected`` and ``clearance_missing`` of each lot as JSON texts (retired lots: ready,
    nothing missing, no date), typed as :func:`mapapp.queries.clearance.with_figures` gives them."""
    n = len(geoms)
    active = np.flatnonzero([r is None for r in values["retired_at"]])
    kept = list(zip(*(values[c] for c in lot_sql.KEPT)))
    kept = kept if len(active) == n else [kept[i] for i in active.tolist()]
    codes, geoms = np.asarray(values["code"], dtype=object)[active], geoms[active]
    wkbs = values["geom"] if len(active) == n else [values["geom"][i] for i in active.tolist()]
    good = _holding(store, conn, versions, geoms, wkbs, kept, at)
    texts = {"ready": ["true"] * n, "ready_expected": ["null"] * n, "clearance_missing": ["[]"] * n}
    if len(good) == len(kept):
        # every active lot's kept row holds: its stored texts are the JSON the columns would be written as
        for i, (_, ready, missing, _, expected) in zip(active.tolist(), kept):
            texts["ready"][i] = "true" if ready else "false"
            texts["ready_expected"][i] = "null" if expected is None else '"%s"' % expected
            # kept as json.dumps wrote it: the same text unless it escapes a character (ASCII-only there, not here)
            texts["clearance_missing"][i] = missing if "\\" not in missing else list_texts([json.loads(missing)])[0]
        return texts
    found = _rows(store, codes, geoms, kept, good, at)
    ready, expected, missing = [True] * n, np.full(n, None, dtype=object), [[] for _ in range(n)]
    for i, (is_ready, codes_missing, _, when) in zip(active.tolist(), found):
        ready[i], expected[i], missing[i] = is_ready, when, list(codes_missing)
    return {"ready": list_texts(ready), "ready_expected": list_texts(expected), "clearance_missing": list_texts(missing)}


def _holding(store: Store, conn: Connection, versions: figure_versions.Versions, geoms: np.ndarray, wkbs: list,
             kept: list[tuple], at: dt.date) -> list[int]:
    """Positions of the lots (WGS84 ``geoms``, their stored WKB ``wkbs``) whose ``kept`` row (key, ready, missing as
    JSON text, reason, ready_expected as ISO text; NULLs when none) holds at ``at``: its key is the lot's key now."""
    if not len(geoms):
        return []
    reach = lot_keys.reaching(conn, shapely.bounds(geoms))
    # the stored WKB is what shapely.to_wkb writes (mapapp.store.records), as the keys were made of: no need to
    # write it again; were it written otherwise, no key would match and the lots would be worked out (never wrong)
    keys = lot_keys.keys([bytes(w) for w in wkbs], reach, versions, at,
                         zone_figures.paces_at(store, versions, at), procedure_settings())
    return [i for i, (row, key) in enumerate(zip(kept, keys)) if row[0] == key]


def _rows(store: Store, codes: np.ndarray, geoms: np.ndarray, kept: list[tuple], good: list[int],
          at: dt.date) -> list[lot_rows.Row]:
    """Each active lot's readiness at ``at`` (``codes``, WGS84 ``geoms``), as
    :func:`mapapp.queries.lot_readiness.readiness_rows` gives it: its ``kept`` row where it holds (``good``),
    else worked out."""
    missing = json.loads("[" + ",".join(kept[i][2] for i in good) + "]")
    out: list = [None] * len(codes)
    for i, codes_missing in zip(good, missing):
        _, ready, _, reason, expected = kept[i]
        out[i] = (bool(ready), tuple(codes_missing), reason, dt.date.fromisoformat(expected) if expected is not None else None)
    todo = [i for i, row in enumerate(out) if row is None]
    if todo:
        left = gpd.GeoDataFrame({"code": codes[todo]}, geometry=geoms[todo], crs=STORAGE_CRS)
        for i, row in zip(todo, lot_readiness.readiness_rows(store, left, at)):
            out[i] = row
    return out
