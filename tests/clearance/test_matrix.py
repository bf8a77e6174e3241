"""The household × step matrix and its Excel file, opened with openpyxl."""
from __future__ import annotations

from datetime import date as D

import pandas as pd
import pytest
from openpyxl import load_workbook

from mapapp.clearance.matrix import build_matrix, write_xlsx

AT = D(2018, 6, 16)
STEPS = pd.DataFrame([
    ("P1", "meeting", "2018-01-02"), ("P1", "notice", "2018-01-10"), ("P1", "inventory", "2018-02-01"),
    ("P1", "plan_posted", "2018-03-01"), ("P1", "consultation", "2018-04-02"), ("P1", "appraisal", "2018-05-10"),
    ("P1", "approval", "2018-05-15"),
    ("P3", "meeting", "2018-03-01"), ("P3", "notice", "2018-03-10"), ("P3", "inventory", "2018-04-01"),
    ("P3", "plan_posted", "2018-06-01"),
    ("P9", "meeting", "2018-03-01"),  # another zone
], columns=["parcel_code", "step", "date"])
PARCELS = pd.DataFrame({"code": ["P1", "P2", "P3", "P9"], "zone_code": ["Z", "Z", "Z", "W"]})
HOUSEHOLDS = pd.DataFrame({"code": ["H1", "H2", "H3", "H4", "H9"],
                           "name": ["Hộ gia đình P1-1", "Hộ gia đình P1-2", "Hộ gia đình P2-1", "Hộ gia đình P3-1", "Hộ gia đình P9-1"]})
LINKS = pd.DataFrame({"household_code": ["H1", "H2", "H2", "H3", "H4", "H9"],
                      "parcel_code": ["P1", "P1", "P2", "P2", "P3", "P9"]})


@pytest.fixture
def matrix():
    return build_matrix(HOUSEHOLDS, LINKS, PARCELS, STEPS, AT, zone="Z")


def test_cells(matrix):
    s, d = matrix.state, matrix.date
    assert s.index.tolist() == ["H1", "H2", "H3", "H4"]
    # H1 (P1): approved 05-15; decision due 05-25 and payment due 06-14 are overdue on 06-16
    assert s.loc["H1"].tolist() == ["done"] * 7 + ["", "overdue", "overdue", ""]
    assert (d.loc["H1", "approval"], d.loc["H1", "payment"], d.loc["H1", "decision"]) == (D(2018, 5, 15), D(2018, 6, 14), D(2018, 5, 25))
    # H2 holds P1 and P2 (not started): nothing done on both, but P1's overdue steps show
    assert s.loc["H2"].tolist() == [""] * 8 + ["overdue", "overdue", ""]
    assert s.loc["H3"].tolist() == [""] * 11
    # H4 (P3): posted 06-01, consultation due 06-01 + 30 + 60 d = 08-30
    assert s.loc["H4", "plan_posted"] == "done" and (s.loc["H4", "consultation"], d.loc["H4", "consultation"]) == ("due", D(2018, 8, 30))
    assert matrix.rows.values.tolist()[1] == ["H2", "Hộ gia đình P1-2", "P1, P2"]


def test_by_parcels_of_a_project():
    m = build_matrix(HOUSEHOLDS, LINKS, PARCELS, STEPS, AT, parcel_codes=["P9"])
    assert m.state.index.tolist() == ["H9"] and m.state.loc["H9", "meeting"] == "done"
    with pytest.raises(ValueError, match="a zone or a list"):
        build_matrix(HOUSEHOLDS, LINKS, PARCELS, STEPS, AT)


def test_excel_file(matrix, tmp_path):
    path = write_xlsx(matrix, tmp_path / "ma-tran.xlsx", "KCN Tân Phú Thạnh", AT)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Ma trận GPMB", "Chú giải"]
    ws = wb["Ma trận GPMB"]
    assert ws.freeze_panes == "D2"
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Mã hộ", "Hộ gia đình, tổ chức", "Thửa đất", "Họp dân"]
    assert header[-1] == "Bàn giao mặt bằng" and len(header) == 3 + 11
    assert [ws.cell(2, j).value for j in (1, 2, 3)] == ["H1", "Hộ gia đình P1-1", "P1"]
    approval, payment, publication = ws.cell(2, 3 + 7), ws.cell(2, 3 + 9), ws.cell(2, 3 + 8)
    assert header[3 + 6] == "Phê duyệt phương án" and approval.value == "15/05/2018"
    assert approval.fill.start_color.rgb.endswith("C6EFCE")         # done: green
    assert header[3 + 8] == "Chi trả bồi thường" and payment.value == "14/06/2018"
    assert payment.fill.start_color.rgb.endswith("FFC7CE")          # overdue: red
    assert publication.value in (None, "") and publication.fill.fill_type is None
    consultation = ws.cell(5, 3 + 5)
    assert ws.cell(5, 1).value == "H4" and consultation.value == "30/08/2018"
    assert consultation.fill.start_color.rgb.endswith("FFEB9C")     # due: yellow
    legend = wb["Chú giải"]
    assert legend["A1"].value == "KCN Tân Phú Thạnh" and legend["B2"].value == "16/06/2018"
    assert [legend.cell(r, 1).value for r in range(3, 7)] == ["Đã thực hiện", "Đang trong hạn", "Quá hạn", "Chưa đến bước"]
