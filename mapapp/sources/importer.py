"""Import and export of layers: all-or-nothing, through the same validation as the sample data."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapapp import clock
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, ChangeResult, Edit
from mapapp.errors import ImportRefused
from mapapp.layers import get_layer
from mapapp.refusals import Both, Reason
from mapapp.sources.position import province_extent
from mapapp.sources.reader import read_geodata
from mapapp.sources.repair import repair_geometries
from mapapp.sources.validate import validate
from mapapp.store.backend import Store
from mapapp.store.reads import no_gc_passes
from mapapp.store.records import python_values
from mapapp.values import PLAIN, ValueFormat, is_missing, parse_code


@dataclass(frozen=True)
class ImportSummary:
    layer: str
    features: int
    conflicts: int
    result: ChangeResult | None = None
    frame: gpd.GeoDataFrame | None = None  # the checked features, kept for a dry run's preview
    extras: tuple[str, ...] = ()  # the file's columns that are no field of the layer: kept as extra attributes


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def province_polygon(store: Store):
    """The ``boundaries`` layer's province polygon (WGS84), or None when none is loaded."""
    boundaries = store.read_layer("boundaries", fields_only=True)
    provinces = boundaries[boundaries["level"] == "province"] if len(boundaries) else boundaries
    if not len(provinces):
        return None
    return shapely.union_all(np.asarray(provinces.geometry.values, dtype=object))


def prepare(
    store: Store, layer: str, path: str | Path, crs: str | None = None, source_layer: str | None = None,
    progress: Progress = _quiet, *, encoding: str | None = None, mapping: dict[str, str] | None = None,
    fmt: ValueFormat = PLAIN, repair: bool = False,
) -> gpd.GeoDataFrame:
    """Read and validate a file for ``layer`` without writing anything.

    ``encoding`` (DBF/CSV text), ``mapping`` (field → column, ``--map``/``--mapping``),
    ``fmt`` (``--number-format``/``--date-format``) and ``repair`` (``--repair``) are what
    the user declared. Features must lie in the province (its ``boundaries`` polygon
    + 10 km when loaded, else ``MAPAPP_EXTENT``). A table without geometry (Excel) is
    joined by code to the layer's stored features: its columns replace theirs.
    Returns the typed frame (WGS84); ``attrs["notes"]`` lists what was read and repaired.
    Raises :class:`ImportRefused` naming feature, field and reason.
    """
    spec = get_layer(layer)
    progress(f"reading {Path(path).name}…")
    try:
        extent = province_extent(province_polygon(store))
    except ValueError as exc:
        raise ImportRefused(str(exc)) from None
    frame = read_geodata(path, crs=crs, target=layer, source_layer=source_layer, encoding=encoding, mapping=mapping,
                         extent=extent, tables=True)
    notes = list(frame.attrs.get("notes", []))
    if frame.attrs.get("table"):
        frame = _join_stored(store, layer, frame)
        notes.append(f"joined {len(frame):,} rows to stored {layer} by code")
    if repair:
        frame, repaired = repair_geometries(spec, frame)
        notes.extend(repaired)
    progress(f"checking {len(frame):,} features…")
    checked = validate(spec, frame, zone_codes=store.codes("zones"), fmt=fmt)
    checked.attrs["notes"] = notes
    return checked


