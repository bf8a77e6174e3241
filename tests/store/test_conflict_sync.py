"""Incremental conflicts on SQLite and PostgreSQL: after every edit through the one write path, the stored
conflicts are exactly those of a fresh full analysis of the current layers (ids, amounts, texts, geometry)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity

from mapapp.analysis.conflicts import find_conflicts
from mapapp.analysis.measure import to_metric, to_storage
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.errors import ChangeRefused
from mapapp.layers import (
    CLEARANCE_STATUSES,
    LAND_USES,
    LAYERS,
    LOT_STATUSES,
    PROJECT_STATUSES,
    ZONE_STATUSES,
)
from mapapp.sources.sample import load_sample
from mapapp.sources.validate import validate
from mapapp.store.backend import Store
from tests import builders
from tests.conftest import store_on

WEB = Actor("planner1", "api")
CONFLICT_LAYERS = ("zones", "lots", "clearance", "projects")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_store(request, tmp_path):
    """An empty store on SQLite and on the PostgreSQL `make test` starts (skipped without it)."""
    with store_on(request.param, tmp_path) as store:
        yield store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sample_on_both(request, tmp_path):
    """The bundled sample on both backends."""
    with store_on(request.param, tmp_path, load_sample) as store:
        yield store


def load_province(store: Store, n: int, seed: int) -> None:
    """bench/synthetic.py's province of ``n`` lots and ``n`` parcels, with some uncleared land in every zone."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from synthetic import province

    data = province(n, seed=seed)
    rng = np.random.default_rng(seed)
    parcels = data["clearance"]
    uncleared = rng.random(len(parcels)) < 0.15
    parcels.loc[uncleared, "status"] = rng.choice(["not_started", "negotiating", "compensated", "disputed"], uncleared.sum())
    zones = set(data["zones"]["code"])
    store.write_layers({name: validate(LAYERS[name], data[name][[c for c in data[name].columns
                                                                   if c in LAYERS[name].field_names or c == "geometry"]], zones)
                        for name in CONFLICT_LAYERS})


