"""A data frame as compact bytes and back, exactly: Arrow IPC (zstd), geometry as WKB.

What the database keeps of worked-out figures (:mod:`mapapp.store.figure_parts`): columns, dtypes
(pandas' own metadata in the Arrow schema), values and geometries read back identical, never
through pickle. A GeoDataFrame's geometry column goes as WKB (exact doubles) with its CRS named in
the schema; a column of lists (Arrow list type) reads back as Python lists, as it was written.
"""
from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import shapely

#: Schema metadata keys: the geometry column's name and its CRS (absent: a plain DataFrame).
GEOMETRY_KEY = b"mapapp.geometry"
CRS_KEY = b"mapapp.crs"
_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")


def to_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` (a DataFrame or a GeoDataFrame, any CRS; its index is dropped: a RangeIndex reads back) as bytes."""
    plain = pd.DataFrame(frame, copy=False)
    extra = {}
    if isinstance(frame, gpd.GeoDataFrame):
        name = frame.geometry.name
        plain = plain.assign(**{name: shapely.to_wkb(frame.geometry.to_numpy())})
        extra = {GEOMETRY_KEY: name.encode(), CRS_KEY: frame.crs.to_string().encode() if frame.crs else b""}
    table = pa.Table.from_pandas(plain, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=_OPTIONS) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def from_bytes(data: bytes) -> pd.DataFrame:
    """The frame :func:`to_bytes` wrote, identical (dtypes too; a GeoDataFrame with its CRS)."""
    return from_many([data])


def from_many(datas: Sequence[bytes]) -> pd.DataFrame:
    """The frames :func:`to_bytes` wrote of the same columns (at least one), as one frame: their rows in order, the
    dtypes and CRS of the first; as :func:`pandas.concat` of the frames read one by one, in one conversion."""
    tables = [pa.ipc.open_stream(data).read_all() for data in datas]
    # a column all None in one frame is Arrow's null type there: the others' type takes it in
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables, promote_options="permissive").combine_chunks()
    table = table.replace_schema_metadata(tables[0].schema.metadata)
    frame = table.to_pandas()
    # Arrow gives a list column back as NumPy arrays; the frame held lists
    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            frame[field.name] = pd.Series(table.column(i).to_pylist(), index=frame.index, dtype=object)
    meta = table.schema.metadata or {}
    if GEOMETRY_KEY not in meta:
        return frame
    name, crs = meta[GEOMETRY_KEY].decode(), meta[CRS_KEY].decode() or None
    frame[name] = shapely.from_wkb(frame[name].to_numpy())
    return gpd.GeoDataFrame(frame, geometry=name, crs=crs)
