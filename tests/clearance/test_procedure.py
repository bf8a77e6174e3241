"""The Land Law 2024 steps: order, deadlines and authority, on hand-worked dates."""
from __future__ import annotations

from datetime import date as D

import pytest

from mapapp.clearance.procedure import (
    AGRICULTURAL,
    ENFORCEMENT_CONDITIONS,
    NON_AGRICULTURAL,
    Document,
    ProcedureError,
    ProcedureSettings,
    Step,
    StepRecord,
    add_working_days,
    authority,
    check_steps,
    deadlines,
    late_interest,
    progress,
)

# A parcel of agricultural land, worked by hand:
#   meeting 2018-01-02, notice 2018-01-10 (Wed), inventory 2018-02-01, plan posted 2018-03-01,
#   consultation 2018-04-02 (Mon; earliest 03-31 = 03-01 + 30 d, due 05-30 = 03-01 + 30 + 60 d),
#   appraisal 2018-05-10 (due 05-14 = 04-02 + 30 working days = 6 weeks),
#   approval 2018-05-15 (due 05-17 = 05-10 Thu + 5 working days: 11, 14, 15, 16, 17),
#   decision 2018-05-24 (due 05-25 = approval + 10 d; earliest 04-10 = notice + 90 d),
#   payment 2018-06-20 (due 06-14 = approval + 30 d: 6 days late), handover 2018-07-02.
DATES = {
    Step.MEETING: D(2018, 1, 2), Step.NOTICE: D(2018, 1, 10), Step.INVENTORY: D(2018, 2, 1),
    Step.PLAN_POSTED: D(2018, 3, 1), Step.CONSULTATION: D(2018, 4, 2), Step.APPRAISAL: D(2018, 5, 10),
    Step.APPROVAL: D(2018, 5, 15), Step.DECISION: D(2018, 5, 24), Step.PAYMENT: D(2018, 6, 20),
    Step.HANDOVER: D(2018, 7, 2),
}


def rec(step: Step, d: D | None, **kw) -> StepRecord:
    return StepRecord("GP-X-01", step, d, Document("Quyết định", "01/QĐ-UBND", d, "Chủ tịch UBND huyện"), **kw)


def records(**override) -> list[StepRecord]:
    dates = {**DATES, **{Step(k): v for k, v in override.items()}}
    return [rec(s, d) for s, d in dates.items() if d is not None]


def test_whole_procedure_with_deadlines():
    checked = {c.record.step: c for c in check_steps(records(), AGRICULTURAL)}
    assert list(checked) == [Step.MEETING, Step.NOTICE, Step.INVENTORY, Step.PLAN_POSTED, Step.CONSULTATION,
                             Step.APPRAISAL, Step.APPROVAL, Step.DECISION, Step.PAYMENT, Step.HANDOVER]
    due = {s: c.due for s, c in checked.items()}
    assert due[Step.CONSULTATION] == D(2018, 5, 30)
    assert due[Step.APPRAISAL] == D(2018, 5, 14)
    assert due[Step.APPROVAL] == D(2018, 5, 17)
    assert due[Step.DECISION] == D(2018, 5, 25)
    assert due[Step.PAYMENT] == D(2018, 6, 14)
    assert due[Step.MEETING] is None and due[Step.HANDOVER] is None
    assert {s: c.days_late for s, c in checked.items() if c.days_late} == {Step.PAYMENT: 6}
    assert "Điều 94" in checked[Step.PAYMENT].source


def test_records_are_read_by_date_whatever_their_order():
    assert [c.record.step for c in check_steps(list(reversed(records())), AGRICULTURAL)][:3] == [
        Step.MEETING, Step.NOTICE, Step.INVENTORY]


@pytest.mark.parametrize("missing, refused, article", [
    (Step.MEETING, Step.NOTICE, "Điều 87 khoản 1"),
    (Step.INVENTORY, Step.PLAN_POSTED, "Điều 87 khoản 3"),
    (Step.APPROVAL, Step.DECISION, "Điều 87 khoản 5"),
    (Step.PAYMENT, Step.HANDOVER, "Điều 94"),
])
def test_a_step_without_the_one_before_is_refused_with_the_rule(missing, refused, article):
    with pytest.raises(ProcedureError) as e:
        check_steps(records(**{missing.value: None}), AGRICULTURAL)
    assert e.value.step == refused and article in e.value.rule
    assert missing.value in e.value.message


