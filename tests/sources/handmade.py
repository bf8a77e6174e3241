"""Hand-made source files for the importer's tests: shapefiles with DBFs written byte by byte, and helpers."""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio

from tests import builders


def dbf_bytes(fields: list[tuple[bytes, str, int, int]], records: list[list[bytes]]) -> bytes:
    """A dBASE III table: ``fields`` as (name bytes, type, length, decimals), ``records`` as raw field bytes."""
    header_len = 32 + 32 * len(fields) + 1
    record_len = 1 + sum(f[2] for f in fields)
    out = bytearray(struct.pack("<BBBBIHH20x", 3, 126, 1, 1, len(records), header_len, record_len))
    for name, kind, length, decimals in fields:
        out += struct.pack("<11sc4xBB14x", name, kind.encode(), length, decimals)
    out += b"\r"
    for record in records:
        out += b" "
        for (_, kind, length, _), value in zip(fields, record):
            out += value.rjust(length) if kind == "N" else value.ljust(length)
    out += b"\x1a"
    return bytes(out)


def shapefile(folder: Path, stem: str, geoms: list, fields: list[tuple[bytes, str, int, int]], records: list[list[bytes]],
              cpg: str | None = None, crs: str | None = "EPSG:4326") -> Path:
    """A loose shapefile: geometry by GDAL, the DBF as given (no ``.cpg`` unless ``cpg``)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.shp"
    frame = gpd.GeoDataFrame({"tmp": list(range(len(geoms)))}, geometry=geoms, crs=crs)
    pyogrio.write_dataframe(frame, path, driver="ESRI Shapefile")
    (folder / f"{stem}.dbf").write_bytes(dbf_bytes(fields, records))
    (folder / f"{stem}.cpg").unlink(missing_ok=True)
    if cpg is not None:
        (folder / f"{stem}.cpg").write_text(cpg)
    if crs is None:
        (folder / f"{stem}.prj").unlink(missing_ok=True)
    return path


def zipped(shp: Path) -> Path:
    """The shapefile's members in ``<stem>.zip`` beside it."""
    out = shp.with_suffix(".zip")
    with zipfile.ZipFile(out, "w") as zf:
        for member in sorted(shp.parent.glob(f"{shp.stem}.*")):
            if member != out:
                zf.write(member, member.name)
    return out


LOT_FIELDS = [(b"code", "C", 10, 0), (b"zone_code", "C", 10, 0), (b"land_use", "C", 12, 0), (b"status", "C", 10, 0)]


def lot_record(code: bytes = b"N1") -> list[bytes]:
    return [code, b"Z1", b"factory", b"available"]


GOOD = builders.mbox(600, 0, 700, 100)
