"""Generate the whole sample: build, check (planted conflicts only, records consistent), write."""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from .boundaries import build_boundaries
from .common import (OUTPUT_FILES, SEED, dump_csv, dump_geojson, feature, to_metric,
                     to_storage)
from .conflicts import PLANTED_CONFLICTS, detect_conflicts
from .directives import directives
from .layout import build
from .lots import assign_lots
from .parcels import assign_parcels
from .projects import assign_projects
from .records import (COMPLAINT_COLUMNS, HOUSEHOLD_COLUMNS, LINK_COLUMNS, PARCEL_COLUMNS,
                      PAYMENT_COLUMNS, STEP_COLUMNS, blockers_json, build_blockers, build_records)
from .units import admin_units

def _cell(v):
    """A CSV cell: dates as ISO text, None as empty, whole amounts without '.0'."""
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def generate(out: Path) -> dict:
    rng = random.Random(SEED)
    outline, districts = build_boundaries()
    zones, lots, parcels, projects = build(rng)
    for z in zones.values():
        dcode = next(c for c, (n, _) in districts.items() if n == z.props["district"])
        if not z.poly.within(districts[dcode][1].buffer(-200)):
            raise AssertionError(f"{z.code} is not well inside {dcode}")
    for p in projects:  # measured on the geometry as written
        p["length_m"] = to_metric(to_storage(p["geom"])).length
    assign_lots(lots, zones, rng)
    assign_parcels(parcels, projects, lots, rng)
    reports = assign_projects(projects, rng)
    records = build_records(parcels)
    events = records["events"]

    # ---- features (geometry in WGS84, rounded)
    written: dict[str, list] = {}
    feats = {}
    fb = [({"code": "HG", "name": "Tỉnh Hậu Giang", "level": "province",
            "source": "illustrative (simplified outline, not surveyed; 2018 limits)"},
           to_storage(outline))]
    for code, (name, g) in sorted(districts.items()):
        fb.append(({"code": code, "name": name, "level": "district",
                    "source": "illustrative (simplified, not surveyed; 2018 districts)"},
                   to_storage(g)))
    feats["boundaries"] = fb
    feats["zones"] = [({"code": z.code, **z.props}, to_storage(z.poly))
                      for z in sorted(zones.values(), key=lambda z: z.code)]
    feats["lots"] = [({"code": l["code"], "zone_code": l["zone"].code, "land_use": l["land_use"],
                       "status": l["status"], "tenant": l["tenant"],
                       "price_usd_m2": l["price_usd_m2"]}, to_storage(l["geom"]))
                     for l in sorted(lots, key=lambda l: l["code"])]
    feats["clearance"] = [({"code": p["code"], "zone_code": p["zone"].code, "owner": p["owner"],
                            "status": p["status"], "compensation_vnd": p["compensation_vnd"],
                            "paid_vnd": p["paid_vnd"], "households": p["households"]},
                           to_storage(p["geom"]))
                          for p in sorted(parcels, key=lambda p: p["code"])]
    feats["projects"] = [({k: p[k] for k in ("code", "name", "name_en", "kind")}
                          | {"zone_code": p["zone"].code}
                          | {k: p[k] for k in ("status", "planned_start", "planned_end",
                                               "progress_pct", "responsible", "budget_vnd",
                                               "directive")}, to_storage(p["geom"]))
                         for p in sorted(projects, key=lambda p: p["code"])]
    for name, fs in feats.items():
        written[name] = [(props, to_metric(g)) for props, g in fs]

    # ---- check: the conflicts found are exactly the planted ones
    found = detect_conflicts(written)
    planted_lot_parcel = {l["code"]: l["planted_parcel"] for l in lots if "planted_parcel" in l}
    planted_prj_parcel = {p["code"]: p["planted_parcel"] for p in projects
                          if "planted_parcel" in p}
    expected = []
    for kind, layer, code, olayer, ocode, what in PLANTED_CONFLICTS:
        if ocode is None:
            ocode = (planted_lot_parcel if layer == "lots" else planted_prj_parcel)[code]
        expected.append((kind, layer, code, olayer, ocode))
    got = sorted((c["kind"], c["layer"], c["code"], c["other_layer"], c["other_code"])
                 for c in found)
    if got != sorted(expected):
        raise AssertionError("conflicts differ from the planted set:\n"
                             f" unexpected: {sorted(set(got) - set(expected))}\n"
                             f" missing: {sorted(set(expected) - set(got))}")
    whats = {(k, l, c): w for k, l, c, _, _, w in PLANTED_CONFLICTS}
    for c in found:
        c["note"] = whats[(c["kind"], c["layer"], c["code"])]
        is_line = c["layer"] == "projects"  # the planted project conflicts are roads (metres)
        if c["kind"] != "land_use_mismatch" and c["measure"] < (20 if is_line else 100):
            raise AssertionError(f"planted conflict too small to see: {c}")
    # lots that are meant to be conflict-free sit at least 10 m inside their zone
    conflict_lots = {c["code"] for c in found if c["layer"] == "lots"} | {
        c["other_code"] for c in found if c["other_layer"] == "lots"}
    zgeom = {p["code"]: g for p, g in written["zones"]}
    for p, g in written["lots"]:
        if p["code"] not in conflict_lots and not g.within(zgeom[p["zone_code"]].buffer(-10)):
            raise AssertionError(f"lot {p['code']} too close to its zone edge")

    # ---- write
    out.mkdir(parents=True, exist_ok=True)
    for name, fs in feats.items():
        dump_geojson(out / f"{name}.geojson", [feature(p, g) for p, g in fs])
    dump_csv(out / "progress_reports.csv",
             ["project_code", "date", "percent", "disbursed_vnd", "note", "reported_by",
              "reached_m"], reports)
    dump_csv(out / "clearance_events.csv", ["parcel_code", "date", "status", "paid_vnd"], events)
    for name, header, key in (("households.csv", HOUSEHOLD_COLUMNS, "households"),
                              ("household_parcels.csv", LINK_COLUMNS, "links"),
                              ("clearance_parcels.csv", PARCEL_COLUMNS, "parcels"),
                              ("clearance_steps.csv", STEP_COLUMNS, "steps"),
                              ("payments.csv", PAYMENT_COLUMNS, "payments"),
                              ("complaints.csv", COMPLAINT_COLUMNS, "complaints")):
        dump_csv(out / name, header, [[_cell(v) for v in row] for row in records[key]])
    for name, data in (("admin_units.json", admin_units()), ("blockers.json", blockers_json(build_blockers(records)))):
        (out / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    disputed = [p["code"] for p, _ in written["clearance"] if p["status"] == "disputed"]
    uncleared = [p["code"] for p, _ in written["clearance"] if p["status"] != "cleared"]
    zones_conf = sorted({c["other_code"] for c in found if c["other_layer"] == "zones"} | {
        p["zone_code"] for p, _ in written["lots"] if p["code"] in conflict_lots})
    dirs = directives(sorted(conflict_lots), zones_conf, disputed, uncleared,
                      [p["code"] for p, _ in written["projects"]])
    (out / "directives.json").write_text(
        json.dumps(dirs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "expected_conflicts.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    return {
        "counts": {k: len(v) for k, v in feats.items()},
        "conflicts": found,
        "province_km2": outline.area / 1e6,
        "district_km2": {c: round(g.area / 1e6, 1) for c, (_, g) in districts.items()},
        "sh_uncleared_ha": sum(g.area for p, g in written["clearance"]
                               if p["zone_code"] == "KCN-SH" and p["status"] != "cleared") / 1e4,
        "lot_status_ha": {z: {s: round(sum(g.area for p, g in written["lots"]
                                           if p["zone_code"] == z and p["status"] == s) / 1e4, 1)
                              for s in ("leased", "reserved", "available")}
                          for z in sorted(zones)},
        "reports": len(reports),
        "events": len(events),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1],
                    help="output folder (default: data/geo)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print a summary")
    args = ap.parse_args(argv)
    summary = generate(args.out)
    print("wrote", ", ".join(OUTPUT_FILES), "to", args.out)
    print("features:", ", ".join(f"{k} {v}" for k, v in summary["counts"].items()),
          f"| reports {summary['reports']} | clearance events {summary['events']}")
    if args.verbose:
        print(json.dumps({k: v for k, v in summary.items() if k != "conflicts"},
                         ensure_ascii=False, indent=1))
        for c in summary["conflicts"]:
            print(f"  {c['kind']:26} {c['layer']}/{c['code']} x {c['other_layer']}/"
                  f"{c['other_code']}  {c['measure']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