def test_a_step_dated_before_its_prerequisite_is_refused():
    with pytest.raises(ProcedureError) as e:  # handover dated before the decision
        check_steps(records(handover=D(2018, 5, 20), payment=D(2018, 5, 18)), AGRICULTURAL)
    assert e.value.step == Step.HANDOVER and "Điều 87" in e.value.rule


def test_a_deposit_stands_for_the_payment_before_handover():
    recs = records(payment=None) + [rec(Step.DEPOSIT, D(2018, 6, 1))]
    assert check_steps(recs, AGRICULTURAL)[-1].record.step == Step.HANDOVER


def test_notice_at_least_90_or_180_days_before_the_decision():
    # agricultural: 2018-01-10 + 90 d = 2018-04-10; non-agricultural: + 180 d = 2018-07-09
    assert deadlines({Step.NOTICE: D(2018, 1, 10)}, AGRICULTURAL)[Step.DECISION].earliest == D(2018, 4, 10)
    assert deadlines({Step.NOTICE: D(2018, 1, 10)}, NON_AGRICULTURAL)[Step.DECISION].earliest == D(2018, 7, 9)
    with pytest.raises(ProcedureError) as e:
        check_steps(records(), NON_AGRICULTURAL)  # decision 2018-05-24 < 2018-07-09
    assert e.value.step == Step.DECISION and "Điều 85" in e.value.rule and "2018-07-09" in e.value.message


def test_the_notice_is_valid_twelve_months():
    # notice 2018-01-10: a decision on 2019-01-10 is in time, on 2019-01-11 needs a new notice
    late = dict(appraisal=D(2018, 12, 20), approval=D(2018, 12, 27), payment=D(2019, 1, 15), handover=D(2019, 2, 1))
    ok = {c.record.step: c for c in check_steps(records(**late, decision=D(2019, 1, 10)), AGRICULTURAL)}
    assert ok[Step.DECISION].due == D(2019, 1, 6) and ok[Step.DECISION].days_late == 4
    with pytest.raises(ProcedureError) as e:
        check_steps(records(**late, decision=D(2019, 1, 11)), AGRICULTURAL)
    assert "12 tháng" in e.value.rule and "2019-01-10" in e.value.message


def test_plan_posted_thirty_days_before_the_consultation():
    with pytest.raises(ProcedureError) as e:  # posted 03-01: consultation from 03-31
        check_steps(records(consultation=D(2018, 3, 30)), AGRICULTURAL)
    assert e.value.step == Step.CONSULTATION and "30 ngày" in e.value.rule
    assert check_steps(records(consultation=D(2018, 3, 31)), AGRICULTURAL)


def test_compulsory_inventory_path():
    base = [rec(Step.MEETING, D(2018, 1, 2)), rec(Step.NOTICE, D(2018, 1, 10)), rec(Step.PERSUASION, D(2018, 1, 20))]
    with pytest.raises(ProcedureError) as e:  # the user refused: no inventory without the decision
        check_steps(base + [rec(Step.INVENTORY, D(2018, 2, 20))], AGRICULTURAL)
    assert e.value.step == Step.INVENTORY and "Điều 87 khoản 2" in e.value.rule
    with pytest.raises(ProcedureError) as e:  # 14 days of persuasion: too early (01-20 + 15 = 02-04)
        check_steps(base + [rec(Step.COMPULSORY_INVENTORY, D(2018, 2, 3))], AGRICULTURAL)
    assert "2018-02-04" in e.value.message
    with pytest.raises(ProcedureError):  # no compulsory inventory without persuasion
        check_steps(base[:2] + [rec(Step.COMPULSORY_INVENTORY, D(2018, 2, 3))], AGRICULTURAL)
    done = check_steps(base + [rec(Step.COMPULSORY_INVENTORY, D(2018, 2, 4)), rec(Step.INVENTORY, D(2018, 2, 20))], AGRICULTURAL)
    assert [c.record.step for c in done][-2:] == [Step.COMPULSORY_INVENTORY, Step.INVENTORY]


