"""Whole-feature rules: what a feature must be as a whole, and what needs the writer's confirmation.

The refusals are exactly those of the trust issue (no others without a new issue):
planned start ≤ planned end; dates between 1990-01-01 and 2100-12-31; percent 0–100;
money, areas and counts ≥ 0 and within their column's range. The ranges and dates are
checked value by value by :func:`mapapp.values.parse_value`; the cross-field rule is here.

Warnings never block silently and never pass silently: the writer confirms them, and
the confirmed warnings are recorded with the change.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mapapp.errors import ChangeRefused
from mapapp.layers import Layer
from mapapp.refusals import LANGS, Both, Reason, grouped, where
from mapapp.values import MAX_DATE, MIN_DATE

# Amounts that only grow; a lower value is a correction the writer must confirm.
GROWING = ("paid_vnd",)


def check_feature(spec: Layer, code: str, row: Mapping[str, Any]) -> None:
    """Refuse (:class:`ChangeRefused`, one line naming feature and field) a feature that breaks a rule."""
    start, end = row.get("planned_start"), row.get("planned_end")
    if start and end and str(start) > str(end):
        raise ChangeRefused(Reason("change.start_after_end", start=start, end=end), layer=spec.name, code=code, field="planned_end")
    for field in spec.fields:
        value = row.get(field.name)
        if field.type == "date" and value and not MIN_DATE.isoformat() <= str(value) <= MAX_DATE.isoformat():
            raise ChangeRefused(Reason("change.date_outside", value=value, min=MIN_DATE, max=MAX_DATE), layer=spec.name, code=code, field=field.name)


def feature_warnings(spec: Layer, code: str, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """What the writer must confirm: amounts paid going down (a correction, not progress).

    Each warning is its English line (layer, feature and field by their names) as a :class:`Reason`, for the line in
    either language (layer and field by their labels)."""
    if not before:
        return []
    warnings = []
    for name in GROWING:
        old, new = before.get(name), after.get(name)
        if name in spec.field_names and old is not None and new is not None and float(new) < float(old):
            at = Both(*(where(lang, layer=spec.name, code=code, field=name) for lang in LANGS))
            english = f"layer {spec.name}, feature {code}, field {name}: {new:,.0f} is lower than the {old:,.0f} recorded (a correction?)"
            warnings.append(Reason("change.lower_than", english, where=at, new=grouped(new, ",.0f"), old=grouped(old, ",.0f")))
    return warnings


def flags(spec: Layer, row: Mapping[str, Any]) -> list[str]:
    """The rules a STORED row breaks (rows written before a rule existed): shown as flags, never a broken page."""
    try:
        check_feature(spec, str(row.get("code")), row)
    except ChangeRefused as exc:
        return [exc.reason if exc.field is None else f"{exc.field}: {exc.reason}"]
    return []
