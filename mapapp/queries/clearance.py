"""Clearance figures read from the store, shared by the API, the pages and the command line.

:func:`figures_at` runs :func:`mapapp.clearance.view.clearance_figures` over the stored
layers and records at a date (the date in view, ``?at=``; the dataset's date by default,
never the machine clock) and keeps the answer until the data changes (the store's
``data_version``, new with every write). Parcels without step or complaint records keep the status their
event history gives at that date (an old-style database not yet converted).

:func:`late_at`, :func:`blocker_view` and :func:`matrix_for` are the leaders' views;
:func:`household_lookup` is what a household sees with the code the board gave it.
Personal data (:data:`mapapp.clearance.view.PERSONAL_COLUMNS`) leaves here only for staff.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from mapapp.clearance import blockers as blk
from mapapp.clearance.blocks import lot_readiness
from mapapp.clearance.matrix import Matrix, build_matrix
from mapapp.clearance.procedure import ProcedureSettings, Step, progress_table
from mapapp.clearance.units import authority_name, english_name, units_as_of
from mapapp.clearance.view import Figures, clearance_figures, household_file, project_parcels
from mapapp.errors import NotFound
from mapapp.kept import Kept
from mapapp.refusals import Reason
from mapapp.store.backend import Store

_FIGURES: Kept[Figures] = Kept(8)


def procedure_settings() -> ProcedureSettings:
    """The province's deadlines from ``MAPAPP_CLEARANCE_*`` (see :class:`ProcedureSettings`)."""
    import os

    return ProcedureSettings.from_env(os.environ)


def parcels_at(store: Store, at: dt.date) -> gpd.GeoDataFrame:
    """The parcels (code, zone_code, status at ``at`` from their events, land_kind) with geometry."""
    from mapapp.queries.layers import clearance_at

    parcels = store.read_layer("clearance", fields_only=True)
    if parcels.empty:
        return parcels.assign(land_kind=pd.Series(dtype=object))
    parcels = clearance_at(store, parcels, at)
    kinds = store.clearance_records()["clearance_parcels"]
    kind = dict(zip(kinds["parcel_code"], kinds["land_kind"]))
    parcels["land_kind"] = [kind.get(c) or "agricultural" for c in parcels["code"]]
    return parcels


def figures_at(store: Store, at: dt.date) -> Figures:
    """Every clearance figure at ``at`` (see :class:`mapapp.clearance.view.Figures`), cached per data version.

    Raises :class:`mapapp.clearance.procedure.ProcedureError` when stored records break a rule
    (the write path refuses such records, so only a hand-edited database can).
    """
    # one thread computes a version's figures; the requests arriving meanwhile wait for them (mapapp.kept)
    return _FIGURES.get((store.url, store.get_meta("data_version"), at), lambda: _compute(store, at))


def _compute(store: Store, at: dt.date) -> Figures:
    """The whole province's figures, assembled from the zones' kept ones (:mod:`mapapp.queries.zone_figures`)."""
    from mapapp.queries import zone_figures

    zones = store.read_layer("zones", fields_only=True)
    lots = store.read_layer("lots", fields_only=True)
    codes = store.read_layer("clearance", fields_only=True)[["code", "zone_code"]]
    part = zone_figures.joined(zone_figures.by_zone(store, set(zones["code"]) | set(codes["zone_code"]), at))
    order = pd.Index(part.parcels["code"]).get_indexer(codes["code"])
    parcels = part.parcels.iloc[order].reset_index(drop=True)
    current = part.current.iloc[pd.Index(part.current["code"]).get_indexer(codes["code"])].reset_index(drop=True)
    zone_rows = part.zones.iloc[pd.Index(part.zones["zone_code"]).get_indexer(zones["code"])].reset_index(drop=True)
    blocks = part.blocks.reset_index(drop=True)
    ready = lot_readiness(lots, current, blocks, dict(zip(parcels["code"], parcels["expected_handover"])))
    return Figures(parcels, zone_rows, ready.reset_index(drop=True), blocks)


