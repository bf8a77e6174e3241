"""Administrative units with validity dates, and a feature's units as of a date.

From 1 July 2025 Hậu Giang, Sóc Trăng and Cần Thơ form the new Cần Thơ city and the
district level is abolished (two-level local government); land-recovery notices and
decisions and the approval of compensation plans rest with the commune chairman
(Decree 151/2025/NĐ-CP). So a feature's province, district and commune depend on the date:
the 2018 notice speaks of Hậu Giang province and its districts, records made after July
2025 of Cần Thơ city and the new communes. Units are data (``data/geo/admin_units.json`` in
the sample), not constants: each has a ``level``, a ``parent`` and ``valid_from`` /
``valid_to`` (inclusive; None: open-ended). A feature is placed in one commune per period
(``placements``: feature code → commune codes); its district and province follow the
commune's parents.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mapapp.clearance.procedure import Authority, Step, authority

LEVELS = ("province", "district", "commune")


@dataclass(frozen=True)
class Unit:
    """One administrative unit: ``code``, ``name`` (Vietnamese, with its kind: ``Huyện Châu Thành``),
    ``level`` (one of :data:`LEVELS`), ``parent`` (code), validity, ``illustrative`` (name or
    extent not checked against the founding resolution), ``source``."""

    code: str
    name: str
    level: str
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    illustrative: bool = False
    source: str = ""

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def load_units(path: Path) -> tuple[dict[str, Unit], dict[str, list[str]]]:
    """Read ``{"units": [...], "placements": {feature: [commune codes]}}`` (UTF-8 JSON).

    Returns (units by code, placements). Raises ValueError for an unknown level or parent.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    units = {u["code"]: Unit(u["code"], u["name"], u["level"], u.get("parent"), _day(u.get("valid_from")),
                             _day(u.get("valid_to")), bool(u.get("illustrative")), u.get("source", ""))
             for u in data["units"]}
    for u in units.values():
        if u.level not in LEVELS:
            raise ValueError(f"unit {u.code}: level {u.level!r} is not one of {', '.join(LEVELS)}")
        if u.parent and u.parent not in units:
            raise ValueError(f"unit {u.code}: unknown parent {u.parent}")
    return units, {k: list(v) for k, v in data.get("placements", {}).items()}


def units_as_of(units: Mapping[str, Unit], placements: Mapping[str, Sequence[str]], feature: str, on: date) -> dict[str, Unit | None]:
    """The feature's ``{"province", "district", "commune"}`` on ``on`` (``district`` None after the reform).

    Raises KeyError for a feature without placement, ValueError when none (or more than
    one) of its communes is valid on that date.
    """
    valid = [units[c] for c in placements[feature] if units[c].valid_on(on)]
    if len(valid) != 1:
        raise ValueError(f"{feature}: {len(valid)} communes valid on {on}")
    out: dict[str, Unit | None] = dict.fromkeys(LEVELS)
    unit: Unit | None = valid[0]
    while unit is not None:
        out[unit.level] = unit
        unit = units.get(unit.parent) if unit.parent else None
    return out


def _of(unit: Unit) -> str:
    return unit.name[:1].lower() + unit.name[1:]


def authority_name(step: Step, on: date, where: Mapping[str, Unit | None]) -> str:
    """The authority of ``step`` on ``on`` named for the place: ``UBND huyện Châu Thành`` (2018),
    ``Chủ tịch UBND xã Đông Phước`` (2026). ``where`` is :func:`units_as_of`'s answer."""
    a: Authority = authority(step, on)
    district, commune = where.get("district"), where.get("commune")
    if a.vi.endswith("cấp huyện") and district:
        return f"{a.vi.removesuffix('cấp huyện')}{_of(district)}"
    if a.vi.endswith("cấp xã") and commune:
        return f"{a.vi.removesuffix('cấp xã')}{_of(commune)}"
    place = district or commune
    return f"{a.vi} ({_of(place)})" if place else a.vi


#: The kind a unit's Vietnamese name starts with, and the English word for it (placed after the name).
_KINDS_EN = (("Thành phố ", "city"), ("Thị trấn ", "township"), ("Thị xã ", "town"), ("Phường ", "ward"),
             ("Huyện ", "district"), ("Tỉnh ", "province"), ("Xã ", "commune"))


def english_name(name: str) -> str:
    """A unit's name in English word order: ``Huyện Châu Thành`` → ``Châu Thành district``,
    ``Thành phố Cần Thơ`` → ``Cần Thơ city``; a name of no known kind is kept as it is."""
    for prefix, kind in _KINDS_EN:
        if name.startswith(prefix):
            return f"{name.removeprefix(prefix)} {kind}"
    return name


def unit_rows(units: Iterable[Unit]) -> list[dict]:
    """Units as plain rows (ISO dates) for JSON or a table."""
    return [{"code": u.code, "name": u.name, "level": u.level, "parent": u.parent,
             "valid_from": u.valid_from.isoformat() if u.valid_from else None,
             "valid_to": u.valid_to.isoformat() if u.valid_to else None,
             "illustrative": u.illustrative, "source": u.source} for u in units]
