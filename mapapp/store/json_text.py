"""JSON text as :func:`json.dumps` writes it with its default settings, through an encoder made once.

``json.dumps`` sets up a new C encoder on every call, which costs about as much as encoding a feature's
few values: an import writes 10⁵ features' ``props`` and 10⁵ audit entries. The store's engines
(:func:`mapapp.store.db.make_engine`) and the audit log (:mod:`mapapp.changes.journal`) encode with
:func:`dumps` instead; the text is the same.
"""
from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring_ascii
from typing import Any


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


# json.dumps's defaults: ASCII only, ", " and ": ", keys as given, NaN allowed. No circular-reference check:
# what is stored is plain values read from a file or a request, never a structure holding itself.
_encoder = c_make_encoder(None, _not_json, encode_basestring_ascii, None, ": ", ", ", False, False, True) if c_make_encoder else None


def dumps(value: Any) -> str:
    """``json.dumps(value)``: the same text (and the same TypeError for a value JSON has no form for)."""
    if type(value) is dict and not value:  # most features' extra attributes: none
        return "{}"
    return "".join(_encoder(value, 0)) if _encoder is not None else json.dumps(value)
