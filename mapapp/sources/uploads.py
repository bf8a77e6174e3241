"""Files uploaded through the import page: kept under the instance folder until applied, previewed as a dry run.

An upload is a folder ``instance/uploads/<token>/`` holding the file as sent. A zipped
shapefile stays zipped (the reader opens it). The preview is the importer's dry run plus
the geometry of what would be added, changed and retired, as one GeoJSON
FeatureCollection (WGS84) whose features carry ``outcome``.

An upload never applied is removed by the next upload once it is :data:`KEPT_HOURS` old: a file of
parcels may hold households' names and amounts, personal data kept no longer than its purpose needs
(Decree 13/2023/NĐ-CP), and abandoned files would fill the disk.
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import geopandas as gpd
import pandas as pd
import shapely

from mapapp import clock
from mapapp.changes.model import Actor
from mapapp.errors import MapappError
from mapapp.refusals import Reason
from mapapp.sources.importer import ImportSummary, import_file
from mapapp.store.backend import Store
from mapapp.values import nfc

# Characters a file name may not keep: path separators, control characters, shell-special ones.
UNSAFE_NAME = re.compile(r'[\\/\x00-\x1f<>:"|?*]+')
PREVIEW_LIMIT = 2000  # features drawn on the preview map per outcome
#: Hours an upload is kept for its preview and apply; older ones are removed by the next upload (:func:`sweep`).
KEPT_HOURS = 24


class UploadMissing(MapappError):
    """The upload is gone (applied already, or never made); upload the file again."""


@dataclass(frozen=True)
class Preview:
    token: str
    filename: str
    summary: ImportSummary
    geojson: str


def sweep(root: Path, hours: float = KEPT_HOURS) -> list[str]:
    """Remove the uploads under ``root`` last written more than ``hours`` before :func:`mapapp.clock.now`;
    returns their tokens (sorted). File times are instants (seconds since the epoch): no zone is read."""
    if not root.is_dir():
        return []
    oldest = clock.now().timestamp() - hours * 3600
    gone = sorted(p.name for p in root.iterdir() if _written_before(p, oldest))
    for token in gone:
        shutil.rmtree(root / token, ignore_errors=True)
    return gone


def _written_before(folder: Path, instant: float) -> bool:
    try:
        return folder.is_dir() and folder.stat().st_mtime < instant
    except FileNotFoundError:  # applied or swept by another request meanwhile
        return False


def save_upload(root: Path, filename: str, stream: BinaryIO) -> tuple[str, Path]:
    """Keep an uploaded file under ``root`` (removing uploads older than :data:`KEPT_HOURS` first); returns its
    token and path."""
    sweep(root)
    token = secrets.token_urlsafe(16)
    name = UNSAFE_NAME.sub("_", nfc(Path((filename or "upload").replace("\\", "/")).name)).strip(" .") or "upload"
    folder = root / token
    folder.mkdir(parents=True)
    path = folder / name
    with path.open("wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    return token, path


def upload_path(root: Path, token: str) -> Path:
    """The file of an upload; :class:`UploadMissing` for an unknown or used token."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{10,64}", token or ""):
        raise UploadMissing(Reason("upload.unknown"))
    folder = root / token
    files = [p for p in folder.iterdir()] if folder.is_dir() else []
    if len(files) != 1:
        raise UploadMissing(Reason("upload.gone"))
    return files[0]


def discard(root: Path, token: str) -> None:
    shutil.rmtree(root / token, ignore_errors=True)


def preview(store: Store, root: Path, token: str, layer: str, actor: Actor, **options: Any) -> Preview:
    """The dry run of importing the upload into ``layer``, with a map of what would change."""
    path = upload_path(root, token)
    summary = import_file(store, layer, path, actor=actor, dry_run=True, **options)
    return Preview(token, path.name, summary, _preview_geojson(store, layer, summary))


def apply(store: Store, root: Path, token: str, layer: str, actor: Actor, **options: Any) -> ImportSummary:
    """Import the upload for real (one transaction, audited with the file's sha256), then forget the file."""
    path = upload_path(root, token)
    summary = import_file(store, layer, path, actor=actor, **options)
    discard(root, token)
    return summary


def _preview_geojson(store: Store, layer: str, summary: ImportSummary) -> str:
    result, frame = summary.result, summary.frame
    parts = []
    if frame is not None and len(frame):
        codes = frame["code"].astype(str)
        for outcome in ("added", "changed"):
            wanted = set(getattr(result, outcome))
            part = frame.loc[codes.isin(wanted), ["code", frame.geometry.name]].head(PREVIEW_LIMIT)
            parts.append(gpd.GeoDataFrame({"code": part["code"].astype(str), "outcome": outcome}, geometry=part.geometry.values, crs=frame.crs))
    if result.retired:
        gone = store.read_layer(layer, fields_only=True)
        gone = gone[gone["code"].isin(result.retired[:PREVIEW_LIMIT])]
        parts.append(gpd.GeoDataFrame({"code": gone["code"].astype(str), "outcome": "retired"}, geometry=gone.geometry.values, crs=gone.crs))
    if not parts:
        return json.dumps({"type": "FeatureCollection", "features": []})
    merged = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    features = [
        {"type": "Feature", "properties": {"code": c, "outcome": o}, "geometry": json.loads(shapely.to_geojson(g))}
        for c, o, g in zip(merged["code"], merged["outcome"], merged.geometry)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