def _join_stored(store: Store, layer: str, table: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows without geometry (an Excel list) on the stored features of the same code; the table's values win."""
    if "code" not in table.columns:
        raise ImportRefused(Reason("import.table_needs_code"),
                            field="code", layer=layer)
    stored = store.read_layer(layer)
    by_code = {code: i for i, code in enumerate(stored["code"])} if len(stored) else {}
    rows = []
    for i, raw in enumerate(table["code"].to_numpy()):
        code = None if is_missing(raw) else parse_code(raw)
        if code not in by_code:
            from mapapp.refusals.labels import layer_label  # its labels load the UI's messages: only when refusing

            raise ImportRefused(
                Reason("import.no_stored_code", layer=Both(layer_label(layer, "vi"), layer)),
                feature=i + 1, code=code, field="code", layer=layer)
        rows.append(by_code[code])
    base = stored.iloc[rows].reset_index(drop=True)
    spec = get_layer(layer)
    columns = {name: base[name].to_numpy() for name in spec.field_names}
    props = pd.DataFrame(list(base["props"])) if len(base) else pd.DataFrame()
    columns.update({name: props[name].to_numpy() for name in props.columns if name not in columns})
    for name in table.columns:
        if name != table.geometry.name:
            columns[name] = table[name].to_numpy()
    return gpd.GeoDataFrame(columns, geometry=base.geometry.to_numpy(), crs=stored.crs)


def file_source(path: str | Path) -> str:
    """The file's name and sha256, as the audit log records an import's source."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return f"{Path(path).name} sha256:{digest.hexdigest()}"


def _seed_reports(store: Store, frame: gpd.GeoDataFrame, source: str) -> list[dict]:
    """A report dated today for imported projects whose percent is not their latest report's (one truth per fact)."""
    if "progress_pct" not in frame.columns:
        return []
    latest: dict[str, float] = {}
    for r in store.reports():
        latest[r["project_code"]] = r["percent"]  # oldest first: the last one per project wins
    today = clock.today().isoformat()
    rows = []
    for code, pct in zip(frame["code"], frame["progress_pct"]):
        if pct is None or pd.isna(pct) or latest.get(code) == float(pct):
            continue
        rows.append({"project_code": code, "date": today, "percent": float(pct), "note": f"Nhập từ tệp {source}", "reported_by": "import"})
    return rows


def frame_edits(spec_fields: tuple[str, ...], frame: gpd.GeoDataFrame) -> list[Edit]:
    """A validated frame as edits of whole features: spec fields, extra attributes, geometry."""
    extra = [c for c in frame.columns if c not in spec_fields and c != frame.geometry.name]
    fields = {name: python_values(frame[name]) for name in spec_fields}
    extras = {name: python_values(frame[name]) for name in extra}
    keys, extra_keys = list(fields), list(extras)
    # the geometry array's own list: GeoSeries.tolist() takes each geometry through GeometryArray.__getitem__ (0.1 s per 10⁵)
    geoms = np.asarray(frame.geometry.values, dtype=object).tolist()
    if not extras:  # a file with only the layer's fields: no extra attributes to sort out feature by feature
        return [Edit(row["code"], row, {}, geom) for row, geom in zip(map(dict, map(zip, repeat(keys), zip(*fields.values()))), geoms)]
    rows = zip(zip(*fields.values()), zip(*extras.values()), geoms)
    edits = []
    for values, more, geom in rows:
        row = dict(zip(keys, values))
        edits.append(Edit(row["code"], row, props={k: v for k, v in zip(extra_keys, more) if not is_missing(v)}, geometry=geom))
    return edits


def import_file(
    store: Store,
    layer: str,
    path: str | Path,
    crs: str | None = None,
    replace: bool = False,
    source_layer: str | None = None,
    progress: Progress = _quiet,
    actor: Actor | None = None,
    confirm: bool = False,
    dry_run: bool = False,
    **options,
) -> ImportSummary:
    """Validate the whole file, then write it through the one write path (one transaction, audited).

    ``progress`` hears each stage, so a long import of a cadastre says what it is doing.
    ``replace`` retires the layer's features missing from the file (never deletes them).
    ``dry_run`` reports what would be added, changed, unchanged and retired, and stores nothing.
    ``options`` go to :func:`prepare` (encoding, mapping, fmt, repair).
    """
    with no_gc_passes():  # 10⁵ features' rows, dicts and entries: collections only walk them again and again
        frame = prepare(store, layer, path, crs=crs, source_layer=source_layer, progress=progress, **options)
        source = file_source(path)
        actor = Actor(actor.name if actor else Actor.command_line().name, "import", source)
        reports = _seed_reports(store, frame, Path(path).name) if layer == "projects" else []
        progress(f"storing {len(frame):,} features and recomputing the planning conflicts…")
        result = apply_features(
            store, layer, frame_edits(get_layer(layer).field_names, frame), actor,
            replace=replace, confirm=confirm, dry_run=dry_run, reports=reports,
            keep_figures=False,  # the command warms the zones it touched (mapapp import --warm), or leaves them
        )
    conflicts = result.conflicts if result.conflicts is not None else store.conflict_count()
    fields = set(get_layer(layer).field_names)
    extras = tuple(c for c in frame.columns if c not in fields and c != frame.geometry.name)
    return ImportSummary(layer, len(frame), conflicts, result, frame if dry_run else None, extras)


def export_frame(store: Store, layer: str, staff: bool = True) -> gpd.GeoDataFrame:
    """A layer as the importer reads it back: the spec's fields, extra attributes, geometry (WGS84).

    ``staff`` False gives the public download: without personal fields and, where the
    layer says so, without extra attributes (:func:`mapapp.privacy.redact`).
    """
    from mapapp.privacy import redact

    spec = get_layer(layer)
    frame = redact(store.read_layer(layer), layer, staff)
    names = [name for name in spec.field_names if name in frame.columns]
    props = pd.DataFrame(list(frame["props"])) if len(frame) else pd.DataFrame()
    columns = {name: frame[name].to_numpy() for name in names} if len(frame) else {n: [] for n in names}
    for name in props.columns:
        if name not in columns:
            columns[name] = props[name].to_numpy()
    return gpd.GeoDataFrame(columns, geometry=frame.geometry.to_numpy(), crs=frame.crs)


def export_layer(store: Store, layer: str, path: str | Path, crs: str = "EPSG:4326", staff: bool = True) -> int:
    """Write ``layer`` to ``path`` in the format its name says (see :mod:`mapapp.sources.writers`), in ``crs``.

    ``crs`` is EPSG:4326 (default) or EPSG:5897 (VN-2000 / TM-3 105°00′; also ``VN-2000``).
    ``staff`` False writes the public download (see :func:`export_frame`); the command
    line writes every attribute. Returns the number of features written.
    """
    # imported here: with its GeoJSON and privacy modules (Flask), it is nothing an import needs
    from mapapp.sources.writers import write_layer

    frame = export_frame(store, layer, staff)
    write_layer(frame, path, layer, crs)
    return len(frame)
