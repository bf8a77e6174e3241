"""Text as people type it: Vietnamese without its diacritics, in lower case."""
from __future__ import annotations

import unicodedata

SEARCH_FIELDS = ("code", "name", "name_en", "tenant", "owner")


def fold(text: str) -> str:
    """Lower-case without diacritics, so 'song hau' finds 'Sông Hậu' (đ folds to d)."""
    text = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def search_text(values) -> str:
    """The folded words of one feature's searchable fields, stored once when the feature is written."""
    return fold(" ".join(str(v) for v in values if v is not None and v == v))