def _plain(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


def conflict_rows(frame: pd.DataFrame) -> list[tuple]:
    """Complete rows, comparable: missing amounts as None, geometry as normalised WKB."""
    geoms = shapely.to_wkb(shapely.normalize(np.asarray(frame.geometry.values, dtype=object)), hex=True) if len(frame) else []
    # column by column: a pandas Series per row (iterrows) was most of the time this comparison took
    col = {name: frame[name].tolist() for name in ("id", "type", "codes", "layers", "zone_code", "area_m2", "length_m",
                                                    "severity", "description", "description_en")}
    rows = [
        (i, t, tuple(codes), tuple(layers), zone or "", _plain(area), _plain(length), severity, text, text_en, g)
        for i, t, codes, layers, zone, area, length, severity, text, text_en, g in zip(
            col["id"], col["type"], col["codes"], col["layers"], col["zone_code"], col["area_m2"], col["length_m"],
            col["severity"], col["description"], col["description_en"], geoms)
    ]
    return sorted(rows)


def full_run(store: Store) -> pd.DataFrame:
    return find_conflicts(*(store.read_layer(layer, fields_only=True) for layer in CONFLICT_LAYERS),
                          tolerance_m2=store.tolerance_m2, tolerance_m=store.tolerance_m)


def assert_as_full_run(store: Store, what: str = "") -> None:
    stored, full = conflict_rows(store.read_conflicts()), conflict_rows(full_run(store))
    missing = [r[:3] for r in full if r not in stored]
    extra = [r[:3] for r in stored if r not in full]
    assert stored == full, f"after {what}: missing {missing[:5]}, extra {extra[:5]}"


class RandomEdits:
    """Seeded random edits of lots and parcels (and some of zones and projects), through ``apply_features``."""

    def __init__(self, store: Store, seed: int) -> None:
        self.store, self.rng, self.added = store, np.random.default_rng(seed), 0

    def _pick(self, layer: str, retired: bool = False) -> pd.Series | None:
        frame = self.store.read_layer(layer, include_retired=retired)
        if retired:
            frame = frame[frame["retired_at"].notna()]
        return None if frame.empty else frame.iloc[int(self.rng.integers(len(frame)))]

    def _metric(self, geom):
        return to_metric(np.array([geom], dtype=object))[0]

    def _moved(self, geom, far: bool = False):
        """Shifted by a few metres, by about its own size (onto a neighbour), or far (out of its zone)."""
        m = self._metric(geom)
        x0, _, x1, _ = m.bounds
        scale = self.rng.choice([3.0, max(x1 - x0, 1.0), 2000.0 if far else 60.0])
        dx, dy = self.rng.uniform(-1, 1, 2) * scale
        return to_storage(np.array([shapely.affinity.translate(m, dx, dy)], dtype=object))[0]

    def _reshaped(self, geom):
        m = self._metric(geom)
        m = shapely.affinity.scale(m, *self.rng.uniform(0.6, 1.8, 2))
        m = shapely.affinity.rotate(m, float(self.rng.uniform(-25, 25)))
        return to_storage(np.array([m], dtype=object))[0]

    def _apply(self, layer: str, edits: list[Edit], retire: list[str] = ()) -> str:
        try:
            # the zones' figures after each write are not what is checked here (tests/changes/test_figures_after.py)
            result = apply_features(self.store, layer, edits, WEB, confirm=True, retire_codes=retire, keep_figures=False)
        except ChangeRefused as refused:  # e.g. a status derived from dated steps: nothing stored
            return f"refused: {refused}"
        assert result.conflicts in (None, self.store.conflict_count())  # None: nothing changed
        return f"{layer} {[e.code for e in edits] + list(retire)} {[e.values for e in edits]}"

    def step(self) -> str:
        kind = self.rng.choice(["move", "move", "reshape", "status", "status", "land_use", "retire", "restore", "new",
                                "zone_code", "batch", "zone", "project", "twin"])
        layer = "lots" if self.rng.random() < 0.6 else "clearance"
        feature = self._pick(layer)
        if kind == "move":
            return "move " + self._apply(layer, [Edit(feature["code"], {}, geometry=self._moved(feature.geometry, far=self.rng.random() < 0.2))])
        if kind == "reshape":
            return "reshape " + self._apply(layer, [Edit(feature["code"], {}, geometry=self._reshaped(feature.geometry))])
        if kind == "status":
            statuses = LOT_STATUSES if layer == "lots" else CLEARANCE_STATUSES
            return "status " + self._apply(layer, [Edit(feature["code"], {"status": str(self.rng.choice(statuses))})])
        if kind == "land_use":
            lot = self._pick("lots")
            return "land use " + self._apply("lots", [Edit(lot["code"], {"land_use": str(self.rng.choice(LAND_USES))})])
        if kind == "retire":
            return "retire " + self._apply(layer, [], retire=[feature["code"]])
        if kind == "restore":
            gone = self._pick(layer, retired=True)
            return "restore " + (self._apply(layer, [Edit(gone["code"], {})]) if gone is not None else "nothing")
        if kind == "new":
            self.added += 1
            values = ({"zone_code": feature["zone_code"], "land_use": str(self.rng.choice(LAND_USES)), "status": str(self.rng.choice(LOT_STATUSES))}
                      if layer == "lots" else {"zone_code": feature["zone_code"], "status": str(self.rng.choice(CLEARANCE_STATUSES))})
            return "new " + self._apply(layer, [Edit(f"NEW-{self.added}", values, geometry=self._moved(feature.geometry))])
        if kind == "zone_code":
            zone_codes = list(self.store.read_layer("zones")["code"])
            return "zone code " + self._apply(layer, [Edit(feature["code"], {"zone_code": str(self.rng.choice(zone_codes))})])
        if kind == "batch":  # a small import: several lots moved or changed at once
            lots = self.store.read_layer("lots")
            chosen = lots.iloc[self.rng.choice(len(lots), size=min(6, len(lots)), replace=False)]
            edits = [Edit(r["code"], {"status": str(self.rng.choice(LOT_STATUSES))}, geometry=self._moved(r.geometry))
                     if self.rng.random() < 0.5 else Edit(r["code"], {"land_use": str(self.rng.choice(LAND_USES))})
                     for _, r in chosen.iterrows()]
            return "batch " + self._apply("lots", edits)
        if kind == "zone":
            zone = self._pick("zones")
            change = self.rng.choice(["status", "uses", "move"])
            if change == "status":
                return "zone " + self._apply("zones", [Edit(zone["code"], {"status": str(self.rng.choice(ZONE_STATUSES))})])
            if change == "uses":
                uses = ",".join(self.rng.choice(LAND_USES, size=int(self.rng.integers(0, 4)), replace=False))
                return "zone " + self._apply("zones", [Edit(zone["code"], {"allowed_land_uses": uses or None})])
            return "zone move " + self._apply("zones", [Edit(zone["code"], {}, geometry=self._moved(zone.geometry))])
        if kind == "project":
            project = self._pick("projects")
            if self.rng.random() < 0.5:
                return "project " + self._apply("projects", [Edit(project["code"], {"status": str(self.rng.choice(PROJECT_STATUSES))})])
            return "project move " + self._apply("projects", [Edit(project["code"], {}, geometry=self._moved(project.geometry))])
        # twin: a project with a lot's code, both judged against the same zone (ids type:code:zone#2)
        lot = self._pick("lots")
        spot = shapely.Point(*self._moved(lot.geometry, far=True).centroid.coords[0])
        return "twin " + self._apply("projects", [Edit(lot["code"], {"name": "Trạm đo", "kind": "other", "zone_code": lot["zone_code"],
                                                                     "status": str(self.rng.choice(PROJECT_STATUSES))}, geometry=spot)])


def run_random_edits(store: Store, seed: int, count: int) -> None:
    assert_as_full_run(store, "loading")
    edits = RandomEdits(store, seed)
    for i in range(count):
        what = edits.step()
        assert_as_full_run(store, f"edit {i}: {what}")


def test_random_edits_of_a_synthetic_province_keep_the_conflicts_of_a_full_run(empty_store):
    load_province(empty_store, 500, seed=2)
    run_random_edits(empty_store, seed=2, count=30)


def test_random_edits_of_the_sample_keep_the_conflicts_of_a_full_run(sample_on_both):
    run_random_edits(sample_on_both, seed=7, count=25)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 3, 4])
