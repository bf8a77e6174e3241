"""Administrative units with validity dates, and the zones' communes (``admin_units.json``).

Public: Hậu Giang province existed from 1 Jan 2004 (Resolution 22/2003/QH11) to 30 Jun 2025;
its eight districts of 2018 (the names in ``boundaries.py``) ended with the district level on
1 Jul 2025, when Hậu Giang, Sóc Trăng and Cần Thơ became the new Cần Thơ city (Resolution
202/2025/QH15). The communes of 2018 are those the data brief names for the zones (Đông Phú,
Phú Hữu, Tân Phú Thạnh); the others and every commune after 1 Jul 2025 are ILLUSTRATIVE
(plausible names, not checked against the Standing Committee's resolution on Cần Thơ's
communes) and marked so.
"""
from __future__ import annotations

from .boundaries import DISTRICTS

REFORM_END, REFORM_START = "2025-06-30", "2025-07-01"
SOURCE_HG = "Nghị quyết 22/2003/QH11 (tỉnh Hậu Giang từ 01/01/2004); Nghị quyết 202/2025/QH15 (hợp nhất từ 01/7/2025)"
SOURCE_CT = "Nghị quyết 202/2025/QH15: Hậu Giang, Sóc Trăng và Cần Thơ hợp nhất thành thành phố Cần Thơ"
ILLUSTRATIVE = "minh họa: tên, phạm vi chưa đối chiếu nghị quyết sắp xếp đơn vị hành chính cấp xã"

# code, name, district (2018), illustrative, the zones in it
COMMUNES_2018 = [
    ("HG-CTH-DPU", "Xã Đông Phú", "HG-CTH", False, ("KCN-SH", "CCN-DP", "KCN-DP")),
    ("HG-CTH-PHU", "Xã Phú Hữu", "HG-CTH", False, ("CCN-PHA",)),
    ("HG-CTA-TPT", "Xã Tân Phú Thạnh", "HG-CTA", False, ("KCN-TPT",)),
    ("HG-VTA-P7", "Phường VII", "HG-VTA", True, ("CCN-VT",)),
    ("HG-PHI-CDU", "Thị trấn Cây Dương", "HG-PHI", True, ("CCN-PH",)),
]
# code, name, the zones in it (from 1 Jul 2025; all illustrative)
COMMUNES_2025 = [
    ("CT-DPH", "Xã Đông Phước", ("KCN-SH", "CCN-DP", "KCN-DP")),
    ("CT-PHU", "Xã Phú Hữu", ("CCN-PHA",)),
    ("CT-TXU", "Xã Thạnh Xuân", ("KCN-TPT",)),
    ("CT-VTH", "Phường Vị Thanh", ("CCN-VT",)),
    ("CT-PHI", "Xã Phụng Hiệp", ("CCN-PH",)),
]


def admin_units() -> dict:
    """``{"units": [...], "placements": {zone code: [commune codes]}}`` for ``admin_units.json``."""
    units = [{"code": "HG", "name": "Tỉnh Hậu Giang", "level": "province", "parent": None,
              "valid_from": "2004-01-01", "valid_to": REFORM_END, "illustrative": False, "source": SOURCE_HG}]
    units += [{"code": code, "name": name, "level": "district", "parent": "HG", "valid_from": None,
               "valid_to": REFORM_END, "illustrative": False, "source": "Đơn vị hành chính cấp huyện năm 2018"}
              for code, name, _ in sorted(DISTRICTS)]
    units += [{"code": code, "name": name, "level": "commune", "parent": district, "valid_from": None,
               "valid_to": REFORM_END, "illustrative": ill, "source": ILLUSTRATIVE if ill else "data brief (notice 19/TB-VP.UBND)"}
              for code, name, district, ill, _ in COMMUNES_2018]
    units.append({"code": "CT", "name": "Thành phố Cần Thơ", "level": "province", "parent": None,
                  "valid_from": REFORM_START, "valid_to": None, "illustrative": False, "source": SOURCE_CT})
    units += [{"code": code, "name": name, "level": "commune", "parent": "CT", "valid_from": REFORM_START,
               "valid_to": None, "illustrative": True, "source": ILLUSTRATIVE}
              for code, name, _ in COMMUNES_2025]
    placements: dict[str, list[str]] = {}
    for code, *_, zones in COMMUNES_2018:
        for z in zones:
            placements.setdefault(z, []).append(code)
    for code, _, zones in COMMUNES_2025:
        for z in zones:
            placements[z].append(code)
    return {"units": units, "placements": dict(sorted(placements.items()))}
