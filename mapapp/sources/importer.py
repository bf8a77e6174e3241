"""Import and export of layers: all-or-nothing, through the same validation as the sample data."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mapapp import clock
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, ChangeResult, Edit
from mapapp.layers import get_layer
from mapapp.sources.reader import read_geodata, write_geodata
from mapapp.sources.validate import validate
from mapapp.store.backend import Store
from mapapp.store.records import python_values
from mapapp.values import is_missing


@dataclass(frozen=True)
class ImportSummary:
    layer: str
    features: int
    conflicts: int
    result: ChangeResult | None = None


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def prepare(
    store: Store, layer: str, path: str | Path, crs: str | None = None, source_layer: str | None = None,
    progress: Progress = _quiet,
) -> gpd.GeoDataFrame:
    """Read and validate a file for ``layer`` without writing anything."""
    spec = get_layer(layer)
    progress(f"reading {Path(path).name}…")
    frame = read_geodata(path, crs=crs, target=layer, source_layer=source_layer)
    progress(f"checking {len(frame):,} features…")
    return validate(spec, frame, zone_codes=store.codes("zones"))


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
    geoms = frame.geometry.tolist()
    edits = []
    for i, code in enumerate(fields["code"]):
        props = {k: v[i] for k, v in extras.items() if not is_missing(v[i])}
        edits.append(Edit(code, {k: v[i] for k, v in fields.items()}, props=props, geometry=geoms[i]))
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
) -> ImportSummary:
    """Validate the whole file, then write it through the one write path (one transaction, audited).

    ``progress`` hears each stage, so a long import of a cadastre says what it is doing.
    ``replace`` retires the layer's features missing from the file (never deletes them).
    ``dry_run`` reports what would be added, changed, unchanged and retired, and stores nothing.
    """
    frame = prepare(store, layer, path, crs=crs, source_layer=source_layer, progress=progress)
    source = file_source(path)
    actor = Actor(actor.name if actor else Actor.command_line().name, "import", source)
    reports = _seed_reports(store, frame, Path(path).name) if layer == "projects" else []
    progress(f"storing {len(frame):,} features and recomputing the planning conflicts…")
    result = apply_features(
        store, layer, frame_edits(get_layer(layer).field_names, frame), actor,
        replace=replace, confirm=confirm, dry_run=dry_run, reports=reports,
    )
    conflicts = result.conflicts if result.conflicts is not None else store.conflict_count()
    return ImportSummary(layer, len(frame), conflicts, result)


def export_frame(store: Store, layer: str) -> gpd.GeoDataFrame:
    """A layer as the importer reads it back: the spec's fields, extra attributes, geometry."""
    spec = get_layer(layer)
    frame = store.read_layer(layer)
    props = pd.DataFrame(list(frame["props"])) if len(frame) else pd.DataFrame()
    columns = {name: frame[name].to_numpy() for name in spec.field_names} if len(frame) else {n: [] for n in spec.field_names}
    for name in props.columns:
        if name not in columns:
            columns[name] = props[name].to_numpy()
    return gpd.GeoDataFrame(columns, geometry=frame.geometry.to_numpy(), crs=frame.crs)


def export_layer(store: Store, layer: str, path: str | Path) -> int:
    """Write ``layer`` to ``path``: GeoJSON through mapapp's one writer (RFC 7946 rings), GeoPackage through GDAL."""
    frame = export_frame(store, layer)
    if Path(path).suffix.lower() in (".geojson", ".json"):
        from mapapp.api.geojson import collection_json

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(collection_json(frame, id_column=None, staff=True), encoding="utf-8")
    else:
        write_geodata(frame, path, layer)
    return len(frame)