def test_longer_random_edit_sequences_keep_the_conflicts_of_a_full_run(empty_store, seed):
    load_province(empty_store, 1000, seed=seed)
    run_random_edits(empty_store, seed=seed, count=35)


# -- each kind of change, on the hand-built dataset ------------------------------------------------
def stored(store, type_: str) -> list[list[str]]:
    return sorted(store.read_conflicts(type_=type_)["codes"].tolist())


def test_a_retired_lots_conflicts_vanish_and_come_back_when_restored(backend_store):
    apply_features(backend_store, "lots", [Edit("L9", {"zone_code": "Z1", "land_use": "factory", "status": "leased"},
                                                geometry=builders.mbox(150, 0, 250, 100))], WEB)
    assert stored(backend_store, "lot_overlap") == [["L1", "L9"], ["L2", "L9"]]
    apply_features(backend_store, "lots", [], WEB, retire_codes=["L9"])
    assert stored(backend_store, "lot_overlap") == []
    assert_as_full_run(backend_store)
    apply_features(backend_store, "lots", [Edit("L9", {})], WEB)
    assert stored(backend_store, "lot_overlap") == [["L1", "L9"], ["L2", "L9"]]
    assert_as_full_run(backend_store)


def test_a_cleared_parcel_no_longer_holds_a_lot(backend_store):
    apply_features(backend_store, "lots", [Edit("L3", {}, geometry=builders.mbox(650, 650, 750, 750))], WEB)
    assert stored(backend_store, "lot_on_uncleared_land") == [["L3", "P2"]]
    apply_features(backend_store, "clearance", [Edit("P2", {"status": "cleared"})], WEB, confirm=True)
    assert stored(backend_store, "lot_on_uncleared_land") == []
    assert_as_full_run(backend_store)


def test_a_lot_moved_away_from_its_overlap_partner(backend_store):
    apply_features(backend_store, "lots", [Edit("L2", {}, geometry=builders.mbox(150, 0, 350, 100))], WEB)
    assert stored(backend_store, "lot_overlap") == [["L1", "L2"]]
    apply_features(backend_store, "lots", [Edit("L2", {}, geometry=builders.mbox(300, 0, 500, 100))], WEB)
    assert stored(backend_store, "lot_overlap") == []
    assert_as_full_run(backend_store)


def test_a_zone_becoming_proposed_puts_its_committed_lots_in_conflict(backend_store):
    apply_features(backend_store, "zones", [Edit("Z1", {"status": "proposed"})], WEB)
    assert stored(backend_store, "lot_in_proposed_zone") == [["L1", "Z1"], ["L3", "Z1"]]  # L2 is available
    assert_as_full_run(backend_store)
    apply_features(backend_store, "zones", [Edit("Z1", {"status": "operating", "allowed_land_uses": "factory"})], WEB)
    assert stored(backend_store, "lot_in_proposed_zone") == []
    assert stored(backend_store, "land_use_mismatch") == [["L3", "Z1"]]  # a warehouse
    assert_as_full_run(backend_store)


