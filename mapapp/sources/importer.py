"""Import and export of layers: all-or-nothing, through the same validation as the sample data."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mapapp import clock
from mapapp.layers import get_layer
from mapapp.sources.reader import read_geodata, write_geodata
from mapapp.sources.validate import validate
from mapapp.store.backend import Store


@dataclass(frozen=True)
class ImportSummary:
    layer: str
    features: int
    conflicts: int


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


def _seed_reports(store: Store, frame: gpd.GeoDataFrame, source: str) -> list[dict]:
    """A first progress report for imported projects that carry a percent and have no history yet."""
    if "progress_pct" not in frame.columns:
        return []
    have = {r["project_code"] for r in store.reports()}
    today = clock.today().isoformat()
    rows = []
    for code, pct in zip(frame["code"], frame["progress_pct"]):
        if code in have or pct is None or pd.isna(pct):
            continue
        rows.append({"project_code": code, "date": today, "percent": float(pct), "note": f"Nhập từ tệp {source}", "reported_by": "import"})
    return rows


def import_file(
    store: Store,
    layer: str,
    path: str | Path,
    crs: str | None = None,
    replace: bool = False,
    source_layer: str | None = None,
    progress: Progress = _quiet,
) -> ImportSummary:
    """Validate the whole file, then write it and recompute conflicts in one transaction.

    ``progress`` hears each stage, so a long import of a cadastre says what it is doing.
    """
    frame = prepare(store, layer, path, crs=crs, source_layer=source_layer, progress=progress)
    reports = _seed_reports(store, frame, Path(path).name) if layer == "projects" else []
    progress(f"storing {len(frame):,} features and recomputing the planning conflicts…")
    store.write_layers({layer: frame}, replace=replace, reports=reports)
    return ImportSummary(layer, len(frame), len(store.read_conflicts()))


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
