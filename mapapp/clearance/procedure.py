"""The land-recovery procedure of the Land Law 2024 in one place: the public names of the modules that make it.

The steps, time limits and order rules are :mod:`mapapp.clearance.steps`; the settings and deadlines
:mod:`mapapp.clearance.deadlines`; the check of a parcel's records :mod:`mapapp.clearance.step_checks`;
where parcels stand :mod:`mapapp.clearance.parcel_progress`; who performs a step
:mod:`mapapp.clearance.authorities`; records read from a table :mod:`mapapp.clearance.step_rows`.

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

from mapapp.clearance.authorities import (
    Authority,
    TWO_LEVEL_FROM,
    authority,
)
from mapapp.clearance.deadlines import (
    Deadline,
    ProcedureSettings,
    add_months,
    add_working_days,
    deadlines,
    late_interest,
)
from mapapp.clearance.parcel_progress import (
    PROGRESS_COLUMNS,
    Progress,
    progress,
    progress_table,
)
from mapapp.clearance.step_checks import (
    CheckedStep,
    check_steps,
)
from mapapp.clearance.step_rows import (
    records_from_frame,
)
from mapapp.clearance.steps import (
    AGRICULTURAL,
    DECISION_DAYS,
    Document,
    ENFORCEMENT_CONDITIONS,
    LABELS,
    LAND_KINDS,
    MAIN_STEPS,
    NON_AGRICULTURAL,
    NOTICE_MIN_DAYS,
    NOTICE_VALID_MONTHS,
    OPTIONAL_STEPS,
    ORDER_RULES,
    PAYMENT_DAYS,
    PERSUASION_DAYS,
    PLAN_POSTED_DAYS,
    ProcedureError,
    Rule,
    STEPS,
    Step,
    StepRecord,
)

__all__ = [
    "AGRICULTURAL",
    "Authority",
    "CheckedStep",
    "DECISION_DAYS",
    "Deadline",
    "Document",
    "ENFORCEMENT_CONDITIONS",
    "LABELS",
    "LAND_KINDS",
    "MAIN_STEPS",
    "NON_AGRICULTURAL",
    "NOTICE_MIN_DAYS",
    "NOTICE_VALID_MONTHS",
    "OPTIONAL_STEPS",
    "ORDER_RULES",
    "PAYMENT_DAYS",
    "PERSUASION_DAYS",
    "PLAN_POSTED_DAYS",
    "PROGRESS_COLUMNS",
    "ProcedureError",
    "ProcedureSettings",
    "Progress",
    "Rule",
    "STEPS",
    "Step",
    "StepRecord",
    "TWO_LEVEL_FROM",
    "add_months",
    "add_working_days",
    "authority",
    "check_steps",
    "deadlines",
    "late_interest",
    "progress",
    "progress_table",
    "records_from_frame",
]
