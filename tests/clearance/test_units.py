"""Administrative units as of a date (the 2025 reform), on a hand-built register."""
from __future__ import annotations

import json
from datetime import date as D

import pytest

from mapapp.clearance.procedure import Step
from mapapp.clearance.units import authority_name, load_units, units_as_of

REGISTER = {
    "units": [
        {"code": "HG", "name": "Tỉnh Hậu Giang", "level": "province", "valid_from": "2004-01-01", "valid_to": "2025-06-30"},
        {"code": "HG-CTH", "name": "Huyện Châu Thành", "level": "district", "parent": "HG", "valid_to": "2025-06-30"},
        {"code": "X-DP", "name": "Xã Đông Phú", "level": "commune", "parent": "HG-CTH", "valid_to": "2025-06-30"},
        {"code": "CT", "name": "Thành phố Cần Thơ", "level": "province", "valid_from": "2025-07-01"},
        {"code": "X-NEW", "name": "Xã Đông Phước", "level": "commune", "parent": "CT", "valid_from": "2025-07-01", "illustrative": True},
    ],
    "placements": {"KCN-SH": ["X-DP", "X-NEW"]},
}


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "units.json"
    path.write_text(json.dumps(REGISTER, ensure_ascii=False), encoding="utf-8")
    return load_units(path)


def names(where):
    return {k: (u.name if u else None) for k, u in where.items()}


def test_units_before_and_after_the_reform(register):
    units, placements = register
    assert names(units_as_of(units, placements, "KCN-SH", D(2018, 2, 5))) == {
        "province": "Tỉnh Hậu Giang", "district": "Huyện Châu Thành", "commune": "Xã Đông Phú"}
    assert names(units_as_of(units, placements, "KCN-SH", D(2025, 6, 30)))["province"] == "Tỉnh Hậu Giang"
    after = units_as_of(units, placements, "KCN-SH", D(2025, 7, 1))
    assert names(after) == {"province": "Thành phố Cần Thơ", "district": None, "commune": "Xã Đông Phước"}
    assert after["commune"].illustrative


def test_unplaced_or_uncovered_features_are_refused(register):
    units, placements = register
    with pytest.raises(KeyError):
        units_as_of(units, placements, "KCN-X", D(2018, 1, 1))
    with pytest.raises(ValueError, match="0 communes valid on 2003-12-31"):
        units_as_of(units, {"F": ["X-NEW"]}, "F", D(2003, 12, 31))


def test_bad_register_refused(tmp_path):
    bad = {"units": [{"code": "A", "name": "A", "level": "hamlet"}]}
    (tmp_path / "u.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ValueError, match="level 'hamlet'"):
        load_units(tmp_path / "u.json")


def test_the_authority_is_named_for_the_place_and_date(register):
    units, placements = register
    d2018, d2026 = D(2018, 5, 24), D(2026, 1, 5)
    assert authority_name(Step.DECISION, d2018, units_as_of(units, placements, "KCN-SH", d2018)) == "UBND huyện Châu Thành"
    assert authority_name(Step.DECISION, d2026, units_as_of(units, placements, "KCN-SH", d2026)) == "Chủ tịch UBND xã Đông Phước"
    assert authority_name(Step.ENFORCEMENT, d2018, units_as_of(units, placements, "KCN-SH", d2018)) == "Chủ tịch UBND huyện Châu Thành"
    assert authority_name(Step.PAYMENT, d2026, units_as_of(units, placements, "KCN-SH", d2026)).endswith("(xã Đông Phước)")
