"""The household × step table leaders read, and its Excel export.

One row a household (or organisation) of the chosen parcels (a zone's, or the parcels a
project crosses), one column a main step of the procedure (:data:`procedure.MAIN_STEPS`,
a deposit standing for the payment). Each cell, at a date ``at``:

``done``      the step is recorded for every parcel of the household (date: the latest)
``overdue``   not done, and its deadline (:func:`procedure.deadlines`) is before ``at`` on one
              of its parcels (date: the earliest such deadline)
``due``       not done, with a deadline on or after ``at`` (date: the earliest)
``""``        not yet (no deadline computed yet), or done on some parcels only

Precedence across a household's parcels: overdue, due, not yet, done. The Excel file
(openpyxl) has Vietnamese headers, the header row and the first three columns frozen, and
the board's colours: green done, yellow due, red overdue; a second sheet is the legend.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mapapp.clearance.procedure import (
    AGRICULTURAL,
    LABELS,
    MAIN_STEPS,
    ProcedureSettings,
    Step,
    deadlines,
    records_from_frame,
)

STATES = ("done", "due", "overdue", "")
_RANK = {"overdue": 0, "due": 1, "": 2, "done": 3}
FILLS = {"done": "C6EFCE", "due": "FFEB9C", "overdue": "FFC7CE"}
STATE_LABELS = {"done": ("Đã thực hiện", "Done"), "due": ("Đang trong hạn", "Due"),
                "overdue": ("Quá hạn", "Overdue"), "": ("Chưa đến bước", "Not yet")}
HEADERS = ("Mã hộ", "Hộ gia đình, tổ chức", "Thửa đất")


@dataclass(frozen=True)
class Matrix:
    """``state`` and ``date`` (same index: household code; same columns: step values), and
    ``rows``: ``code, name, parcels`` (comma-separated) of each household, in index order."""

    state: pd.DataFrame
    date: pd.DataFrame
    rows: pd.DataFrame


def parcel_cells(records, land_kind: str, at: date, settings: ProcedureSettings | None = None) -> dict[Step, tuple[str, date | None]]:
    """One parcel's cell per main step at ``at``: (state, date). ``records``: its StepRecords."""
    done = {r.step: r.date for r in records if r.date is None or r.date <= at}
    if Step.DEPOSIT in done:
        done.setdefault(Step.PAYMENT, done[Step.DEPOSIT])
    dls = deadlines(done, land_kind, settings)
    out = {}
    for step in MAIN_STEPS:
        if step in done:
            out[step] = ("done", done[step])
        elif step in dls and dls[step].due and Step.HANDOVER not in done:
            due = dls[step].due
            out[step] = ("overdue" if due < at else "due", due)
        else:
            out[step] = ("", None)
    return out


def build_matrix(households: pd.DataFrame, links: pd.DataFrame, parcels: pd.DataFrame, steps: pd.DataFrame, at: date,
                 zone: str | None = None, parcel_codes: list[str] | None = None,
                 settings: ProcedureSettings | None = None) -> Matrix:
    """The household × step matrix of a zone (``zone``) or of given parcels (``parcel_codes``, e.g. a project's).

    households: ``code, name``; links: ``household_code, parcel_code``; parcels: ``code,
    zone_code`` and optionally ``land_kind``; steps: as :func:`procedure.records_from_frame`.
    Rows are sorted by household code. Raises ValueError when neither or both of ``zone``
    and ``parcel_codes`` are given.
    """
    if (zone is None) == (parcel_codes is None):
        raise ValueError("give a zone or a list of parcels")
    chosen = parcels[parcels["zone_code"] == zone] if zone is not None else parcels[parcels["code"].isin(parcel_codes)]
    kind = dict(zip(chosen["code"], chosen["land_kind"] if "land_kind" in chosen.columns else [AGRICULTURAL] * len(chosen)))
    records = records_from_frame(steps[steps["parcel_code"].isin(kind)]) if len(steps) else {}
    cells = {code: parcel_cells(records.get(code, []), (k if isinstance(k, str) and k else AGRICULTURAL), at, settings)
             for code, k in kind.items()}
    mine = links[links["parcel_code"].isin(kind)]
    names = households.set_index("code")["name"]
    codes = sorted(set(mine["household_code"]))
    columns = [s.value for s in MAIN_STEPS]
    state = pd.DataFrame("", index=pd.Index(codes, name="household_code"), columns=columns, dtype=object)
    when = pd.DataFrame(None, index=state.index, columns=columns, dtype=object)
    parcels_of = mine.groupby("household_code")["parcel_code"].agg(lambda c: sorted(set(c)))
    for hh in codes:
        for step in MAIN_STEPS:
            per = [cells[p][step] for p in parcels_of[hh]]
            worst = min(_RANK[s] for s, _ in per)
            st = next(s for s, r in _RANK.items() if r == worst)
            dates = [d for s, d in per if s == st and d]
            state.loc[hh, step.value] = st
            when.loc[hh, step.value] = (max(dates) if st == "done" else min(dates)) if dates else None
    rows = pd.DataFrame({"code": codes, "name": [names.get(c, "") for c in codes],
                         "parcels": [", ".join(parcels_of[c]) for c in codes]})
    return Matrix(state, when, rows)


def write_xlsx(m: Matrix, path: Path | BinaryIO, title: str, at: date) -> Path | BinaryIO:
    """Write the matrix to ``path`` (.xlsx, or a binary file object): sheet ``Ma trận GPMB`` and sheet
    ``Chú giải`` (legend).

    Row 1: the headers (:data:`HEADERS`, then each step's Vietnamese label); one row a
    household; cells hold the date (dd/mm/yyyy) coloured by state. Panes frozen at D2.
    ``title`` and ``at`` go into the legend sheet and the workbook's title. Returns ``path``.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Ma trận GPMB"
    wb.properties.title = f"{title} – {at.strftime('%d/%m/%Y')}"
    bold = Font(bold=True)
    header = list(HEADERS) + [LABELS[Step(c)][0] for c in m.state.columns]
    ws.append(header)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILLS.items()}
    for i, (code, name, parcels) in enumerate(m.rows.itertuples(index=False), start=2):
        ws.cell(i, 1, code)
        ws.cell(i, 2, name)
        ws.cell(i, 3, parcels)
        for j, step in enumerate(m.state.columns, start=4):
            st, d = m.state.loc[code, step], m.date.loc[code, step]
            cell = ws.cell(i, j, d.strftime("%d/%m/%Y") if d else "")
            if st in fills:
                cell.fill = fills[st]
    ws.freeze_panes = "D2"
    ws.row_dimensions[1].height = 45
    for j, width in enumerate([16, 30, 22] + [14] * len(m.state.columns), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    legend = wb.create_sheet("Chú giải")
    legend.append([title])
    legend.append(["Tình trạng đến ngày", at.strftime("%d/%m/%Y")])
    for st in ("done", "due", "overdue", ""):
        legend.append([STATE_LABELS[st][0], STATE_LABELS[st][1]])
        if st in fills:
            legend.cell(legend.max_row, 1).fill = fills[st]
    legend["A1"].font = bold
    target = path if hasattr(path, "write") else Path(path)
    wb.save(target)
    return target
