"""Text as people type it: Vietnamese without its diacritics, in lower case."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from mapapp.layers import Layer

SEARCH_FIELDS = ("code", "name", "name_en", "tenant", "owner")


def fold(text: str) -> str:
    """Lower-case without diacritics, so 'song hau' finds 'Sông Hậu' (đ folds to d)."""
    text = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def _is_mark(points: np.ndarray) -> np.ndarray:
    """By code point of ``points`` (uint32): whether it is a combining mark (Unicode category Mn), what
    :func:`fold` drops. Asked once per distinct code point (a table of all 1.1 M costs ~1.5 s per process),
    found by marking the code points present (sorting 10⁶ of them to find the distinct ones cost more)."""
    if not points.size:
        return np.zeros(0, dtype=bool)
    present = np.zeros(int(points.max()) + 1, dtype=bool)
    present[points] = True
    distinct = np.flatnonzero(present)
    marks = np.zeros(len(present), dtype=bool)
    marks[distinct] = np.fromiter((unicodedata.category(chr(cp)) == "Mn" for cp in distinct.tolist()), dtype=bool, count=len(distinct))
    return marks[points]


# joins many texts into one for folding: fold leaves it as it is, and stored text never holds it
_SEPARATOR = "\x00"


def fold_all(texts: Sequence[str]) -> list[str]:
    """:func:`fold` of each text, all at once: one lower-casing and decomposition of the joined texts,
    marks dropped as a numpy mask over the code points (an import folds 10⁵ rows)."""
    texts = [str(t) for t in texts]
    if not texts or any(_SEPARATOR in t for t in texts):
        return [fold(t) for t in texts]
    joined = unicodedata.normalize("NFD", _SEPARATOR.join(texts).lower().replace("đ", "d"))
    try:
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate: no code point to mask
        return [fold(t) for t in texts]
    return points[~_is_mark(points)].tobytes().decode("utf-32-le").split(_SEPARATOR)


def _joined(values) -> str:
    return " ".join(str(v) for v in values if v is not None and v == v)


def search_text(values) -> str:
    """The folded words of one feature's searchable fields, stored once when the feature is written."""
    return fold(_joined(values))


def search_fields(spec: Layer | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The layer's searchable fields: (public ones, personal ones searched for staff only)."""
    names = spec.field_names if spec is not None else SEARCH_FIELDS
    personal = spec.personal_fields if spec is not None else ()
    public = tuple(f for f in SEARCH_FIELDS if f in names and f not in personal)
    private = tuple(f for f in SEARCH_FIELDS if f in names and f in personal)
    return public, private


def search_columns(spec: Layer | None, columns: Mapping[str, Sequence]) -> dict[str, list[str]]:
    """``search_text`` and ``search_personal`` for rows given column-wise (lists of equal length)."""
    public, private = search_fields(spec)
    out = {}
    for target, fields in (("search_text", public), ("search_personal", private)):
        present = [columns[f] for f in fields if f in columns]
        out[target] = fold_all([_joined(values) for values in zip(*present)]) if present else [""] * _length(columns)
    return out


def _length(columns: Mapping[str, Sequence]) -> int:
    return len(next(iter(columns.values()))) if columns else 0
