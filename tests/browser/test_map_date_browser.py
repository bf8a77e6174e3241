"""The map's date control in headless Chromium: projects and parcels redrawn as they were at the chosen date."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

from mapapp.sources.sample import SAMPLE_AS_OF
from tests.browser.conftest import wait_map_ready

EARLY = "2017-03-01"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "geo"
DATED = ("projects", "clearance")

MAP_STATE = """() => {
  const s = window.mapapp.state;
  const props = name => s.layers[name].getLayers().map(l => l.feature.properties);
  return {
    loaded: s.loaded,
    errors: s.errors,
    as_of: [...new Set(props('projects').map(p => p.as_of))],
    projects: Object.fromEntries(props('projects').map(p => [p.code, p.schedule_status])),
    clearance: Object.fromEntries(props('clearance').map(p => [p.code, p.status])),
  };
}"""

RELOADED = """iso => {
  const s = window.mapapp.state, projects = s.layers.projects.getLayers();
  return !Object.keys(s.pending).length && projects.length > 0
    && projects.every(l => l.feature.properties.as_of === iso);
}"""


def api_statuses(base: str, layer: str, key: str, at: str) -> dict[str, str]:
    """What the API says each feature's status is at ``at``: what the map must show."""
    with urlopen(f"{base}/api/layers/{layer}?at={at}") as response:
        doc = json.load(response)
    return {f["properties"]["code"]: f["properties"][key] for f in doc["features"]}


def expected(base: str, at: str) -> dict[str, dict[str, str]]:
    return {
        "projects": api_statuses(base, "projects", "schedule_status", at),
        "clearance": api_statuses(base, "clearance", "status", at),
    }


def sample_rows(name: str) -> list[dict]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def latest_event_statuses(at: str) -> dict[str, str]:
    """Each sample parcel's status from clearance_events.csv: its latest event on or before ``at``."""
    statuses: dict[str, str] = {}
    for row in sorted(sample_rows("clearance_events.csv"), key=lambda r: (r["parcel_code"], r["date"])):
        statuses.setdefault(row["parcel_code"], "not_started")
        if row["date"] <= at:
            statuses[row["parcel_code"]] = row["status"]
    return statuses


def test_date_control_shows_projects_and_parcels_at_an_earlier_date(live_server, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/api/layers/" in r.url else None)
    page.goto(f"{live_server}/")
    wait_map_ready(page)
    before = page.evaluate(MAP_STATE)
    assert before["as_of"] == [SAMPLE_AS_OF] and before["errors"] == []
    late, early = expected(live_server, SAMPLE_AS_OF), expected(live_server, EARLY)
    assert {layer: before[layer] for layer in DATED} == late

    requests.clear()
    page.fill(".mapapp-date-input", EARLY)
    page.wait_for_function(RELOADED, arg=EARLY, timeout=15_000)
    after = page.evaluate(MAP_STATE)

    assert {layer: after[layer] for layer in DATED} == early
    assert after["loaded"] == before["loaded"] and after["errors"] == []
    reloaded = sorted((urlsplit(u).path, parse_qs(urlsplit(u).query)["at"]) for u in requests)
    assert reloaded == [("/api/layers/clearance", [EARLY]), ("/api/layers/projects", [EARLY])]
    assert page.log.errors == []

    # What the sample implies: no project had reported by then, and parcels were at their earlier events.
    reported = {r["project_code"] for r in sample_rows("progress_reports.csv") if r["date"] <= EARLY}
    assert not reported and set(after["projects"].values()) <= {"not_started", "no_report"}
    assert {"late", "on_track", "done"} <= set(before["projects"].values())
    assert after["clearance"] == latest_event_statuses(EARLY) != before["clearance"]
    cleared = [sum(s == "cleared" for s in state["clearance"].values()) for state in (after, before)]
    assert cleared == [1, 32]
