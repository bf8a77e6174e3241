"""Routes: available land — the page an investor opens first — and its CSV.

Zone figures come from ``layer_view`` (the same as the map's zone popups), and
lot areas are the store's VN-2000 measurements, so the page, the map and the
API never disagree. Only leasable land is offered: green space and utility
lots are never for lease (``NOT_LEASABLE``), as in the occupancy figures.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from flask import Response, render_template, request

from mapapp.analysis.zones import NOT_LEASABLE
from mapapp.queries.layers import layer_view
from mapapp.i18n import current_lang, number, translate
from mapapp.layers import LAND_USES
from mapapp.pages import land_messages, pages_bp  # noqa: F401  (land_messages registers the labels)
from mapapp.pages.conflicts_page import _csv_cell
from mapapp.pages.data_terms import term
from mapapp.pages.lot_issues import issue_lines, lot_issues
from mapapp.pages.styles import STYLES
from mapapp.store import current_store
from mapapp.store.backend import Store

LEASABLE_USES = tuple(u for u in LAND_USES if u not in NOT_LEASABLE)
LOT_COLUMNS = ["code", "zone_code", "land_use", "status", "area_m2", "area_ha", "price_usd_m2"]
CSV_COLUMNS = ["code", "zone_code", "zone_name", "zone_name_en", "land_use", "area_ha", "area_m2", "price_usd_m2", "indicative_total_usd"]


@dataclass
class LandFilters:
    """What the investor asked for; ``raw`` keeps the typed text so the form shows it back."""

    zone: str = ""
    land_use: str = ""
    min_area_ha: float | None = None
    max_price: float | None = None
    raw: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def query(self) -> dict[str, str]:
        """The non-empty filters, for links (CSV) that must repeat them."""
        return {k: v for k, v in self.raw.items() if v}


def parse_number(text: str) -> float:
    """A non-negative number typed either way (``1,5`` or ``1.5``); ``ValueError`` names the reason key."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError("land.reason.not_number") from None
    if not math.isfinite(value):
        raise ValueError("land.reason.not_number")
    if value < 0:
        raise ValueError("land.reason.negative")
    return value


def read_filters(zone_codes: set[str], lang: str) -> LandFilters:
    """Filters from the query string; a bad value is dropped with a note rather than failing the page."""
    raw = {k: request.args.get(k, "").strip() for k in ("zone", "land_use", "min_area", "max_price")}
    chosen = LandFilters(raw=raw)

    def ignore(key: str, reason: str) -> None:
        why = translate(reason, lang, value=raw[key])
        chosen.notes.append(translate("land.ignored", lang, label=translate(f"land.filter.{key}", lang), reason=why))
        raw[key] = ""

    if raw["zone"] and raw["zone"] not in zone_codes:
        ignore("zone", "land.reason.unknown_zone")
    if raw["land_use"] and raw["land_use"] not in LEASABLE_USES:
        ignore("land_use", "land.reason.unknown_land_use")
    chosen.zone, chosen.land_use = raw["zone"], raw["land_use"]
    for key in ("min_area", "max_price"):
        if not raw[key]:
            continue
        try:
            value = parse_number(raw[key])
        except ValueError as exc:
            ignore(key, str(exc))
            continue
        if key == "min_area":
            chosen.min_area_ha = value
        else:
            chosen.max_price = value
    return chosen


def leasable_lots(store: Store, status: str) -> pd.DataFrame:
    """Lots of one status on leasable land, with measured area in m² and ha."""
    lots = layer_view(store, "lots")
    if lots.empty:
        return pd.DataFrame(columns=LOT_COLUMNS)
    frame = pd.DataFrame(lots.drop(columns="geometry"))
    frame = frame[(frame["status"] == status) & frame["land_use"].isin(LEASABLE_USES)]
    return frame.reindex(columns=LOT_COLUMNS).reset_index(drop=True)


def apply_filters(frame: pd.DataFrame, chosen: LandFilters, with_price: bool = True) -> pd.DataFrame:
    """Lots meeting every filter; a lot without a price never meets a price limit (it cannot be shown to)."""
    keep = pd.Series(True, index=frame.index)
    if chosen.zone:
        keep &= frame["zone_code"] == chosen.zone
    if chosen.land_use:
        keep &= frame["land_use"] == chosen.land_use
    if chosen.min_area_ha is not None:
        keep &= frame["area_m2"].astype(float) >= chosen.min_area_ha * 10_000.0 - 1e-6
    if with_price and chosen.max_price is not None:
        keep &= frame["price_usd_m2"].astype(float) <= chosen.max_price
    return frame[keep]


