"""The bundled sample dataset in ``data/geo``: loaded through the same validation as any import."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from mapapp.changes import journal
from mapapp.changes.model import Actor
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
        audit=[journal.entry(journal.new_change_id(), actor, "load", after={
            "dataset": "sample", "folder": str(folder), **{name: len(frame) for name, frame in frames.items()}})],
    )