def full_figures(store: Store, at: dt.date) -> Figures:
    """Every figure at ``at`` computed over the whole province in one call (no kept zone): the reference
    the zone-by-zone figures equal."""
    records = store.clearance_records()
    return clearance_figures(
        store.read_layer("zones", fields_only=True), store.read_layer("lots", fields_only=True), parcels_at(store, at),
        records["steps"], records["complaints"], at, procedure_settings())


#: Columns each layer gains from the figures (all public: codes, steps, dates, areas).
ZONE_FIGURES = ["cleared_share", "largest_cleared_block_ha", "blocks", "parcels_open", "expected_handover"]
LOT_FIGURES = ["ready", "ready_expected", "missing"]
PARCEL_FIGURES = ["status", "step", "next_due", "due_step", "overdue", "expected_handover"]


def with_figures(store: Store, layer: str, frame: gpd.GeoDataFrame, at: dt.date) -> gpd.GeoDataFrame:
    """``frame`` (zones, lots or clearance) with its clearance figures at ``at`` joined by code.

    Only the zones the frame needs are worked out (kept per zone version, :mod:`mapapp.queries.zone_figures`;
    zone rows at the dataset's date also in the database, :mod:`mapapp.queries.zone_rows`); lots get their
    readiness from the zones around them (kept per lot, :mod:`mapapp.queries.lot_readiness`).
    """
    from mapapp.queries import zone_figures, zone_rows

    if layer == "lots":
        return _with_units(store, layer, *_lot_columns(store, frame, at), at)
    if layer == "zones":
        table, columns = zone_rows.zone_rows(store, frame["code"], at).set_index("zone_code"), ZONE_FIGURES
    elif layer == "clearance":
        part = zone_figures.joined(zone_figures.by_zone(store, frame["zone_code"], at), ("parcels",))
        table, columns = part.parcels.set_index("code"), PARCEL_FIGURES
    else:
        return frame
    present = [c for c in columns if c in frame.columns]
    out = frame.drop(columns=present) if present else frame
    added = taken_by_code(table, out["code"].to_numpy(dtype=object), columns)
    if layer == "clearance":
        added["overdue"] = [bool(v) for v in added["overdue"].tolist()]
    return _with_units(store, layer, out, added, at)


def taken_by_code(table: pd.DataFrame, codes: np.ndarray, columns: list[str]) -> dict[str, np.ndarray]:
    """``table``'s ``columns`` (indexed by code) for each of ``codes``, as object arrays: missing or NA values None."""
    # by position, not by a reindexed frame: one take per column
    where = table.index.get_indexer(codes) if len(table) else np.full(len(codes), -1)
    found = where >= 0
    added = {}
    for c in columns:
        values = np.full(len(codes), None, dtype=object)
        if found.any():
            taken = table[c].to_numpy(dtype=object)[where[found]]
            values[found] = np.where(pd.isna(taken), None, taken)
        added[c] = values
    return added


def _lot_columns(store: Store, frame: gpd.GeoDataFrame, at: dt.date) -> tuple[gpd.GeoDataFrame, dict[str, object]]:
    """``frame`` (lots) without readiness columns of its own, and its readiness columns by position: ``ready``,
    ``ready_expected``, ``clearance_missing`` (retired lots: ready, nothing missing, no date)."""
    from mapapp.queries import lot_readiness

    present = [c for c in LOT_FIGURES if c in frame.columns]
    out = frame.drop(columns=present) if present else frame
    n = len(out)
    active = out["retired_at"].isna().to_numpy() if "retired_at" in out.columns else np.ones(n, dtype=bool)
    rows = lot_readiness.readiness_rows(store, out if active.all() else out[active], at)
    ready, expected, missing = [True] * n, np.full(n, None, dtype=object), [[] for _ in range(n)]
    for i, (is_ready, codes, _, when) in zip(np.flatnonzero(active).tolist(), rows):
        ready[i], expected[i], missing[i] = is_ready, when, list(codes)
    return out, {"ready": ready, "ready_expected": expected, "clearance_missing": missing}