def test_enforcement_only_when_all_its_conditions_hold():
    some = frozenset({"decision_in_force", "decision_posted"})
    with pytest.raises(ProcedureError) as e:
        check_steps(records(handover=None) + [rec(Step.ENFORCEMENT, D(2018, 7, 1), conditions=some)], AGRICULTURAL)
    assert "Điều 89" in e.value.rule and "persuasion_done, user_refuses" in e.value.message
    with pytest.raises(ProcedureError):  # never before the recovery decision
        check_steps(records(decision=None, handover=None) + [rec(Step.ENFORCEMENT, D(2018, 7, 1), conditions=ENFORCEMENT_CONDITIONS)], AGRICULTURAL)
    full = check_steps(records() + [rec(Step.ENFORCEMENT, D(2018, 7, 1), conditions=ENFORCEMENT_CONDITIONS)], AGRICULTURAL)
    assert full[-1].record.step == Step.HANDOVER


def test_a_step_twice_is_refused():
    with pytest.raises(ProcedureError, match="already recorded"):
        check_steps(records() + [rec(Step.NOTICE, D(2018, 1, 12))], AGRICULTURAL)


def test_provincial_sub_deadlines_are_settings():
    s = ProcedureSettings(dialogue_days=45, appraisal_working_days=20, approval_working_days=3,
                          holidays=frozenset({D(2018, 4, 30), D(2018, 5, 1)}))
    dl = deadlines({Step.PLAN_POSTED: D(2018, 3, 1), Step.CONSULTATION: D(2018, 4, 2), Step.APPRAISAL: D(2018, 5, 10)},
                   AGRICULTURAL, s)
    assert dl[Step.CONSULTATION].due == D(2018, 5, 15)   # 03-01 + 30 + 45 d
    assert dl[Step.APPRAISAL].due == D(2018, 5, 2)       # 04-02 + 20 working days (4 weeks), + 2 holidays
    assert dl[Step.APPROVAL].due == D(2018, 5, 15)       # 05-10 Thu + 3 working days: 11, 14, 15


def test_working_days():
    assert add_working_days(D(2018, 4, 2), 30) == D(2018, 5, 14)
    assert add_working_days(D(2018, 5, 11), 1) == D(2018, 5, 14)  # Friday + 1 = Monday
    assert add_working_days(D(2018, 5, 11), 0) == D(2018, 5, 11)


def test_undated_records_count_for_order_but_give_no_deadline():
    undated = [rec(s, None) for s in (Step.MEETING, Step.NOTICE, Step.INVENTORY, Step.PLAN_POSTED,
                                      Step.CONSULTATION, Step.APPRAISAL, Step.APPROVAL)]
    assert all(c.due is None for c in check_steps(undated, AGRICULTURAL))
    p = progress("GP-X-01", undated, AGRICULTURAL, D(2018, 12, 31))
    assert (p.last_step, p.next_step, p.next_due, p.overdue) == (Step.APPROVAL, Step.PUBLICATION, None, False)


def test_progress_at_a_date():
    p = progress("GP-X-01", records(), AGRICULTURAL, D(2018, 6, 16))  # approved 05-15, decided 05-24, not paid
    assert (p.last_step, p.last_date) == (Step.DECISION, D(2018, 5, 24))
    # publication (no time limit) is the next step; the payment is the one overdue
    assert (p.next_step, p.due_step, p.next_due, p.overdue) == (Step.PUBLICATION, Step.PAYMENT, D(2018, 6, 14), True)
    p = progress("GP-X-01", records(), AGRICULTURAL, D(2018, 5, 16))
    assert (p.last_step, p.next_step, p.due_step, p.next_due, p.overdue) == (
        Step.APPROVAL, Step.PUBLICATION, Step.DECISION, D(2018, 5, 25), False)
    done = progress("GP-X-01", records(), AGRICULTURAL, D(2018, 12, 31))
    assert (done.last_step, done.next_step, done.next_due) == (Step.HANDOVER, None, None)


def test_late_interest():
    # 1,000,000,000 VND, due 2018-06-14, paid 2018-06-20: 6 days x 0.03 % = 1,800,000 VND
    assert late_interest(1e9, D(2018, 6, 14), D(2018, 6, 20)) == 1_800_000.0
    assert late_interest(1e9, D(2018, 6, 14), D(2018, 6, 14)) == 0.0


