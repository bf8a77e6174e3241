"""The steps of the Land Law 2024 land-recovery procedure, the law's time limits, the order rules and a step's record.

Source: Luật Đất đai số 31/2024/QH15 (Land Law 2024), Art. 85 (land-recovery notice),
Art. 87 (the procedure for recovery for socio-economic development), Art. 88
(enforcement of a compulsory-inventory decision), Art. 89 (enforcement of a recovery
decision), Art. 94 (paying compensation). Deadlines that the law fixes are constants beside
their article. A step refused by a rule raises :class:`ProcedureError`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mapapp.refusals import Both

AGRICULTURAL = "agricultural"
NON_AGRICULTURAL = "non_agricultural"
LAND_KINDS = (AGRICULTURAL, NON_AGRICULTURAL)

#: Land Law 2024 Art. 85(1): the notice is sent at least 90 days (agricultural land) or
#: 180 days (non-agricultural land) before the recovery decision.
NOTICE_MIN_DAYS = {AGRICULTURAL: 90, NON_AGRICULTURAL: 180}
#: Land Law 2024 Art. 85(1): the notice is valid for 12 months.
NOTICE_VALID_MONTHS = 12
#: Land Law 2024 Art. 87(2): persuasion for 15 days before a compulsory-inventory decision.
PERSUASION_DAYS = 15
#: Land Law 2024 Art. 87(3): the compensation plan is posted publicly for 30 days.
PLAN_POSTED_DAYS = 30
#: Land Law 2024 Art. 87(5): the recovery decision within 10 days of the plan's approval.
DECISION_DAYS = 10
#: Land Law 2024 Art. 94(1): compensation paid within 30 days of the approval taking effect.
PAYMENT_DAYS = 30


class Step(StrEnum):
    """The steps, in the order of Art. 87 (the display order of the matrix)."""

    MEETING = "meeting"
    NOTICE = "notice"
    PERSUASION = "persuasion"
    COMPULSORY_INVENTORY = "compulsory_inventory"
    INVENTORY = "inventory"
    PLAN_POSTED = "plan_posted"
    CONSULTATION = "consultation"
    APPRAISAL = "appraisal"
    APPROVAL = "approval"
    PUBLICATION = "publication"
    PAYMENT = "payment"
    DEPOSIT = "deposit"
    DECISION = "decision"
    ENFORCEMENT = "enforcement"
    HANDOVER = "handover"


STEPS: tuple[Step, ...] = tuple(Step)
#: Steps taken only on some parcels: the compulsory-inventory path (the user refuses the
#: inventory), deposit (the user refuses the money), enforcement (the user refuses to hand over).
OPTIONAL_STEPS = frozenset({Step.PERSUASION, Step.COMPULSORY_INVENTORY, Step.DEPOSIT, Step.ENFORCEMENT})
#: Every parcel goes through these, in this order.
MAIN_STEPS: tuple[Step, ...] = tuple(s for s in STEPS if s not in OPTIONAL_STEPS)

LABELS: dict[Step, tuple[str, str]] = {
    Step.MEETING: ("Họp dân", "Meeting with the people"),
    Step.NOTICE: ("Thông báo thu hồi đất", "Land-recovery notice"),
    Step.PERSUASION: ("Vận động, thuyết phục kiểm đếm", "Persuasion to allow the inventory"),
    Step.COMPULSORY_INVENTORY: ("Quyết định kiểm đếm bắt buộc", "Compulsory-inventory decision"),
    Step.INVENTORY: ("Điều tra, đo đạc, kiểm đếm", "Survey and inventory"),
    Step.PLAN_POSTED: ("Niêm yết phương án BT, HT, TĐC", "Compensation plan posted"),
    Step.CONSULTATION: ("Lấy ý kiến, đối thoại", "Consultation and dialogue"),
    Step.APPRAISAL: ("Thẩm định phương án", "Plan appraised"),
    Step.APPROVAL: ("Phê duyệt phương án", "Plan approved"),
    Step.PUBLICATION: ("Công bố, gửi phương án", "Approved plan published"),
    Step.PAYMENT: ("Chi trả bồi thường", "Compensation paid"),
    Step.DEPOSIT: ("Gửi tiền bồi thường", "Compensation deposited"),
    Step.DECISION: ("Quyết định thu hồi đất", "Land-recovery decision"),
    Step.ENFORCEMENT: ("Cưỡng chế thu hồi đất", "Enforcement of the recovery"),
    Step.HANDOVER: ("Bàn giao mặt bằng", "Land handed over"),
}

#: Art. 89(2): enforcement only when all of these hold (recorded on the enforcement step).
ENFORCEMENT_CONDITIONS = frozenset({
    "decision_in_force",   # the recovery decision has taken effect
    "persuasion_done",     # the commune and the Fatherland Front have persuaded the user
    "decision_posted",     # the recovery decision is posted at the commune and the village
    "user_refuses",        # the user still does not hand the land over
})


@dataclass(frozen=True)
class Rule:
    """An order rule: ``step`` needs ``after`` done first (any one of them when ``any_of``)."""

    step: Step
    after: tuple[Step, ...]
    source: str
    any_of: bool = False


#: What each step needs before it; the first unmet rule refuses the step.
ORDER_RULES: tuple[Rule, ...] = (
    Rule(Step.NOTICE, (Step.MEETING,), "Luật Đất đai 2024, Điều 87 khoản 1: họp dân trước khi thông báo thu hồi đất"),
    Rule(Step.PERSUASION, (Step.NOTICE,), "Luật Đất đai 2024, Điều 87 khoản 2: vận động kiểm đếm sau thông báo thu hồi đất"),
    Rule(Step.COMPULSORY_INVENTORY, (Step.PERSUASION,), "Luật Đất đai 2024, Điều 87 khoản 2: kiểm đếm bắt buộc chỉ sau 15 ngày vận động"),
    Rule(Step.INVENTORY, (Step.NOTICE,), "Luật Đất đai 2024, Điều 87 khoản 2: điều tra, kiểm đếm sau thông báo thu hồi đất"),
    Rule(Step.PLAN_POSTED, (Step.INVENTORY,), "Luật Đất đai 2024, Điều 87 khoản 3: lập phương án sau khi kiểm đếm"),
    Rule(Step.CONSULTATION, (Step.PLAN_POSTED,), "Luật Đất đai 2024, Điều 87 khoản 3: lấy ý kiến, đối thoại sau 30 ngày niêm yết"),
    Rule(Step.APPRAISAL, (Step.CONSULTATION,), "Luật Đất đai 2024, Điều 87 khoản 3: thẩm định sau khi lấy ý kiến"),
    Rule(Step.APPROVAL, (Step.APPRAISAL,), "Luật Đất đai 2024, Điều 87 khoản 4: phê duyệt phương án đã thẩm định"),
    Rule(Step.PUBLICATION, (Step.APPROVAL,), "Luật Đất đai 2024, Điều 87 khoản 4: công bố phương án đã phê duyệt"),
    Rule(Step.PAYMENT, (Step.APPROVAL,), "Luật Đất đai 2024, Điều 94 khoản 1: chi trả theo phương án đã phê duyệt"),
    Rule(Step.DEPOSIT, (Step.APPROVAL,), "Luật Đất đai 2024, Điều 94 khoản 1: gửi tiền theo phương án đã phê duyệt"),
    Rule(Step.DECISION, (Step.APPROVAL,), "Luật Đất đai 2024, Điều 87 khoản 5: quyết định thu hồi sau khi phê duyệt phương án"),
    Rule(Step.ENFORCEMENT, (Step.DECISION,), "Luật Đất đai 2024, Điều 89: cưỡng chế thực hiện quyết định thu hồi đất"),
    Rule(Step.HANDOVER, (Step.DECISION,), "Luật Đất đai 2024, Điều 87 khoản 5–6: bàn giao sau quyết định thu hồi"),
    Rule(Step.HANDOVER, (Step.PAYMENT, Step.DEPOSIT), "Luật Đất đai 2024, Điều 94: bàn giao sau khi đã chi trả hoặc gửi tiền bồi thường", any_of=True),
)


def step_name(step: Step) -> Both:
    """A step as a refusal names it: its code in English (as the messages always did), label and code in Vietnamese."""
    return Both(f"{LABELS[step][0]} ({step.value})", step.value)


def steps_named(steps: Sequence[Step], joined: str) -> Both:
    """Steps as :func:`step_name` names them, joined by ", " or by "or" (``joined``: "and" or "or")."""
    vi_sep, en_sep = (" hoặc ", " or ") if joined == "or" else (", ", ", ")
    return Both(vi_sep.join(step_name(s).vi for s in steps), en_sep.join(s.value for s in steps))


class ProcedureError(ValueError):
    """A step refused: ``step`` (the step), ``rule`` (the article, in Vietnamese), ``message`` (English, a
    :class:`mapapp.refusals.Reason` that also reads in Vietnamese)."""

    def __init__(self, step: Step, rule: str, message: str):
        super().__init__(f"{step.value}: {message} ({rule})")
        self.step = step
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class Document:
    """The document a step rests on: type (e.g. ``Thông báo``, ``Quyết định``), number, date, signer (a role)."""

    doc_type: str
    number: str
    doc_date: date | None = None
    signer: str = ""
    scan: str | None = None


@dataclass(frozen=True)
class StepRecord:
    """One step done on one parcel. ``date`` None: done, date unknown (an old-style import).

    ``conditions`` is used by the enforcement step only (see :data:`ENFORCEMENT_CONDITIONS`).
    """

    parcel_code: str
    step: Step
    date: date | None
    document: Document | None = None
    conditions: frozenset[str] = frozenset()
    note: str = ""
