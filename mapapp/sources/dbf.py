"""Read a dBASE (.dbf) table, a shapefile's attributes, from its bytes in a chosen encoding.

GDAL recodes DBF text itself, and with a ``.cpg`` saying 1258 it cuts the last
character of every name and value; it also guesses nothing when there is no
``.cpg``. Reading the fixed-width records here (dBASE III/IV layout: 32-byte
header, 32-byte field descriptors ending with 0x0D, one deletion byte per record)
decodes every name and value exactly once, in the encoding given.

Types: ``C`` text; ``N``/``F`` numbers (float; whole-number columns wider than 15
digits stay text so 20-digit codes keep every digit); ``D`` dates ``YYYYMMDD`` as
``YYYY-MM-DD`` text; ``L`` true/false. Blank values are missing (None/NaN).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
import numpy as np
import pandas as pd

from mapapp.refusals import Reason
from mapapp.sources import encodings


class DbfError(ValueError):
    """The table is not a dBASE file this reader understands, or its text does not fit the encoding."""


@dataclass(frozen=True)
class DbfField:
    raw_name: bytes
    type: str
    length: int
    decimals: int


@dataclass(frozen=True)
class DbfTable:
    fields: tuple[DbfField, ...]
    records: np.ndarray  # structured array: one bytes column per field
    deleted: np.ndarray  # bool per record


def read_table(data: bytes, name: str) -> DbfTable:
    """The table in ``data`` (a ``.dbf`` file's bytes; ``name`` for messages), text still undecoded."""
    if len(data) < 32:
        raise DbfError(Reason("dbf.not_dbase", name=name))
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields: list[DbfField] = []
    pos = 32
    while pos < header_len - 1 and data[pos] != 0x0D:
        desc = data[pos:pos + 32]
        fields.append(DbfField(desc[:11].split(b"\x00", 1)[0], chr(desc[11]), desc[16], desc[17]))
        pos += 32
    dtype = np.dtype([("_deleted", "S1")] + [(f"f{i}", f"S{f.length}") for i, f in enumerate(fields)])
    if dtype.itemsize != record_len:
        raise DbfError(Reason("dbf.widths", name=name, width=dtype.itemsize, length=record_len))
    body = data[header_len:header_len + count * record_len]
    count = min(count, len(body) // record_len)
    records = np.frombuffer(body, dtype=dtype, count=count)
    return DbfTable(tuple(fields), records, records["_deleted"] == b"*")


def text_is_ascii(table: DbfTable) -> bool:
    """Whether every name and text value is plain ASCII (then no encoding needs declaring)."""
    if any(max(f.raw_name, default=0) > 0x7F for f in table.fields):
        return False
    for i, f in enumerate(table.fields):
        if f.type == "C" and len(table.records):
            raw = table.records[f"f{i}"]
            if np.frombuffer(raw.tobytes(), dtype=np.uint8).max(initial=0) > 0x7F:
                return False
    return True


def decodes_as(table: DbfTable, encoding: str) -> bool:
    try:
        to_frame(table, encoding)
    except DbfError:
        return False
    return True


def _decode_column(raw: np.ndarray, encoding: str, name: str) -> np.ndarray:
    uniques, inverse = np.unique(raw, return_inverse=True)
    texts = np.empty(len(uniques), dtype=object)
    for j, value in enumerate(uniques):
        value = value.rstrip(b" \x00").lstrip(b" ")
        try:
            texts[j] = encodings.decode(value, encoding) if value else None
        except UnicodeDecodeError as exc:
            raise DbfError(Reason("dbf.text_encoding", field=name, encoding=encoding, why=exc.reason, value=value[:40])) from None
    return texts[inverse]


def _numbers(raw: np.ndarray, f: DbfField, name: str) -> np.ndarray:
    stripped = np.char.strip(raw.astype(bytes))
    text = pd.Series(stripped).str.decode("ascii", errors="replace")
    blank = text.eq("") | text.str.fullmatch(r"\*+|\?+")
    if f.decimals == 0 and f.length > 15:
        return np.where(blank, None, text).astype(object)
    numbers = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = numbers.isna() & ~blank
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise DbfError(Reason("dbf.not_number", record=first + 1, field=name, value=text.iloc[first]))
    return numbers.to_numpy(dtype=float)


def _dates(raw: np.ndarray) -> np.ndarray:
    text = pd.Series(np.char.strip(raw.astype(bytes))).str.decode("ascii", errors="replace")
    iso = text.str.slice(0, 4) + "-" + text.str.slice(4, 6) + "-" + text.str.slice(6, 8)
    return np.where(text.str.fullmatch(r"\d{8}"), iso, np.where(text.eq(""), None, text)).astype(object)


def _logical(raw: np.ndarray) -> np.ndarray:
    text = pd.Series(np.char.strip(raw.astype(bytes))).str.decode("ascii", errors="replace").str.upper()
    return np.where(text.isin(["T", "Y"]), True, np.where(text.isin(["F", "N"]), False, None)).astype(object)


def field_names(table: DbfTable, encoding: str) -> list[str]:
    names = []
    for f in table.fields:
        try:
            names.append(encodings.decode(f.raw_name, encoding).strip())
        except UnicodeDecodeError:
            raise DbfError(Reason("dbf.name_encoding", name=f.raw_name, encoding=encoding)) from None
    return names


def to_frame(table: DbfTable, encoding: str) -> pd.DataFrame:
    """Every record (deleted ones included: callers align by record number) as a DataFrame."""
    names = field_names(table, encoding)
    columns: dict[int, np.ndarray] = {}
    for i, (f, name) in enumerate(zip(table.fields, names)):
        raw = table.records[f"f{i}"]
        if f.type in ("N", "F"):
            columns[i] = _numbers(raw, f, name)
        elif f.type == "D":
            columns[i] = _dates(raw)
        elif f.type == "L":
            columns[i] = _logical(raw)
        else:
            columns[i] = _decode_column(raw, encoding, name)
    if not columns:
        return pd.DataFrame(index=range(len(table.records)))
    return pd.DataFrame(columns).set_axis(names, axis=1)  # names may repeat: the mapping refuses that, naming both
