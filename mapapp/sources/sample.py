"""The bundled sample dataset in ``data/geo``: loaded through the same validation as any import."""
from __future__ import annotations

import csv
import json
import os
from datetime import date
from pathlib import Path

import pandas as pd

from mapapp.changes import journal
from mapapp.changes.model import Actor
from mapapp.clearance.blockers import Blocker, Change
from mapapp.clearance.units import Unit, load_units
from mapapp.layers import LAYERS
from mapapp.sources.reader import read_geodata
from mapapp.sources.validate import validate
from mapapp.store.backend import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
# The sample shows the province as of the notice's year; a real database has no such date.
SAMPLE_AS_OF = "2018-12-31"


def sample_dir() -> Path:
    return Path(os.environ.get("MAPAPP_SAMPLE_DIR", REPO_ROOT / "data" / "geo"))


def _csv(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _num(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def load_sample(store: Store, folder: Path | None = None, actor: Actor | None = None) -> dict[str, int]:
    """Replace the store's content with the sample data, in one transaction, recorded in the audit log."""
    folder = folder or sample_dir()
    actor = actor or Actor.command_line()
    frames = {}
    zone_codes: set[str] = set()
    for name, spec in LAYERS.items():
        path = folder / f"{name}.geojson"
        if not path.is_file():
            continue
        frames[name] = validate(spec, read_geodata(path, target=name), zone_codes=zone_codes)
        if name == "zones":
            zone_codes = set(frames[name]["code"])
    reports = [
        {
            "project_code": r["project_code"],
            "date": r["date"],
            "percent": float(r["percent"]),
            "disbursed_vnd": _num(r.get("disbursed_vnd")),
            "reached_m": _num(r.get("reached_m")),
            "note": r.get("note", ""),
            "reported_by": r.get("reported_by", ""),
            "created_at": r["date"],
        }
        for r in _csv(folder / "progress_reports.csv")
    ]
    events = [
        {"parcel_code": r["parcel_code"], "date": r["date"], "status": r["status"], "paid_vnd": _num(r.get("paid_vnd"))}
        for r in _csv(folder / "clearance_events.csv")
    ]
    directives_path = folder / "directives.json"
    directive_items = json.loads(directives_path.read_text(encoding="utf-8")) if directives_path.is_file() else []
    return store.write_layers(
        frames,
        reset=True,
        reports=reports,
        events=events,
        directive_items=directive_items,
        meta={"as_of": SAMPLE_AS_OF, "dataset": "sample"},
        clearance_records=sample_clearance_records(folder),
        blockers=sample_blockers(folder),
        units=sample_units(folder) if (folder / "admin_units.json").is_file() else None,
        audit=[journal.entry(journal.new_change_id(), actor, "load", after={
            "dataset": "sample", "folder": str(folder), **{name: len(frame) for name, frame in frames.items()}})],
    )


#: The clearance records of the sample (issue 13), file by file: table name → CSV file.
CLEARANCE_TABLES = {
    "households": "households.csv",                 # code, name, kind, lookup_code, note
    "household_parcels": "household_parcels.csv",   # household_code, parcel_code
    "clearance_parcels": "clearance_parcels.csv",   # parcel_code, land_kind
    "steps": "clearance_steps.csv",                 # parcel_code, step, date, doc_type, doc_number, doc_date, signer, conditions, note
    "payments": "payments.csv",                     # parcel_code, household_code, approved_vnd, approval_date, due_date,
                                                    # paid_vnd, paid_date, deposited_vnd, deposit_date, interest_vnd
    "complaints": "complaints.csv",                 # code, parcel_code, household_code, filed, settled, summary
}


def sample_clearance_records(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """The sample's clearance records as DataFrames (:data:`CLEARANCE_TABLES`), all columns text
    (empty cells as ""), except the amounts (``*_vnd``, float). A missing file gives an empty frame.

    :func:`load_sample` loads them into the store with the layers.
    """
    folder = folder or sample_dir()
    out = {}
    for name, file in CLEARANCE_TABLES.items():
        path = folder / file
        frame = pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else pd.DataFrame()
        for col in [c for c in frame.columns if c.endswith("_vnd")]:
            frame[col] = pd.to_numeric(frame[col].replace("", None)).astype(float)
        out[name] = frame
    return out


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def sample_blockers(folder: Path | None = None) -> list[Blocker]:
    """The sample's blockers register (``blockers.json``) with its history; [] when absent."""
    path = (folder or sample_dir()) / "blockers.json"
    if not path.is_file():
        return []
    return [Blocker(b["code"], b["kind"], b["subject"], b["problem"], b["task"], _day(b["deadline"]), b["unit"],
                    b["leader"], _day(b["opened"]), b["state"], tuple(b["holds_up"]), b.get("zone_code"),
                    tuple(Change(_day(c["on"]), c["field"], c["value"], c["previous"], c.get("note", ""), c.get("by", ""))
                          for c in b["history"]))
            for b in json.loads(path.read_text(encoding="utf-8"))]


def sample_units(folder: Path | None = None) -> tuple[dict[str, Unit], dict[str, list[str]]]:
    """The sample's administrative units with validity dates and the zones' communes (``admin_units.json``)."""
    return load_units((folder or sample_dir()) / "admin_units.json")
