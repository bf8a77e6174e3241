"""Who performs each step of the procedure, before and after the two-level local government of 1 July 2025."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mapapp.clearance.steps import Step

#: Decree 151/2025/NĐ-CP: from this date the commune chairman holds the district's land powers.
TWO_LEVEL_FROM = date(2025, 7, 1)


@dataclass(frozen=True)
class Authority:
    """Who performs a step: Vietnamese and English, and the legal source."""

    vi: str
    en: str
    source: str


_COMPENSATION_BODY = Authority("Tổ chức làm nhiệm vụ bồi thường, giải phóng mặt bằng",
                               "The compensation and clearance body", "Luật Đất đai 2024, Điều 86, 87")
_DISTRICT = Authority("UBND cấp huyện", "District People's Committee", "Luật Đất đai 2024, Điều 83, 87")
_DISTRICT_CHAIR = Authority("Chủ tịch UBND cấp huyện", "District People's Committee chairman", "Luật Đất đai 2024, Điều 88, 89")
_COMMUNE_CHAIR = Authority("Chủ tịch UBND cấp xã", "Commune People's Committee chairman", "Nghị định 151/2025/NĐ-CP")
_DISTRICT_LAND_OFFICE = Authority("Cơ quan quản lý đất đai cấp huyện (Phòng Tài nguyên và Môi trường)",
                                  "District land office", "Luật Đất đai 2024, Điều 87 khoản 3")
_COMMUNE_LAND_OFFICE = Authority("Cơ quan có chức năng quản lý đất đai cấp xã", "Commune land office",
                                 "Nghị định 151/2025/NĐ-CP")
_DISTRICT_STEPS = {Step.NOTICE, Step.APPROVAL, Step.DECISION}
_DISTRICT_CHAIR_STEPS = {Step.COMPULSORY_INVENTORY, Step.ENFORCEMENT}


def authority(step: Step, on: date) -> Authority:
    """The level that performs ``step`` on ``on``.

    Before 1 July 2025 the district People's Committee issues the notice, approves the plan
    and decides the recovery (Land Law 2024 Art. 83, 87), its chairman decides compulsory
    inventory and enforcement (Art. 88, 89); from 1 July 2025 all of these rest with the
    commune People's Committee chairman (Decree 151/2025/NĐ-CP; the district level is
    abolished). Appraisal is the land office's (the district's, then the commune's). The
    other steps are the compensation body's, with the commune.
    """
    if step == Step.APPRAISAL:
        return _COMMUNE_LAND_OFFICE if on >= TWO_LEVEL_FROM else _DISTRICT_LAND_OFFICE
    if step in _DISTRICT_STEPS | _DISTRICT_CHAIR_STEPS:
        if on >= TWO_LEVEL_FROM:
            return _COMMUNE_CHAIR
        return _DISTRICT if step in _DISTRICT_STEPS else _DISTRICT_CHAIR
    return _COMPENSATION_BODY
