"""Shapefiles, loose or zipped: shapes by GDAL, attributes by :mod:`mapapp.sources.dbf` in the declared or
detected encoding, long field names restored from the list :mod:`mapapp.sources.writers` zips with them."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio.raw
import shapely
from pyproj import CRS

from mapapp.errors import ImportRefused
from mapapp.refusals import Reason, reason_of
from mapapp.sources import dbf, encodings
from mapapp.sources.mapping import FIELD_NAMES_MEMBER
from mapapp.sources.source import Source, short_reason


def zip_members(path: Path, suffix: str) -> list[str]:
    """The members of the zip at ``path`` ending in ``suffix`` (any case; macOS's ``__MACOSX`` copies left out), sorted;
    [] when ``path`` is not a zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            return sorted(n for n in zf.namelist() if n.lower().endswith(suffix) and not n.startswith("__MACOSX"))
    except zipfile.BadZipFile:
        return []


def _sidecar(path: Path, member: str | None, suffix: str) -> bytes | None:
    """The bytes of a shapefile's companion file (``.dbf``, ``.cpg``, ``.prj``), loose or in the zip."""
    if member is None:
        for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
            if candidate.is_file():
                return candidate.read_bytes()
        return None
    stem = member[: -len(".shp")]
    with zipfile.ZipFile(path) as zf:
        names = {n.lower(): n for n in zf.namelist()}
        name = names.get((stem + suffix).lower())
        return zf.read(name) if name else None


def _shapefile_encoding(table: dbf.DbfTable, declared: str | None, cpg: bytes | None, display: str) -> tuple[str, str]:
    """The encoding to read the DBF in and how it was chosen (``--encoding`` > ``.cpg`` > ASCII > clean UTF-8)."""
    if declared:
        try:
            return encodings.canonical(declared), "--encoding"
        except ValueError as exc:
            raise ImportRefused(reason_of(exc)) from None
    if cpg is not None:
        said = encodings.from_cpg(cpg.decode("ascii", errors="replace"))
        if said:
            return said, ".cpg"
    if dbf.text_is_ascii(table):
        return "ascii", "plain ASCII"
    if dbf.decodes_as(table, "utf-8"):
        return "utf-8", "decodes cleanly as UTF-8"
    raise ImportRefused(Reason("shp.no_encoding", name=display, choices=", ".join(encodings.CHOICES)))


def _read_one_shapefile(path: Path, member: str | None, encoding: str | None) -> Source:
    display = f"{path.name}:{member}" if member else path.name
    gdal_path = f"/vsizip/{path}/{member}" if member else str(path)
    try:
        meta, _, wkb, _ = pyogrio.raw.read(gdal_path, columns=[], return_fids=False)
    except Exception as exc:
        raise ImportRefused(Reason("shp.unreadable", name=display, detail=short_reason(exc))) from None
    geoms = shapely.from_wkb(wkb)
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    raw_dbf = _sidecar(path, member, ".dbf")
    if raw_dbf is None:
        return Source(display, pd.DataFrame(index=range(len(geoms))), geoms, crs)
    try:
        table = dbf.read_table(raw_dbf, f"{display} (.dbf)")
    except dbf.DbfError as exc:
        raise ImportRefused(reason_of(exc)) from None
    chosen, how = _shapefile_encoding(table, encoding, _sidecar(path, member, ".cpg"), display)
    try:
        frame = dbf.to_frame(table, chosen)
    except dbf.DbfError as exc:
        raise ImportRefused(Reason("shp.bad_text", name=display, detail=reason_of(exc), choices=", ".join(encodings.CHOICES))) from None
    frame = frame[~table.deleted].reset_index(drop=True)
    if len(frame) != len(geoms):
        raise ImportRefused(Reason("shp.count_mismatch", name=display, shapes=len(geoms), records=len(frame)))
    return Source(display, frame, geoms, crs, notes=[f"text read as {chosen} ({how})"])


def _long_names(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        member = next((n for n in zf.namelist() if n.rsplit("/", 1)[-1] == FIELD_NAMES_MEMBER), None)
        if member is None:
            return {}
        lines = zf.read(member).decode("utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def read_shapefile(path: Path, encoding: str | None) -> Source:
    """A ``.shp`` with its sidecars, or a zip of one layer (parts ``NAME_point``/``_line``/``_polygon`` joined);
    ``encoding`` as ``--encoding`` gives it, else the ``.cpg``, else detected. ``ImportRefused`` with the reason."""
    if path.suffix.lower() != ".zip":
        return _read_one_shapefile(path, None, encoding)
    members = zip_members(path, ".shp")
    long_names = _long_names(path)
    parts = [_read_one_shapefile(path, m, encoding) for m in members]
    for part in parts:
        part.table = part.table.rename(columns=long_names)
    if len(parts) == 1:
        return parts[0]
    stems = {Path(m).stem.rsplit("_", 1)[0] for m in members}
    if len(stems) != 1:
        raise ImportRefused(Reason("shp.several", name=path.name, members=", ".join(members)))
    crs = {str(p.crs) for p in parts}
    if len(crs) > 1:
        raise ImportRefused(Reason("shp.mixed_crs", name=path.name))
    table = pd.concat([p.table for p in parts], ignore_index=True)
    geoms = np.concatenate([p.geometry for p in parts])
    return Source(path.name, table, geoms, parts[0].crs, notes=parts[0].notes)