def _with_units(store: Store, layer: str, out: gpd.GeoDataFrame, added: dict[str, object], at: dt.date) -> gpd.GeoDataFrame:
    """``out`` with the ``added`` columns (name -> values by position) and each feature's zone's administrative
    units as of ``at`` (``units_as_of``, ``units_as_of_en``), in that order, after its own columns."""
    zone = (out["code"] if layer == "zones" else out["zone_code"]).to_numpy(dtype=object).tolist()
    names, english = unit_names(store, zone, at)
    added["units_as_of"] = [names[z] for z in zone]
    added["units_as_of_en"] = [english[z] for z in zone]
    if any(c in out.columns for c in added):
        out = out.drop(columns=[c for c in added if c in out.columns])
    # the columns joined at once: each column set on a GeoDataFrame costs about as much as the whole join
    return pd.concat([out, pd.DataFrame(added, index=out.index)], axis=1)


def unit_names(store: Store, zones: list, at: dt.date, units: tuple[dict, dict] | None = None) -> tuple[dict, dict]:
    """Each of ``zones``' administrative units as of ``at`` (:func:`units_text`), and their English names, by zone.
    ``units``: what :meth:`Store.admin_units` returns, when the caller has it already."""
    units = units or store.admin_units()
    names = {z: units_text(store, z, at, units) for z in set(zones)}
    return names, {z: n and ", ".join(english_name(part) for part in n.split(", ")) for z, n in names.items()}


def units_text(store: Store, zone: str, at: dt.date, units: tuple[dict, dict] | None = None) -> str | None:
    """A zone's administrative units as of ``at``, smallest first: ``Xã Đông Phú, Huyện Châu Thành, Tỉnh Hậu Giang``
    (2018) or ``Xã Đông Phước, Thành phố Cần Thơ`` (after 1 July 2025); None without placement.
    ``units``: what :meth:`Store.admin_units` returns, when the caller has it already."""
    where = feature_units(store, zone, at, units)
    if where is None:
        return None
    return ", ".join(where[level] for level in ("commune", "district", "province") if where[level])


def blockers_at(store: Store, at: dt.date) -> list[blk.Blocker]:
    """The register's blockers opened by ``at`` (their state and deadline as of ``at`` are read from their
    history by :mod:`mapapp.clearance.blockers`)."""
    return [b for b, _ in store.blockers() if b.opened <= at]


def late_at(store: Store, at: dt.date) -> pd.DataFrame:
    """What is late on ``at``: :func:`mapapp.clearance.blockers.late_list` over the stored steps and blockers,
    a step's authority named for the place as of ``at`` (``UBND huyện Châu Thành`` in 2018; the commune's
    chairman after 1 July 2025, Decree 151/2025/NĐ-CP) when the zone has administrative units."""
    parcels = parcels_at(store, at)
    steps = store.clearance_records()["steps"]
    progress = progress_table(parcels, steps, at, procedure_settings())
    zone_of = dict(zip(parcels["code"], parcels["zone_code"]))
    late = blk.late_list(progress, blockers_at(store, at), at, zone_of)
    due_step = dict(zip(progress["parcel_code"], progress["due_step"]))
    units, placements = store.admin_units()
    named = []
    for kind, code, responsible in zip(late["kind"], late["code"], late["responsible"]):
        if kind != "step":
            named.append(responsible)
            continue
        try:
            where = units_as_of(units, placements, zone_of.get(code, ""), at)
        except (KeyError, ValueError):
            named.append(responsible)
            continue
        named.append(authority_name(Step(due_step[code]), at, where))
    late["responsible"] = named
    return late


@dataclass(frozen=True)
class BlockerView:
    """One blocker at a date: ``blocker``, ``version``, ``state``/``deadline``/``overdue`` as of the date,
    ``parcels`` (the parcel codes it concerns: its subject, or the parcels of what it holds up) and
    ``parcel_figures`` (their rows of :attr:`Figures.parcels`)."""

    blocker: blk.Blocker
    version: int
    state: str
    deadline: dt.date
    overdue: bool
    parcels: list[str]
    parcel_figures: pd.DataFrame