def test_authority_as_of_the_step_date():
    assert authority(Step.DECISION, D(2018, 5, 24)).vi == "UBND cấp huyện"
    assert authority(Step.DECISION, D(2025, 6, 30)).vi == "UBND cấp huyện"
    after = authority(Step.DECISION, D(2025, 7, 1))
    assert after.vi == "Chủ tịch UBND cấp xã" and "151/2025" in after.source
    assert authority(Step.ENFORCEMENT, D(2019, 1, 1)).vi == "Chủ tịch UBND cấp huyện"
    assert authority(Step.APPROVAL, D(2026, 1, 5)).vi == "Chủ tịch UBND cấp xã"
    assert "bồi thường" in authority(Step.PAYMENT, D(2026, 1, 5)).vi


def test_progress_table_from_a_step_table():
    import pandas as pd

    from mapapp.clearance.procedure import progress_table

    steps = pd.DataFrame(
        [("A", s.value, d.isoformat(), "Quyết định", f"{i}/QĐ-UBND", d.isoformat(), "Chủ tịch UBND huyện")
         for i, (s, d) in enumerate(DATES.items()) if s not in (Step.PAYMENT, Step.HANDOVER)]
        + [("B", "meeting", "", "", "", "", "")],
        columns=["parcel_code", "step", "date", "doc_type", "doc_number", "doc_date", "signer"])
    parcels = pd.DataFrame({"code": ["A", "B", "C"], "land_kind": ["agricultural", "", None]})
    t = progress_table(parcels, steps, D(2018, 6, 16))
    assert t.to_dict("records") == [
        {"parcel_code": "A", "last_step": "decision", "last_date": D(2018, 5, 24), "next_step": "publication",
         "due_step": "payment", "next_due": D(2018, 6, 14), "overdue": True},
        {"parcel_code": "B", "last_step": "meeting", "last_date": None, "next_step": "notice",
         "due_step": None, "next_due": None, "overdue": False},
        {"parcel_code": "C", "last_step": None, "last_date": None, "next_step": "meeting",
         "due_step": None, "next_due": None, "overdue": False},
    ]
    with pytest.raises(ValueError, match="'paid' of parcel A"):
        progress_table(parcels, pd.DataFrame([("A", "paid", "")], columns=["parcel_code", "step", "date"]), D(2018, 6, 16))


def test_documents_are_checked():
    late_doc = StepRecord("GP-X-01", Step.MEETING, D(2018, 1, 2), Document("Biên bản họp dân", "1/BB", D(2018, 1, 3), "Hội đồng BT"))
    with pytest.raises(ProcedureError, match="1/BB is dated 2018-01-03, after the step"):
        check_steps([late_doc], AGRICULTURAL)
    bare = StepRecord("GP-X-01", Step.MEETING, D(2018, 1, 2))
    assert check_steps([bare], AGRICULTURAL)
    with pytest.raises(ProcedureError, match="needs its document"):
        check_steps([bare], AGRICULTURAL, require_documents=True)
    assert check_steps([StepRecord("GP-X-01", Step.MEETING, None)], AGRICULTURAL, require_documents=True)  # old import
    assert check_steps(records(), AGRICULTURAL, require_documents=True)


def test_settings_from_the_environment():
    s = ProcedureSettings.from_env({"MAPAPP_CLEARANCE_DIALOGUE_DAYS": "45", "MAPAPP_CLEARANCE_HOLIDAYS": "2018-04-30, 2018-05-01"})
    assert (s.dialogue_days, s.appraisal_working_days, s.approval_working_days) == (45, 30, 5)
    assert s.holidays == {D(2018, 4, 30), D(2018, 5, 1)}
    assert ProcedureSettings.from_env({}) == ProcedureSettings()
    with pytest.raises(ValueError, match="MAPAPP_CLEARANCE_APPROVAL_WORKING_DAYS: 'năm'"):
        ProcedureSettings.from_env({"MAPAPP_CLEARANCE_APPROVAL_WORKING_DAYS": "năm"})
    with pytest.raises(ValueError, match="MAPAPP_CLEARANCE_HOLIDAYS"):
        ProcedureSettings.from_env({"MAPAPP_CLEARANCE_HOLIDAYS": "30/4/2018"})
