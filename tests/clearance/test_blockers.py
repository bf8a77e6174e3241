"""The blockers register: checks, history, overdue, and the weekly late list (hand-worked dates)."""
from __future__ import annotations

from datetime import date as D

import pandas as pd
import pytest

from mapapp.clearance.blockers import (
    Blocker,
    blockers_frame,
    change_state,
    check_blocker,
    deadline_on,
    is_overdue,
    late_list,
    reschedule,
    state_on,
)

GPMB = "Phó Trưởng ban phụ trách GPMB"


def blocker(code, deadline, kind="parcel", subject="GP-1", opened=D(2018, 10, 1), leader=GPMB, **kw):
    return Blocker(code, kind, subject, "Hộ dân chưa đồng ý giá bồi thường", "Đối thoại, giải thích đơn giá", deadline,
                   "Trung tâm Phát triển quỹ đất huyện", leader, opened, **kw)


B1 = blocker("VM-01", D(2018, 11, 30), holds_up=("PRJ-1",), zone_code="Z")
B2 = blocker("VM-02", D(2018, 12, 28), kind="project", subject="PRJ-1", zone_code="Z")
B3 = change_state(blocker("VM-03", D(2018, 12, 1), subject="GP-3"), "resolved", D(2018, 12, 15), GPMB, "Đã chi trả")
B4 = reschedule(blocker("VM-04", D(2018, 11, 25), subject="GP-4"), D(2019, 1, 31), D(2018, 11, 20), GPMB, "Chờ đo đạc lại")


def test_check_blocker_names_the_field():
    assert check_blocker(B1) is B1
    with pytest.raises(ValueError, match="blocker VM-09, field leader: 'Phó Trưởng ban Võ Minh Triều' is not a leader's role"):
        check_blocker(blocker("VM-09", D(2019, 1, 1), leader="Phó Trưởng ban Võ Minh Triều"))
    with pytest.raises(ValueError, match="field kind"):
        check_blocker(blocker("VM-09", D(2019, 1, 1), kind="road"))
    with pytest.raises(ValueError, match="field deadline"):
        check_blocker(blocker("VM-09", D(2018, 9, 1)))


def test_history_and_transitions():
    assert B3.state == "resolved" and [(c.on, c.field, c.previous, c.value, c.by) for c in B3.history] == [
        (D(2018, 12, 15), "state", "open", "resolved", GPMB)]
    assert state_on(B3, D(2018, 12, 14)) == "open" and state_on(B3, D(2018, 12, 15)) == "resolved"
    with pytest.raises(ValueError, match="cannot go from resolved to in_progress"):
        change_state(B3, "in_progress", D(2018, 12, 20), GPMB)
    with pytest.raises(ValueError, match="before its last change"):
        change_state(B3, "open", D(2018, 12, 1), GPMB)
    assert change_state(B3, "open", D(2018, 12, 20), GPMB, "Hộ dân khiếu nại lại").state == "open"
    with pytest.raises(ValueError, match="needs a reason"):
        reschedule(B1, D(2019, 2, 1), D(2018, 12, 1), GPMB, " ")
    assert deadline_on(B4, D(2018, 11, 19)) == D(2018, 11, 25) and deadline_on(B4, D(2018, 11, 20)) == D(2019, 1, 31)


def test_overdue_as_of_a_date():
    at = D(2018, 12, 31)
    assert [is_overdue(b, at) for b in (B1, B2, B3, B4)] == [True, True, False, False]
    assert [is_overdue(b, D(2018, 12, 10)) for b in (B1, B2, B3, B4)] == [True, False, True, False]
    assert not is_overdue(B1, D(2018, 11, 30))  # due that day: not yet late
    assert not is_overdue(B1, D(2018, 9, 1))    # not opened yet
    f = blockers_frame([B1, B2, B3, B4], D(2018, 12, 10))
    assert f[["code", "state", "overdue"]].values.tolist() == [
        ["VM-01", "open", True], ["VM-02", "open", False], ["VM-03", "open", True], ["VM-04", "open", False]]


def test_the_late_list_of_the_week():
    progress = pd.DataFrame([
        ("GP-1", "payment", D(2018, 12, 20), True),
        ("GP-2", "decision", D(2018, 12, 29), True),
        ("GP-5", "approval", D(2019, 1, 10), False),
    ], columns=["parcel_code", "due_step", "next_due", "overdue"])
    late = late_list(progress, [B1, B2, B3, B4], D(2018, 12, 31), zone_of={"GP-1": "Z", "GP-2": "Z"})
    assert late[["kind", "code", "days_late", "new_this_week"]].values.tolist() == [
        ["task", "VM-01", 31, False],   # 2018-11-30 → 31 days
        ["step", "GP-1", 11, False],    # payment due 2018-12-20 (Art. 94): 11 days, not this week
        ["task", "VM-02", 3, True],     # 2018-12-28: within the last 7 days
        ["step", "GP-2", 2, True],
    ]
    rows = late.set_index("code")
    assert rows.loc["GP-1", "what"] == "Chi trả bồi thường" and rows.loc["GP-1", "leader"] == GPMB
    assert rows.loc["GP-1", "responsible"].startswith("Tổ chức làm nhiệm vụ bồi thường")
    assert rows.loc["GP-2", "responsible"] == "UBND cấp huyện" and rows.loc["GP-2", "zone_code"] == "Z"
    assert rows.loc["VM-01", "responsible"] == "Trung tâm Phát triển quỹ đất huyện"
    # after the reform the same overdue decision is the commune chairman's
    later = late_list(progress.assign(next_due=[D(2025, 7, 1)] * 3), [], D(2025, 7, 10))
    assert later[["code", "days_late", "responsible"]].values.tolist() == [
        ["GP-1", 9, "Tổ chức làm nhiệm vụ bồi thường, giải phóng mặt bằng"], ["GP-2", 9, "Chủ tịch UBND cấp xã"]]
    assert late_list(progress.iloc[:0], [], D(2018, 12, 31)).columns.tolist()[-1] == "new_this_week"


def test_late_list_as_text():
    from mapapp.clearance.blockers import format_late

    progress = pd.DataFrame([("GP-1", "payment", D(2018, 12, 20), True)], columns=["parcel_code", "due_step", "next_due", "overdue"])
    lines = format_late(late_list(progress, [B2], D(2018, 12, 31)), D(2018, 12, 31))
    assert lines[0] == "Việc quá hạn đến ngày 31/12/2018: 2"
    assert lines[1].startswith("  GP-1         20/12/2018    11 ngày  Chi trả bồi thường — Tổ chức làm nhiệm vụ bồi thường")
    assert lines[2].startswith("* VM-02        28/12/2018     3 ngày  Đối thoại") and lines[2].endswith(GPMB)
    en = format_late(late_list(progress, [], D(2018, 12, 31)), D(2018, 12, 31), "en")
    assert en[0] == "Late on 2018-12-31: 1" and "2018-12-20" in en[1] and "11 days" in en[1]