def blocker_parcels(store: Store, b: blk.Blocker) -> list[str]:
    """The parcels a blocker concerns: a parcel blocker's subject; for a project, the parcels it crosses
    that are not cleared; for a household, its parcels; plus, for a lot it holds up, nothing more."""
    codes = store.codes("clearance")
    if b.kind == "parcel" and b.subject in codes:
        return [b.subject]
    if b.kind == "household":
        links = store.clearance_records()["household_parcels"]
        return sorted(links.loc[links["household_code"] == b.subject, "parcel_code"])
    projects = [c for c in (b.subject, *b.holds_up) if c in store.codes("projects")]
    if projects:
        crossed = project_parcels(store.read_layer("projects", fields_only=True).query("code in @projects"),
                                  store.read_layer("clearance", fields_only=True))
        return sorted(set(crossed["parcel_code"]))
    return []


def blocker_view(store: Store, code: str, at: dt.date) -> BlockerView:
    """One blocker as of ``at``; :class:`NotFound` when there is none."""
    found = store.blockers(code)
    if not found:
        raise NotFound(Reason("notfound.blocker", code=repr(code)))
    b, version = found[0]
    parcels = blocker_parcels(store, b)
    figs = figures_at(store, at).parcels
    return BlockerView(b, version, blk.state_on(b, at), blk.deadline_on(b, at), blk.is_overdue(b, at), parcels,
                       figs[figs["code"].isin(parcels)].reset_index(drop=True))


def matrix_for(store: Store, subject: str, at: dt.date) -> Matrix:
    """The household × step matrix of a zone or a project (by code) at ``at``; :class:`NotFound` for neither."""
    records = store.clearance_records()
    parcels = parcels_at(store, at)
    if subject in store.codes("zones"):
        return build_matrix(records["households"], records["household_parcels"], parcels, records["steps"], at,
                            zone=subject, settings=procedure_settings())
    if subject in store.codes("projects"):
        crossed = project_parcels(store.read_layer("projects", fields_only=True).query("code == @subject"), parcels)
        return build_matrix(records["households"], records["household_parcels"], parcels, records["steps"], at,
                            parcel_codes=list(crossed["parcel_code"]), settings=procedure_settings())
    raise NotFound(Reason("notfound.subject", subject=repr(subject)))


def subject_title(store: Store, subject: str) -> str:
    """A zone's or a project's name with its code (``KCN Tân Phú Thạnh (KCN-TPT)``), or the code itself."""
    for layer in ("zones", "projects"):
        names = store.attributes(layer, ["code", "name"])
        found = names.loc[names["code"] == subject, "name"]
        if len(found):
            return f"{found.iloc[0]} ({subject})"
    return subject


def feature_units(store: Store, feature: str, at: dt.date, units: tuple[dict, dict] | None = None) -> dict | None:
    """A zone's units as of ``at`` (``{"province", "district", "commune"}`` names; district None after the
    reform), or None when the feature has no placement or none valid then. ``units``: what
    :meth:`Store.admin_units` returns, when the caller has it already."""
    units, placements = units or store.admin_units()
    try:
        where = units_as_of(units, placements, feature, at)
    except (KeyError, ValueError):
        return None
    return {level: (u.name if u else None) for level, u in where.items()} | {"_units": where}


def step_authority(store: Store, zone: str, step, on: dt.date) -> str:
    """Who performs ``step`` on ``on`` for a parcel of ``zone``, named for the place as of that date."""
    from mapapp.clearance.procedure import authority

    where = feature_units(store, zone, on)
    return authority_name(step, on, where["_units"]) if where else authority(step, on).vi


def household_lookup(store: Store, lookup_code: str) -> dict | None:
    """A household's own file by the code the board gave it (only that household), or None."""
    r = store.clearance_records()
    return household_file(lookup_code, r["households"], r["household_parcels"], r["steps"], r["payments"])
