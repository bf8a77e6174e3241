"""The land-recovery procedure of the Land Law 2024, step by step, with its order and deadlines.

Source: Luật Đất đai số 31/2024/QH15 (Land Law 2024), Art. 85 (land-recovery notice),
Art. 87 (the procedure for recovery for socio-economic development), Art. 88
(enforcement of a compulsory-inventory decision), Art. 89 (enforcement of a recovery
decision), Art. 94 (paying compensation); Decree 102/2024/NĐ-CP Art. 40 (a complaint
does not suspend the procedure); Decree 151/2025/NĐ-CP (from 1 July 2025 the district's
land powers rest with the commune People's Committee chairman).

Records are the steps done on one parcel (:class:`StepRecord`): the step, its date and its
document (type, number, date, signer). :func:`check_steps` reads them in date order, refuses
the first one that breaks an order rule (:class:`ProcedureError` names the step and the
rule) and returns each step's legal or provincial deadline computed from the step before.

Deadlines that the law fixes are constants beside their article; the ones a province sets
(dialogue, appraisal, approval) are :class:`ProcedureSettings`, with defaults from the domain
brief. Working days skip Saturdays, Sundays and the holidays passed in the settings.

The 2018 sample predates the 2024 law (Land Law 2013 Art. 67 and 69 applied); the two
time limits it relies on (notice 90/180 days before the decision) are the same in both.
Records imported from an old-style status carry no date (``date=None``): they count as done
for order and status, and no deadline is computed from them.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import pandas as pd

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
#: Decree 151/2025/NĐ-CP: from this date the commune chairman holds the district's land powers.
TWO_LEVEL_FROM = date(2025, 7, 1)


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


def _rule(step: Step) -> Rule:
    return next(r for r in ORDER_RULES if r.step == step)


class ProcedureError(ValueError):
    """A step refused: ``step`` (the step), ``rule`` (the article, in Vietnamese), ``message`` (English)."""

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


@dataclass(frozen=True)
class ProcedureSettings:
    """The deadlines a province sets (not fixed by the Land Law), and its holidays.

    dialogue_days        calendar days after the 30 days of posting to finish the consultation
                         and dialogue (default 60);
    appraisal_working_days   working days from consultation to appraisal (default 30);
    approval_working_days    working days from appraisal to approval (default 5);
    holidays             dates that are not working days (besides Saturdays and Sundays).
    """

    dialogue_days: int = 60
    appraisal_working_days: int = 30
    approval_working_days: int = 5
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "ProcedureSettings":
        """Settings from ``MAPAPP_CLEARANCE_DIALOGUE_DAYS``, ``MAPAPP_CLEARANCE_APPRAISAL_WORKING_DAYS``,
        ``MAPAPP_CLEARANCE_APPROVAL_WORKING_DAYS`` and ``MAPAPP_CLEARANCE_HOLIDAYS`` (comma-separated
        ISO dates); unset ones keep their defaults. Raises ValueError naming the variable on a bad value."""
        names = {"dialogue_days": "MAPAPP_CLEARANCE_DIALOGUE_DAYS",
                 "appraisal_working_days": "MAPAPP_CLEARANCE_APPRAISAL_WORKING_DAYS",
                 "approval_working_days": "MAPAPP_CLEARANCE_APPROVAL_WORKING_DAYS"}
        values: dict = {}
        for key, var in names.items():
            if env.get(var, "").strip():
                try:
                    values[key] = int(env[var])
                except ValueError:
                    raise ValueError(f"{var}: {env[var]!r} is not a whole number of days") from None
                if values[key] < 0:
                    raise ValueError(f"{var}: {env[var]!r} is negative")
        text = env.get("MAPAPP_CLEARANCE_HOLIDAYS", "")
        try:
            values["holidays"] = frozenset(date.fromisoformat(d.strip()) for d in text.split(",") if d.strip())
        except ValueError:
            raise ValueError(f"MAPAPP_CLEARANCE_HOLIDAYS: {text!r} is not a list of YYYY-MM-DD dates") from None
        return cls(**values)


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """``start`` plus ``days`` working days (Monday–Friday, ``holidays`` skipped); 0 gives ``start``."""
    return _add_working_days(start, days, frozenset(holidays))


@functools.lru_cache(maxsize=65536)
def _add_working_days(start: date, days: int, off: frozenset[date]) -> date:
    # many parcels share a date: each (date, days) is counted once
    d, left = start, days
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in off:
            left -= 1
    return d


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


@dataclass(frozen=True)
class Deadline:
    """When ``step`` is due (``due``, latest legal or provincial date) and may start (``earliest``)."""

    step: Step
    due: date | None
    earliest: date | None
    source: str


def deadlines(done: dict[Step, date | None], land_kind: str, settings: ProcedureSettings | None = None) -> dict[Step, Deadline]:
    """Each step's deadline computed from the dates of the steps it follows.

    ``done`` maps the steps done to their dates (None: date unknown, nothing computed from
    it); ``land_kind`` is ``agricultural`` or ``non_agricultural`` (Art. 85(1)). Steps whose
    anchor is not done yet, or that have no time limit, get ``due=None``.
    Raises ValueError for an unknown land kind.
    """
    _check_kind(land_kind)
    s = settings or ProcedureSettings()
    out: dict[Step, Deadline] = {}
    for step in _TIMED_STEPS:
        dl = _deadline(step, done, land_kind, s)
        if dl is not None:
            out[step] = dl
    return out


def _check_kind(land_kind: str) -> None:
    if land_kind not in LAND_KINDS:
        raise ValueError(f"land_kind: {land_kind!r} is not one of {', '.join(LAND_KINDS)}")


#: The steps with a deadline or an earliest date, in the order :func:`deadlines` lists them.
_TIMED_STEPS = (Step.COMPULSORY_INVENTORY, Step.CONSULTATION, Step.APPRAISAL, Step.APPROVAL, Step.PAYMENT, Step.DEPOSIT,
                Step.DECISION)
_PAYMENT_SOURCE = "Luật Đất đai 2024, Điều 94 khoản 1: chi trả trong 30 ngày kể từ ngày phê duyệt"


def _deadline(step: Step, done: Mapping[Step, date | None], land_kind: str, s: ProcedureSettings) -> Deadline | None:
    """The deadline of ``step`` alone (None: it has none yet): what :func:`deadlines` lists for it.
    One step's, not all: a parcel's records are checked one by one, each against its own deadline."""
    if step == Step.COMPULSORY_INVENTORY:
        persuasion = done.get(Step.PERSUASION)
        return Deadline(step, None, persuasion + timedelta(days=PERSUASION_DAYS),
                        "Luật Đất đai 2024, Điều 87 khoản 2: sau 15 ngày vận động") if persuasion else None
    if step == Step.CONSULTATION:
        posted = done.get(Step.PLAN_POSTED)
        return Deadline(step, posted + timedelta(days=PLAN_POSTED_DAYS + s.dialogue_days), posted + timedelta(days=PLAN_POSTED_DAYS),
                        "Luật Đất đai 2024, Điều 87 khoản 3: niêm yết 30 ngày; đối thoại theo quy định của tỉnh") if posted else None
    if step == Step.APPRAISAL:
        consult = done.get(Step.CONSULTATION)
        return Deadline(step, add_working_days(consult, s.appraisal_working_days, s.holidays), None,
                        "Quy định của tỉnh: thẩm định trong 30 ngày làm việc") if consult else None
    if step == Step.APPROVAL:
        appraisal = done.get(Step.APPRAISAL)
        return Deadline(step, add_working_days(appraisal, s.approval_working_days, s.holidays), None,
                        "Quy định của tỉnh: phê duyệt trong 5 ngày làm việc") if appraisal else None
    if step in (Step.PAYMENT, Step.DEPOSIT):
        approval = done.get(Step.APPROVAL)
        return Deadline(step, approval + timedelta(days=PAYMENT_DAYS), None, _PAYMENT_SOURCE) if approval else None
    if step == Step.DECISION:
        notice, approval = done.get(Step.NOTICE), done.get(Step.APPROVAL)
        due = approval + timedelta(days=DECISION_DAYS) if approval else None
        earliest = notice + timedelta(days=NOTICE_MIN_DAYS[land_kind]) if notice else None
        if notice:
            expiry = add_months(notice, NOTICE_VALID_MONTHS)
            due = min(due, expiry) if due else expiry
        if due or earliest:
            return Deadline(step, due, earliest,
                            "Luật Đất đai 2024, Điều 85 khoản 1 (thông báo trước 90/180 ngày, hiệu lực 12 tháng); "
                            "Điều 87 khoản 5 (quyết định trong 10 ngày kể từ ngày phê duyệt)")
    return None


@dataclass(frozen=True)
class CheckedStep:
    """A step as checked: its record, and its deadline (``due``) and lateness in days (0 when on time)."""

    record: StepRecord
    due: date | None
    days_late: int
    source: str


_STEP_INDEX = {step: i for i, step in enumerate(STEPS)}
#: :data:`ORDER_RULES` by the step they refuse, in their order.
_RULES_OF: dict[Step, tuple[Rule, ...]] = {step: tuple(r for r in ORDER_RULES if r.step == step) for step in STEPS}


def _order_key(r: StepRecord) -> tuple:
    return (r.date is not None, r.date or date.min, _STEP_INDEX[r.step])


def check_steps(records: Sequence[StepRecord], land_kind: str, settings: ProcedureSettings | None = None,
                require_documents: bool = False) -> list[CheckedStep]:
    """Check one parcel's step records in order; return them with their deadlines.

    Records are taken by date (undated ones first, in procedure order). Raises
    :class:`ProcedureError` naming the rule for the first record that: comes before a step
    it needs (:data:`ORDER_RULES`), repeats a step, comes earlier than the law allows
    (decision < 90/180 days after the notice; consultation < 30 days of posting;
    compulsory inventory < 15 days of persuasion), comes after the notice expired (12
    months, Art. 85(1)), or is an enforcement without all of Art. 89's conditions. A record
    for a parcel other than the first record's is refused (ValueError). A late step is
    accepted and returned with ``days_late`` > 0: lateness is flagged, not refused. There is
    no complaint step: a complaint does not suspend the procedure (Decree 102/2024/NĐ-CP Art. 40).
    A record whose document is dated after the step is refused; with ``require_documents`` a
    dated record without a document (type and number) is refused too (a new record, as
    opposed to an old import).
    """
    if not records:
        return []
    parcel = records[0].parcel_code
    s = settings or ProcedureSettings()
    done: dict[Step, date | None] = {}
    out: list[CheckedStep] = []
    for rec in sorted(records, key=_order_key):
        if rec.parcel_code != parcel:
            raise ValueError(f"step records of two parcels: {parcel} and {rec.parcel_code}")
        if rec.step in done:
            raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 87", "the step is already recorded for this parcel")
        doc = rec.document
        if doc and doc.doc_date and rec.date and doc.doc_date > rec.date:
            raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 87",
                                 f"document {doc.number} is dated {doc.doc_date}, after the step ({rec.date})")
        if require_documents and rec.date and not (doc and doc.doc_type.strip() and doc.number.strip()):
            raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 87", "a step needs its document (type and number)")
        for rule in _RULES_OF[rec.step]:
            met = [a for a in rule.after if a in done]
            if (not met) if rule.any_of else len(met) < len(rule.after):
                need = " or ".join(a.value for a in rule.after) if rule.any_of else ", ".join(a.value for a in rule.after)
                raise ProcedureError(rec.step, rule.source, f"needs {need} first")
            later = [a for a in met if rec.date and done[a] and done[a] > rec.date]
            if later and (not rule.any_of or len(later) == len(met)):
                raise ProcedureError(rec.step, rule.source, f"dated {rec.date} before {later[0].value} ({done[later[0]]})")
        if rec.step == Step.INVENTORY and Step.PERSUASION in done and Step.COMPULSORY_INVENTORY not in done:
            raise ProcedureError(rec.step, _rule(Step.COMPULSORY_INVENTORY).source,
                                 "the user refused the inventory: a compulsory-inventory decision comes first")
        if rec.step == Step.ENFORCEMENT:
            missing = sorted(ENFORCEMENT_CONDITIONS - rec.conditions)
            if missing:
                raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 89 khoản 2",
                                     f"enforcement conditions not met: {', '.join(missing)}")
        _check_kind(land_kind)
        dl = _deadline(rec.step, done, land_kind, s)
        due, late, source = None, 0, ""
        if dl is not None:
            due, source = dl.due, dl.source
            if rec.date and dl.earliest and rec.date < dl.earliest:
                raise ProcedureError(rec.step, dl.source, f"dated {rec.date}, earlier than the law allows ({dl.earliest})")
            if rec.step == Step.DECISION and rec.date and done.get(Step.NOTICE):
                expiry = add_months(done[Step.NOTICE], NOTICE_VALID_MONTHS)
                if rec.date > expiry:
                    raise ProcedureError(rec.step, "Luật Đất đai 2024, Điều 85 khoản 1: thông báo có hiệu lực 12 tháng",
                                         f"the notice expired on {expiry}: a new notice is needed")
            if rec.date and due and rec.date > due:
                late = (rec.date - due).days
        done[rec.step] = rec.date
        out.append(CheckedStep(rec, due, late, source))
    return out


@dataclass(frozen=True)
class Progress:
    """Where a parcel stands at a date.

    ``last_step``/``last_date``: the furthest main step done; ``next_step``: the first main
    step not done; ``due_step``/``next_due``: the pending main step due soonest and its date
    (None when no pending step has a deadline yet); ``overdue``: ``next_due`` before the date.
    """

    parcel_code: str
    last_step: Step | None
    last_date: date | None
    next_step: Step | None
    due_step: Step | None
    next_due: date | None
    overdue: bool
    source: str


def progress(parcel_code: str, records: Sequence[StepRecord], land_kind: str, at: date,
             settings: ProcedureSettings | None = None) -> Progress:
    """The parcel's state at ``at``: records dated after ``at`` are ignored.

    ``next_step`` is the first main step not done (None once handed over); a payment is
    also done by a deposit. ``next_due`` is the soonest deadline of the pending main steps;
    ``overdue`` is True when it is before ``at``.
    Raises :class:`ProcedureError` as :func:`check_steps` does.
    """
    kept = [r for r in records if r.date is None or r.date <= at]
    checked = check_steps(kept, land_kind, settings)
    done = {c.record.step: c.record.date for c in checked}
    if Step.DEPOSIT in done:
        done.setdefault(Step.PAYMENT, done[Step.DEPOSIT])
    last_main = [s for s in MAIN_STEPS if s in done]
    last_step = last_main[-1] if last_main else (checked[-1].record.step if checked else None)
    if Step.HANDOVER in done:
        return Progress(parcel_code, Step.HANDOVER, done[Step.HANDOVER], None, None, None, False, "")
    nxt = next((s for s in MAIN_STEPS if s not in done), None)
    dls = deadlines(done, land_kind, settings)
    pending = [dls[s] for s in MAIN_STEPS if s not in done and s in dls and dls[s].due]
    dl = min(pending, key=lambda d: d.due, default=None)
    due = dl.due if dl else None
    return Progress(parcel_code, last_step, done.get(last_step) if last_step else None, nxt,
                    dl.step if dl else None, due, bool(due and due < at), dl.source if dl else "")


def late_interest(amount_vnd: float, due: date, paid_on: date, daily_rate: float = 0.0003) -> float:
    """Interest owed on compensation paid late (VND, rounded to the dong).

    Land Law 2024 Art. 94(2): paid late, the user also receives an amount equal to the late
    payment charge of the Law on Tax Administration (38/2019/QH14 Art. 59: 0.03 % a day) on
    the amount and the days late. ``daily_rate`` is a setting; 0 when paid on time.
    """
    days = (paid_on - due).days
    return float(round(amount_vnd * daily_rate * days)) if days > 0 else 0.0


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


def _progress_key(kind: str, rows: Iterable[tuple[str, ...]]) -> tuple:
    """What a parcel's progress depends on: its land kind and, per record, the step, date, document date (when
    it has a document number) and conditions; not the number, signer, scan nor note, which only an error names."""
    return (kind, tuple((step, when, doc_date if number else "", conditions)
                        for step, when, _, number, doc_date, _, _, conditions, _ in rows))


PROGRESS_COLUMNS = ["parcel_code", "last_step", "last_date", "next_step", "due_step", "next_due", "overdue"]


def progress_table(parcels: pd.DataFrame, steps: pd.DataFrame, at: date, settings: ProcedureSettings | None = None) -> pd.DataFrame:
    """Every parcel's :class:`Progress` at ``at`` as a DataFrame (:data:`PROGRESS_COLUMNS`).

    parcels: columns ``code`` and ``land_kind`` (missing or empty: agricultural); steps: as
    :func:`records_from_frame`. Dates are ``datetime.date`` or None. Raises
    :class:`ProcedureError` for the first parcel whose records break a rule.
    """
    from mapapp.clearance.progress_bulk import bulk_progress  # it builds on this module

    kinds = parcels["land_kind"] if "land_kind" in parcels.columns else pd.Series(AGRICULTURAL, index=parcels.index)
    codes, kinds = parcels["code"].tolist(), kinds.fillna(AGRICULTURAL).replace("", AGRICULTURAL).tolist()
    if len(steps) and not set(_texts(steps["step"])) <= _STEP_OF.keys():
        _rows_by_parcel(steps)  # refuses the first unknown step
    # most parcels are worked out at once; the others (records the rules may refuse) one by one
    common, bulk = bulk_progress(codes, kinds, steps, at, settings)
    rest = {c for c, ok in zip(codes, common) if not ok}
    by_parcel = _rows_by_parcel(steps[steps["parcel_code"].isin(rest)]) if rest and len(steps) else {}
    rows = []
    # parcels with the same records (but their code and documents' numbers) and land kind stand at the same
    # place: most have none or only the undated steps of an old status, so each such group is worked out once;
    # a group whose records break a rule is never kept, so the first such parcel raises with its own records
    memo: dict[tuple, tuple] = {}
    for code, kind, row in zip(codes, kinds, bulk):
        if row is not None:
            rows.append((code, *row))
            continue
        own = by_parcel.get(code, ())
        key = _progress_key(kind, own)
        if key not in memo:
            p = progress(code, _records(code, own), kind, at, settings)
            memo[key] = (p.last_step and p.last_step.value, p.last_date, p.next_step and p.next_step.value,
                         p.due_step and p.due_step.value, p.next_due, p.overdue)
        rows.append((code, *memo[key]))
    out = pd.DataFrame(rows, columns=PROGRESS_COLUMNS, dtype=object)
    out["overdue"] = out["overdue"].astype(bool)
    return out
