"""Text as people type it: Vietnamese without its diacritics, in lower case."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mapapp.layers import Layer

SEARCH_FIELDS = ("code", "name", "name_en", "tenant", "owner")


def fold(text: str) -> str:
    """Lower-case without diacritics, so 'song hau' finds 'Sông Hậu' (đ folds to d)."""
    text = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def search_text(values) -> str:
    """The folded words of one feature's searchable fields, stored once when the feature is written."""
    return fold(" ".join(str(v) for v in values if v is not None and v == v))


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
        out[target] = [search_text(values) for values in zip(*present)] if present else [""] * _length(columns)
    return out


def _length(columns: Mapping[str, Sequence]) -> int:
    return len(next(iter(columns.values()))) if columns else 0