def with_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds the indicative total lease price: measured area (m²) × asking price (USD/m²)."""
    frame = frame.copy()
    frame["total_usd"] = frame["area_m2"].astype(float) * frame["price_usd_m2"].astype(float)
    return frame


def zone_label(zone: dict, lang: str) -> str:
    """The zone's English name when reading in English and one is on file."""
    return zone.get("name_en") if lang == "en" and present(zone.get("name_en")) else zone.get("name", "")


def vi_order(text: str) -> tuple[str, str]:
    """Sort key for Vietnamese names: letters before their accents, Đ with D (Python's codepoint order puts Đ after Z)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return bare.replace("Đ", "D").replace("đ", "d").casefold(), text


def present(value: object) -> bool:
    """Not None, not NaN, not blank: the store reads missing values as either."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return not (isinstance(value, str) and not value.strip())


def usd_total(value: float | None, lang: str) -> str:
    """A lease total as reports state it: ≈ 1,23 triệu USD / ≈ 1.23 million USD."""
    if not present(value):
        return "—"
    if value >= 1e9:
        return f"≈ {number(value / 1e9, 2, lang)} {translate('land.billion', lang)}"
    if value >= 1e6:
        return f"≈ {number(value / 1e6, 2, lang)} {translate('land.million', lang)}"
    return f"≈ {number(round(value, -3), 0, lang)} USD"


def price_text(value: float | None, lang: str) -> str:
    """The asking price, or "on request" when the board filed none."""
    return number(value, 1, lang) if present(value) else translate("land.price_on_request", lang)


def lot_rows(frame: pd.DataFrame, zones: dict[str, dict], lang: str, issues: dict[str, dict] | None = None) -> list[dict]:
    """Table rows, ordered by zone name then lot code; sort keys are raw numbers for sortable.js.

    ``issues`` (from :func:`lot_issues`) adds each lot's conflicts and uncleared land, in words."""
    rows = []
    issues = issues or {}
    m2 = lambda value: f"{number(value, 1, lang)} m²"  # noqa: E731
    for r in frame.to_dict("records"):
        zone = zones.get(r["zone_code"], {})
        price = r["price_usd_m2"] if present(r["price_usd_m2"]) else None
        rows.append({
            "code": r["code"],
            "zone_name": zone_label(zone, lang) or r["zone_code"],
            "land_use": translate(f"lots.land_use.{r['land_use']}", lang),
            "area_ha": float(r["area_m2"]) / 10_000.0,
            "area": number(float(r["area_m2"]) / 10_000.0, 2, lang),
            "price_sort": "" if price is None else price,
            "price": price_text(price, lang),
            "total_sort": "" if price is None else round(r["total_usd"], 2),
            "total": usd_total(r["total_usd"] if price is not None else None, lang),
            "issues": issue_lines(issues.get(r["code"], {}), lang, m2),
        })
    return sorted(rows, key=lambda row: (vi_order(row["zone_name"]), row["code"]))


def zone_cards(free: pd.DataFrame, shown: pd.DataFrame, zones: dict[str, dict], lang: str) -> list[dict]:
    """One card per zone holding a listed lot, largest free area first."""
    cards = [zone_card(code, zones.get(code, {}), free, shown, lang) for code in shown["zone_code"].unique()]
    return sorted(cards, key=lambda c: (-c["available_ha"], vi_order(c["name"])))


