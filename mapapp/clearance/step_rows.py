"""Step records read from a table (the store's ``clearance_steps`` rows), by parcel."""
from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

import pandas as pd

from mapapp.clearance.steps import STEPS, Document, Step, StepRecord


def records_from_frame(steps: pd.DataFrame) -> dict[str, list[StepRecord]]:
    """Step records by parcel from a table with columns ``parcel_code, step, date`` and, optionally,
    ``doc_type, doc_number, doc_date, signer, scan, conditions`` (comma-separated), ``note``.

    Empty dates are None (undated). Raises ValueError for an unknown step.
    """
    out: dict[str, list[StepRecord]] = {}
    for code, rows in _rows_by_parcel(steps).items():
        out[code] = _records(code, rows)
    return out


_RECORD_COLUMNS = ("step", "date", "doc_type", "doc_number", "doc_date", "signer", "scan", "conditions", "note")
_STEP_OF = {s.value: s for s in Step}


def _rows_by_parcel(steps: pd.DataFrame) -> dict[str, list[tuple[str, ...]]]:
    """Each parcel's step rows as text tuples (:data:`_RECORD_COLUMNS`, "" when empty), in the table's order.
    Raises ValueError for an unknown step."""
    texts = [_texts(steps[c]) if c in steps.columns else [""] * len(steps) for c in ("parcel_code", *_RECORD_COLUMNS)]
    out: dict[str, list[tuple[str, ...]]] = {}
    for code, row in zip(texts[0], zip(*texts[1:])):
        if row[0] not in _STEP_OF:
            raise ValueError(f"step {row[0]!r} of parcel {code} is not one of {', '.join(STEPS)}")
        out.setdefault(code, []).append(row)
    return out


@functools.lru_cache(maxsize=4096)
def _day(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _records(code: str, rows: Iterable[tuple[str, ...]]) -> list[StepRecord]:
    """One parcel's text rows (:func:`_rows_by_parcel`) as records."""
    out = []
    for step, when, doc_type, number, doc_date, signer, scan, conditions, note in rows:
        doc = Document(doc_type, number, _day(doc_date), signer, scan or None) if number else None
        conds = frozenset(c for c in conditions.split(",") if c) if conditions else frozenset()
        out.append(StepRecord(code, _STEP_OF[step], _day(when), doc, conds, note))
    return out


def _texts(column: pd.Series) -> list[str]:
    """A column's cells as text, empty ("") for None and NaN."""
    values = column.to_numpy(dtype=object)
    empty = pd.isna(values)
    # a column of text (the store's): one array write instead of a test per cell
    if pd.api.types.infer_dtype(values[~empty], skipna=False) in ("string", "empty"):
        values = values.copy()
        values[empty] = ""
        return values.tolist()
    return ["" if v is None or v != v else str(v) for v in values]
