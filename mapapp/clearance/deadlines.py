"""The deadlines of the procedure's steps: the province's settings, working days, and each step's due date.

Deadlines that the law fixes are in :mod:`mapapp.clearance.steps`; the ones a province sets
(dialogue, appraisal, approval) are :class:`ProcedureSettings`, with defaults from the domain
brief. Working days skip Saturdays, Sundays and the holidays passed in the settings. Also the
interest owed on compensation paid late (Art. 94(2)).
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from mapapp.clearance.steps import (
    DECISION_DAYS,
    LAND_KINDS,
    NOTICE_MIN_DAYS,
    NOTICE_VALID_MONTHS,
    PAYMENT_DAYS,
    PERSUASION_DAYS,
    PLAN_POSTED_DAYS,
    Step,
)


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


def late_interest(amount_vnd: float, due: date, paid_on: date, daily_rate: float = 0.0003) -> float:
    """Interest owed on compensation paid late (VND, rounded to the dong).

    Land Law 2024 Art. 94(2): paid late, the user also receives an amount equal to the late
    payment charge of the Law on Tax Administration (38/2019/QH14 Art. 59: 0.03 % a day) on
    the amount and the days late. ``daily_rate`` is a setting; 0 when paid on time.
    """
    days = (paid_on - due).days
    return float(round(amount_vnd * daily_rate * days)) if days > 0 else 0.0