def zone_card(code: str, zone: dict, free: pd.DataFrame, shown: pd.DataFrame, lang: str) -> dict:
    """Zone-wide figures (the map popup shows the same), plus how many of its lots the filters kept."""
    available_ha = float(zone.get("available_ha") or 0.0)
    occupancy = zone.get("occupancy_pct")
    return {
        "code": code,
        "name": zone_label(zone, lang) or code,
        "kind": translate(f"zones.kind.{zone.get('kind')}", lang),
        "status": zone.get("status", ""),
        "status_label": translate(f"zones.status.{zone.get('status')}", lang),
        "district": term(zone.get("district"), lang),
        "developer": term(zone.get("developer"), lang),
        "available_ha": available_ha,
        "available": number(available_ha, 2, lang),
        "leasable": number(float(zone.get("leasable_ha") or 0.0), 2, lang),
        "lots": int((free["zone_code"] == code).sum()),
        "matching": int((shown["zone_code"] == code).sum()),
        "occupancy": f"{number(occupancy, 1, lang)} %" if present(occupancy) else "—",
        "price_range": price_range(free.loc[free["zone_code"] == code, "price_usd_m2"].astype(float).dropna(), lang),
    }


def price_range(prices: pd.Series, lang: str) -> str:
    """Lowest – highest asking price; one figure when they agree, "on request" when none is filed."""
    if prices.empty:
        return translate("land.price_on_request", lang)
    low, high = prices.min(), prices.max()
    return number(low, 1, lang) if low == high else f"{number(low, 1, lang)} – {number(high, 1, lang)}"


def day_text(iso: str | None, lang: str) -> str | None:
    """dd/mm/yyyy for Vietnamese readers, ISO for English ones."""
    if not iso:
        return None
    day = dt.date.fromisoformat(iso[:10])
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def zones_by_code(store: Store) -> dict[str, dict]:
    """Zones with the summary figures of ``layer_view``, keyed by code."""
    zones = layer_view(store, "zones")
    if zones.empty:
        return {}
    return {z["code"]: z for z in pd.DataFrame(zones.drop(columns="geometry")).to_dict("records")}


def hectares(frame: pd.DataFrame) -> float:
    """Total measured area in ha (summed in m², so rounding does not add up)."""
    return float(frame["area_m2"].astype(float).sum()) / 10_000.0 if len(frame) else 0.0


@pages_bp.get("/land")
def land_page():
    store = current_store()
    lang = current_lang()
    zones = zones_by_code(store)
    chosen = read_filters(set(zones), lang)
    free = leasable_lots(store, "available")
    shown = with_totals(apply_filters(free, chosen))
    reserved = apply_filters(leasable_lots(store, "reserved"), chosen, with_price=False)
    return render_template(
        "land.html",
        page="land",
        chosen=chosen,
        cards=zone_cards(free, shown, zones, lang),
        rows=lot_rows(shown, zones, lang, lot_issues(store, list(shown["code"]), tolerance_m2=store.tolerance_m2)),
        zone_options=sorted(((code, zone_label(z, lang)) for code, z in zones.items()), key=lambda o: vi_order(o[1])),
        land_uses=LEASABLE_USES,
        total_lots=len(free),
        total_ha=number(hectares(free), 2, lang),
        total_zones=free["zone_code"].nunique(),
        filtered=bool(chosen.query()),
        shown_ha=number(hectares(shown), 2, lang),
        reserved_lots=len(reserved),
        reserved_ha=number(hectares(reserved), 2, lang),
        zone_colors=STYLES["zones"]["colors"],
        as_of=day_text(store.get_meta("as_of"), lang),
        sample=store.get_meta("dataset") == "sample",
    )


@pages_bp.get("/land.csv")
def land_csv():
    """The filtered lots as CSV (UTF-8 with BOM, so spreadsheet programs read the diacritics)."""
    store = current_store()
    zones = zones_by_code(store)
    chosen = read_filters(set(zones), current_lang())
    shown = with_totals(apply_filters(leasable_lots(store, "available"), chosen)).sort_values(["zone_code", "code"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in shown.to_dict("records"):
        writer.writerow([_csv_cell(v) for v in csv_record(r, zones.get(r["zone_code"], {}))])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=mapapp-available-land.csv"},
    )


def csv_record(lot: dict, zone: dict) -> list:
    """One CSV line; numbers stay plain (dot decimal) so spreadsheets and scripts read them as numbers."""
    total = lot["total_usd"]
    return [
        lot["code"],
        lot["zone_code"],
        zone.get("name"),
        zone.get("name_en"),
        lot["land_use"],
        round(float(lot["area_m2"]) / 10_000.0, 4),
        lot["area_m2"],
        lot["price_usd_m2"],
        round(total, 2) if present(total) else None,
    ]
