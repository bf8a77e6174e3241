"""When the rest of a zone, or a lot, is expected to be handed over.

Method (per parcel not yet handed over, at a date ``at``):

1. Each main step has an *anchor*, the step it follows (:data:`ANCHOR`): the payment and the
   recovery decision both follow the plan's approval (Land Law 2024 Art. 94(1), 87(5)); the
   handover follows the later of the two.
2. The *duration* of a step is the recent pace: the median, in days, of ``date(step) −
   date(anchor)`` over the steps of that kind done in the last ``window_days`` before ``at``
   in the same zone, or in all zones when the zone has fewer than ``min_samples``. Without
   enough recent steps it is the legal or provincial time limit (payment 30 days, decision
   10 days, consultation 30 days of posting + the dialogue days, appraisal and approval in
   working days turned to calendar days × 7/5), and for steps the law gives no limit, the
   board's planning assumption (:class:`ForecastSettings`).
3. The remaining steps are walked in order: expected(step) = the latest of expected(anchor) +
   duration, the legal earliest date (decision ≥ notice + 90/180 days, Art. 85(1);
   consultation ≥ posting + 30 days, Art. 87(3)) and ``at`` (what is not done by ``at`` is
   not done before it). A parcel with no step yet starts from ``at``. A step done implies its
   anchors done (records may skip steps kept on paper).
4. A zone's (or a lot's) expected handover is the latest of its open parcels'. A decision
   forecast after the notice's 12 months of validity is flagged ``new_notice`` (Art. 85(1)):
   a new notice would be needed, and the date is then optimistic.

The forecast is a planning figure, not a legal deadline; dates are passed in, never read
from the clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from mapapp.clearance.derive import iso_dates
from mapapp.clearance.procedure import (
    AGRICULTURAL,
    DECISION_DAYS,
    MAIN_STEPS,
    NOTICE_MIN_DAYS,
    NOTICE_VALID_MONTHS,
    PAYMENT_DAYS,
    PLAN_POSTED_DAYS,
    ProcedureSettings,
    Step,
    add_months,
)
from mapapp.clearance.step_dates import (
    ANCHOR,
    done_dates,
    group_medians,
    observations,
    observed,
)


def implied(done: set[Step]) -> set[Step]:
    """``done`` with the steps it implies: every anchor of a step done is done (undated)."""
    out, todo = set(done), list(done)
    while todo:
        for a in ANCHOR.get(todo.pop(), ()):
            if a not in out:
                out.add(a)
                todo.append(a)
    return out


def _planning_defaults() -> dict[Step, int]:
    return {Step.MEETING: 30, Step.NOTICE: 15, Step.INVENTORY: 30, Step.PLAN_POSTED: 60,
            Step.PUBLICATION: 5, Step.HANDOVER: 30}


@dataclass(frozen=True)
class ForecastSettings:
    """``window_days`` of recent pace (365), ``min_samples`` for a zone's own pace (3), and the
    planning durations in days for steps without a legal limit (the board's assumptions;
    ``MEETING`` counts from the date of the forecast for a parcel with no step yet)."""

    window_days: int = 365
    min_samples: int = 3
    planning_days: dict[Step, int] = field(default_factory=_planning_defaults)
    procedure: ProcedureSettings = field(default_factory=ProcedureSettings)


def legal_days(step: Step, s: ForecastSettings) -> int | None:
    """The time limit of ``step`` from its anchor, in calendar days (None: the law sets none)."""
    p = s.procedure
    return {
        Step.CONSULTATION: PLAN_POSTED_DAYS + p.dialogue_days,
        Step.APPRAISAL: -(-p.appraisal_working_days * 7 // 5),
        Step.APPROVAL: -(-p.approval_working_days * 7 // 5),
        Step.PAYMENT: PAYMENT_DAYS,
        Step.DECISION: DECISION_DAYS,
    }.get(step)


def _kept(steps: pd.DataFrame, at: date) -> pd.DataFrame:
    """The steps done by ``at`` (undated ones count as done)."""
    if not len(steps):
        return steps
    when = iso_dates(steps["date"])
    return steps[when.isna() | (when <= pd.Timestamp(at))]


def overall_paces(steps: pd.DataFrame, at: date, settings: ForecastSettings | None = None) -> dict[str, tuple[float | None, int]]:
    """The all-zones pace of each main step at ``at``: ``{step: (median days or None, samples)}``.

    steps: every step record (``parcel_code, step, date``) of the province, any zone; the median
    is None with fewer than ``min_samples``. What :func:`paces` falls back on for a zone without
    enough steps of its own: pass it to :func:`paces` / :func:`forecast_parcels` to forecast a few
    zones exactly as the whole province would.
    """
    s = settings or ForecastSettings()
    kept = _kept(steps, at)
    dates = done_dates(kept) if len(kept) else pd.DataFrame()
    since, until = pd.Timestamp(at - timedelta(days=s.window_days)), pd.Timestamp(at)
    out = {}
    for step in MAIN_STEPS:
        days = observations(dates, step, since, until).to_numpy()
        out[step.value] = (float(np.median(days)) if len(days) >= s.min_samples else None, len(days))
    return out


def paces(steps: pd.DataFrame, parcels: pd.DataFrame, at: date, settings: ForecastSettings | None = None,
          overall: dict[str, tuple[float | None, int]] | None = None) -> pd.DataFrame:
    """Recent pace per zone and step: columns ``zone_code, step, days, samples, basis``.

    ``basis`` is ``zone`` (the zone's own median), ``all`` (all zones' median), ``legal`` (the
    time limit) or ``planning`` (the board's assumption). One row per zone of ``parcels``
    (columns ``code, zone_code``) and main step after the meeting, plus the meeting itself.
    ``overall`` (:func:`overall_paces` of the whole province) replaces the all-zones median of
    ``steps``: then ``steps`` and ``parcels`` may hold a few zones only.
    """
    s = settings or ForecastSettings()
    return _pace_table(done_dates(steps) if len(steps) else pd.DataFrame(), parcels, at, s, overall)


def _pace_table(dates: pd.DataFrame, parcels: pd.DataFrame, at: date, s: ForecastSettings,
                overall: dict[str, tuple[float | None, int]] | None) -> pd.DataFrame:
    """:func:`paces` from the steps' :func:`mapapp.clearance.step_dates.done_dates`."""
    zones, columns = _pace_columns(dates, parcels, at, s, overall)
    frames = [pd.DataFrame({"zone_code": zones, "step": step, "days": days, "samples": samples, "basis": basis})
              for step, days, samples, basis in columns]
    # step by step, each step's zones in order (as the rows were always listed)
    out = pd.concat(frames, ignore_index=True) if zones else pd.DataFrame(columns=["zone_code", "step", "days", "samples", "basis"])
    return out


def _pace_days(dates: pd.DataFrame, parcels: pd.DataFrame, at: date, s: ForecastSettings,
               overall: dict[str, tuple[float | None, int]] | None) -> dict[tuple[str, str], float]:
    """The ``days`` of :func:`_pace_table` as ``{(zone_code, step): days}``, without building the table."""
    zones, columns = _pace_columns(dates, parcels, at, s, overall)
    return {(zone, step): day for step, days, _, _ in columns for zone, day in zip(zones, days.tolist())}


def _pace_columns(dates: pd.DataFrame, parcels: pd.DataFrame, at: date, s: ForecastSettings,
                  overall: dict[str, tuple[float | None, int]] | None) -> tuple[list[str], list[tuple]]:
    """(the zones of ``parcels``, sorted; per main step ``(step value, days, samples, basis)``, arrays by zone)."""
    zone_of = parcels.set_index("code")["zone_code"]
    zones = sorted(set(zone_of))
    # each row of dates' zone, as a position in zones (-1: none): one lookup, not one per step
    of_row = zone_of.reindex(dates.index).to_numpy(dtype=object)
    where = np.where(pd.isna(of_row), -1, pd.Index(zones, dtype=object).get_indexer(of_row))
    since, until = pd.Timestamp(at - timedelta(days=s.window_days)), pd.Timestamp(at)
    columns = []
    for step in MAIN_STEPS:
        rows, days = observed(dates, step, since, until)
        zoned = where[rows] >= 0
        count, median = group_medians(where[rows][zoned], days[zoned], len(zones))
        all_median, all_count = overall[step.value] if overall is not None else (
            float(np.median(days)) if len(days) >= s.min_samples else None, len(days))
        fallback, basis = legal_days(step, s), "legal"
        if fallback is None:
            fallback, basis = s.planning_days.get(step, 30), "planning"
        mine = count >= s.min_samples
        if all_median is not None:
            rest_days, rest_n, rest_basis = float(all_median), all_count, "all"
        else:
            rest_days, rest_n, rest_basis = float(fallback), 0, basis
        columns.append((step.value, np.where(mine, median, rest_days), np.where(mine, count, rest_n),
                        np.where(mine, "zone", rest_basis).astype(object)))
    return zones, columns


FORECAST_COLUMNS = ["parcel_code", "zone_code", "handed_over", "expected_handover", "new_notice", "expected"]


def forecast_parcels(steps: pd.DataFrame, parcels: pd.DataFrame, at: date, settings: ForecastSettings | None = None,
                     overall: dict[str, tuple[float | None, int]] | None = None) -> pd.DataFrame:
    """Each parcel's expected handover (:data:`FORECAST_COLUMNS`).

    parcels: ``code, zone_code`` and optionally ``land_kind``; steps: ``parcel_code, step,
    date`` (steps after ``at`` are ignored). ``handed_over`` is True once the handover is
    recorded, and ``expected_handover`` is then its date (None when undated); ``expected`` maps each remaining step to its expected date;
    ``new_notice`` is True when the decision would fall after the notice expires.
    ``overall``: the province's all-zones paces (:func:`overall_paces`) when ``steps`` and
    ``parcels`` hold a few zones only.
    """
    s = settings or ForecastSettings()
    when = iso_dates(steps["date"]) if len(steps) else pd.Series(dtype="datetime64[ns]")
    kept = steps[when.isna() | (when <= pd.Timestamp(at))] if len(steps) else steps
    dates = done_dates(kept) if len(kept) else pd.DataFrame()
    # plain dicts: a pandas lookup per parcel and step costs more than all the rest of the loop
    pace = _pace_days(dates, parcels, at, s, overall)
    kinds = parcels["land_kind"] if "land_kind" in parcels.columns else pd.Series(AGRICULTURAL, index=parcels.index)
    codes = parcels["code"].tolist()
    parcel_of, unique = pd.factorize(np.asarray(codes, dtype=object))
    # each parcel's steps (any date) as bits of the step values met, and its dated steps as a row of dates
    values, names = pd.factorize(kept["step"].to_numpy(dtype=object), use_na_sentinel=False) if len(kept) else ([], [])
    if len(names) > 62:
        raise ValueError(f"steps.step: {len(names)} different values (at most the {len(Step)} steps)")
    bits = np.zeros(len(unique), dtype=np.int64)
    owner = pd.Index(unique).get_indexer(kept["parcel_code"].to_numpy(dtype=object)) if len(kept) else np.zeros(0, dtype=np.intp)
    np.bitwise_or.at(bits, owner[owner >= 0], np.left_shift(1, np.asarray(values, dtype=np.int64))[owner >= 0])
    row_of = dates.index.get_indexer(unique) if len(dates) else np.full(len(unique), -1)
    table = dates.to_numpy() if len(dates) else np.empty((0, 0))
    columns = [Step(c) for c in dates.columns] if len(dates) else []
    rows = []
    # parcels with the same zone, land kind and steps have the same forecast (most have no dated step)
    memo: dict[tuple, tuple] = {}
    for code, zone, kind, u in zip(codes, parcels["zone_code"].tolist(),
                                   kinds.fillna(AGRICULTURAL).replace("", AGRICULTURAL).tolist(), parcel_of.tolist()):
        row = int(row_of[u])
        key = (zone, kind, table[row].tobytes() if row >= 0 else None, int(bits[u]))
        if key not in memo:
            known = _known(columns, table[row]) if row >= 0 else {}
            memo[key] = _forecast_one(known, {names[j] for j in range(len(names)) if bits[u] >> j & 1}, zone, kind, at, pace)
        rows.append((code, zone, *memo[key]))
    out = pd.DataFrame(rows, columns=FORECAST_COLUMNS, dtype=object)
    out["new_notice"] = out["new_notice"].astype(bool)
    out["handed_over"] = out["handed_over"].astype(bool)
    return out


def _known(steps: list[Step], row: np.ndarray) -> dict[Step, date]:
    """A parcel's dated steps from its row of :func:`mapapp.clearance.step_dates.done_dates` (``steps``: its
    columns; NaT: not dated)."""
    days = row.astype("datetime64[D]")
    return {k: d.item() for k, d in zip(steps, days) if not np.isnat(d)}


def _forecast_one(known: dict[Step, date], step_values: set[str], zone: str, kind: str, at: date,
                  pace: dict[tuple[str, str], float]) -> tuple:
    """(handed_over, expected_handover, new_notice, expected) of one parcel (see :func:`forecast_parcels`)."""
    done = implied(set(known) | {Step.PAYMENT if v == Step.DEPOSIT.value else Step(v) for v in step_values})
    if Step.HANDOVER in done:
        return True, known.get(Step.HANDOVER), False, {}
    expected: dict[Step, date] = {}
    for step in MAIN_STEPS:
        if step in done:
            continue
        anchors = [known.get(a) or expected.get(a) for a in ANCHOR.get(step, ())]
        anchors = [a for a in anchors if a]
        start = max(anchors) if anchors else at
        candidates = [start + timedelta(days=int(round(pace[(zone, step.value)]))), at]
        notice, posted = known.get(Step.NOTICE) or expected.get(Step.NOTICE), known.get(Step.PLAN_POSTED) or expected.get(Step.PLAN_POSTED)
        if step == Step.DECISION and notice:
            candidates.append(notice + timedelta(days=NOTICE_MIN_DAYS[kind]))
        if step == Step.CONSULTATION and posted:
            candidates.append(posted + timedelta(days=PLAN_POSTED_DAYS))
        expected[step] = max(candidates)
    notice = known.get(Step.NOTICE) or expected.get(Step.NOTICE)
    new_notice = bool(notice and Step.DECISION in expected and expected[Step.DECISION] > add_months(notice, NOTICE_VALID_MONTHS))
    return False, expected[Step.HANDOVER], new_notice, {k.value: v for k, v in expected.items()}


def forecast_zones(forecast: pd.DataFrame, at: date) -> pd.DataFrame:
    """Per zone: ``zone_code, parcels_open`` (not handed over by ``at``), ``expected_handover``
    (the latest open parcel's; None when all are handed over), ``new_notice`` (any open parcel).

    ``forecast`` is :func:`forecast_parcels` at ``at``.
    """
    f = forecast.copy()
    f["open"] = ~f["handed_over"].astype(bool)
    rows = []
    for zone, g in f.groupby("zone_code", sort=True):
        o = g[g["open"]]
        rows.append((zone, len(o), max(o["expected_handover"]) if len(o) else None, bool(o["new_notice"].any())))
    return pd.DataFrame(rows, columns=["zone_code", "parcels_open", "expected_handover", "new_notice"], dtype=object)
