"""Routes: the conflicts page — a sortable, filterable table with map links — and its CSV."""
from __future__ import annotations

import csv
import io

import pandas as pd
from flask import Response, render_template, request

from mapapp import clock
from mapapp.i18n import current_lang, number, translate
from mapapp.pages import pages_bp
from mapapp.pages.presentation import zone_names as zone_names_in
from mapapp.pages.styles import STYLES
from mapapp.store import current_store

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
CSV_COLUMNS = ["id", "type", "severity", "zone_code", "codes", "area_m2", "length_m", "description", "description_en"]


def filtered_conflicts() -> tuple[pd.DataFrame, dict]:
    """Conflicts filtered by ``type``, ``zone`` and ``severity`` from the query string, worst first."""
    chosen = {k: request.args.get(k, "") for k in ("type", "zone", "severity")}
    frame = current_store().read_conflicts(
        type_=chosen["type"] or None, zone=chosen["zone"] or None, severity=chosen["severity"] or None
    )
    if not frame.empty:
        frame = frame.assign(_rank=frame["severity"].map(SEVERITY_ORDER)).sort_values(["_rank", "type", "id"]).drop(columns="_rank")
    return frame, chosen


@pages_bp.get("/conflicts")
def conflicts_page():
    store = current_store()
    frame, chosen = filtered_conflicts()
    everything = store.read_conflicts()
    lang = current_lang()
    zone_names = zone_names_in(store, lang)
    rows = [
        {
            "id": r["id"],
            "type": r["type"],
            "type_label": translate(f"conflict.{r['type']}", lang),
            "severity": r["severity"],
            "zone": r["zone_code"] or "",
            "zone_name": zone_names.get(r["zone_code"], ""),
            "links": list(zip(r["codes"], r["layers"])),
            "amount": _amount(r, lang),
            "amount_sort": _measure(r)[0],
            "description": r["description"] if lang == "vi" else r["description_en"],
        }
        for r in frame.drop(columns="geometry").to_dict("records")
    ] if not frame.empty else []
    all_types = everything["type"].value_counts().to_dict() if not everything.empty else {}
    # The summary counts what the filter kept: the figures and the table below always agree.
    by_type = frame["type"].value_counts().to_dict() if not frame.empty else {}
    filtered = any(chosen.values())
    return render_template(
        "conflicts.html",
        page="conflicts",
        rows=rows,
        chosen=chosen,
        types=sorted(all_types),
        by_type=by_type,
        filtered=filtered,
        shown=len(rows),
        show_all=("conflicts:" + ",".join(str(r["id"]) for r in rows)) if rows else "",
        zones=sorted(zone_names.items(), key=lambda item: item[1]),
        severities=list(SEVERITY_ORDER),
        colors=STYLES["conflicts"]["colors"],
        computed_at=clock.local_time(store.get_meta("conflicts_computed_at"), lang),
        total=len(everything),
    )


def _measure(row: dict) -> tuple[float, str]:
    """How much clashes: the overlap area in m², else the crossing length in m, else nothing."""
    for key, unit in (("area_m2", "m²"), ("length_m", "m")):
        value = row.get(key)
        if value is not None and value == value:
            return float(value), unit
    return 0.0, ""


def _amount(row: dict, lang: str) -> str:
    value, unit = _measure(row)
    return f"{number(value, 1, lang)} {unit}" if unit else ""


@pages_bp.get("/conflicts.csv")
def conflicts_csv():
    """The filtered list as CSV (UTF-8 with BOM, so spreadsheet programs read the diacritics)."""
    frame, _ = filtered_conflicts()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    if not frame.empty:
        for r in frame.drop(columns="geometry").to_dict("records"):
            writer.writerow([
                _csv_cell(";".join(r["codes"])) if c == "codes" else _csv_cell(r.get(c))
                for c in CSV_COLUMNS
            ])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=mapapp-conflicts.csv"},
    )


def _csv_cell(value):
    """Cells a spreadsheet would run as a formula are prefixed with a quote (CSV injection)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