def test_a_lot_and_a_project_with_one_code_outside_one_zone_keep_the_full_runs_ids(backend_store):
    far = builders.mbox(5000, 5000, 5100, 5100)
    apply_features(backend_store, "lots", [Edit("L1", {}, geometry=far)], WEB)
    apply_features(backend_store, "projects", [Edit("L1", {"name": "Trạm", "kind": "other", "zone_code": "Z1", "status": "planned"},
                                                    geometry=far.centroid)], WEB)
    ids = sorted(backend_store.read_conflicts(type_="outside_zone")["id"])
    assert ids == ["outside_zone:L1:Z1", "outside_zone:L1:Z1#2"]
    apply_features(backend_store, "lots", [Edit("L1", {}, geometry=builders.mbox(5000, 5000, 5050, 5100))], WEB)
    assert_as_full_run(backend_store)


def test_a_parcel_cleared_by_a_recorded_step_frees_its_lot(sample_on_both):
    from mapapp.changes.clearance import record_step

    store = sample_on_both
    parcel = store.get_feature("clearance", "GP-TPT-23").geometry.iloc[0]
    apply_features(store, "lots", [Edit("TPT-F05", {"status": "leased"}, geometry=parcel)], WEB, confirm=True)
    assert ["TPT-F05", "GP-TPT-23"] in stored(store, "lot_on_uncleared_land")
    record_step(store, "GP-TPT-23", "payment", "2018-12-20", WEB, doc_type="Biên bản chi trả", doc_number="31/BB-CT")
    record_step(store, "GP-TPT-23", "handover", "2018-12-27", WEB, doc_type="Biên bản bàn giao", doc_number="32/BB-BG")
    assert store.get_feature("clearance", "GP-TPT-23")["status"].iloc[0] == "cleared"
    assert ["TPT-F05", "GP-TPT-23"] not in stored(store, "lot_on_uncleared_land")
    assert_as_full_run(store)


def test_a_change_of_many_features_recomputes_everything(backend_store, monkeypatch):
    calls = []
    full = backend_store.recompute_conflicts
    monkeypatch.setattr(backend_store, "recompute_conflicts", lambda conn=None: calls.append(1) or full(conn))
    backend_store.full_recompute_above = 1
    edits = [Edit("L1", {}, geometry=builders.mbox(150, 0, 250, 100)), Edit("L3", {"status": "available"})]
    result = apply_features(backend_store, "lots", edits, WEB)
    assert calls == [1] and result.conflicts == backend_store.conflict_count()
    assert_as_full_run(backend_store)
    backend_store.full_recompute_above = 2000
    apply_features(backend_store, "lots", [Edit("L1", {}, geometry=builders.mbox(0, 0, 200, 100))], WEB)
    assert calls == [1]
    assert_as_full_run(backend_store)


def test_changes_scattered_over_too_many_places_recompute_everything(backend_store, monkeypatch):
    from mapapp.store import conflict_sync

    calls = []
    full = backend_store.recompute_conflicts
    monkeypatch.setattr(backend_store, "recompute_conflicts", lambda conn=None: calls.append(1) or full(conn))
    monkeypatch.setattr(conflict_sync, "MAX_PLACES", 1)
    apply_features(backend_store, "lots", [Edit("L1", {"status": "available"}), Edit("L3", {"status": "available"})], WEB)
    assert calls == [1]  # L1 and L3 lie 100 m apart: two places
    apply_features(backend_store, "lots", [Edit("L1", {"status": "leased"}), Edit("L2", {"status": "leased"})], WEB)
    assert calls == [1]  # neighbours: one place
    assert_as_full_run(backend_store)


def test_a_tenant_change_leaves_the_conflicts_alone(backend_store, monkeypatch):
    from mapapp.store import conflict_sync

    monkeypatch.setattr(conflict_sync, "conflicts_involving", lambda *a, **k: pytest.fail("conflicts recomputed"))
    result = apply_features(backend_store, "lots", [Edit("L1", {"tenant": "Công ty Mới"})], WEB)
    assert result.changed == ["L1"] and result.conflicts == backend_store.conflict_count()
