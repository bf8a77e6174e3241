"""How the leaders' pages write dates and numbers, and which date they show.

The dashboard, project and directive pages share these so a figure reads the same on each."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from flask import request, url_for

from mapapp import clock
from mapapp.i18n import translate
from mapapp.pages import progress_messages  # noqa: F401  (registers the labels)
from mapapp.pages.styles import STYLES
from mapapp.store.backend import Store

CHART_JS_CDN = "https://cdn.jsdelivr.net/npm/chart.js@4.5.1/dist/chart.umd.min.js"
STATUS_COLORS: dict[str, str] = STYLES["projects"]["colors"]


@dataclass(frozen=True)
class Fmt:
    """Numbers, money and dates as each language writes them (vi 1.234,5 — en 1,234.5)."""

    lang: str

    def num(self, value: float | None, digits: int = 1) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        text = f"{value:,.{digits}f}"
        if digits:
            text = text.rstrip("0").rstrip(".")
        return text.translate(str.maketrans(",.", ".,")) if self.lang == "vi" else text

    def pct(self, value: float | None, digits: int = 1) -> str:
        return "—" if value is None else f"{self.num(value, digits)} %"

    def vnd(self, value: float | None) -> str:
        """Money the way reports state it: billions (tỷ) and millions (triệu) of đồng."""
        if value is None:
            return "—"
        if abs(value) >= 1e9:
            return f"{self.num(value / 1e9, 2)} " + ("tỷ đồng" if self.lang == "vi" else "bn VND")
        if abs(value) >= 1e6:
            return f"{self.num(value / 1e6, 1)} " + ("triệu đồng" if self.lang == "vi" else "m VND")
        return f"{self.num(value, 0)} " + ("đồng" if self.lang == "vi" else "VND")

    def ha(self, m2: float | None) -> str:
        return "—" if m2 is None else f"{self.num(m2 / 10_000, 2)} ha"

    def date(self, iso: str | None) -> str:
        """dd/mm/yyyy in Vietnamese, ISO in English."""
        if not iso:
            return "—"
        day = dt.date.fromisoformat(str(iso)[:10])
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()


# -- dates ---------------------------------------------------------------------
def page_date(default: dt.date, lang: str) -> tuple[dt.date, str | None]:
    """``?at=`` (never after today), else ``default`` and a note saying the value was ignored."""
    text = request.args.get("at", "").strip()
    if not text:
        return default, None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        return default, translate("progress.bad_date", lang, value=text, date=default.isoformat())
    return min(value, clock.today()), None


def date_args(at: dt.date, default: dt.date) -> dict[str, str]:
    """``at`` for links, only when the page shows another date than the default one."""
    return {} if at == default else {"at": at.isoformat()}


def map_url_maker(lang: str, at: dt.date, default: dt.date) -> Callable[[str, str], str]:
    """Links to the map focused on a feature, at the page's date."""
    return lambda layer, code: url_for("pages.map_page", focus=f"{layer}:{code}", lang=lang, **date_args(at, default))


def project_url_maker(lang: str, at: dt.date, default: dt.date) -> Callable[[str], str]:
    """Links to a project page, at the page's date."""
    return lambda code: url_for("pages.project_page", code=code, lang=lang, **date_args(at, default))


def zone_names(store: Store, lang: str) -> dict[str, str]:
    """Zone code to its name in ``lang`` (the Vietnamese name when there is no English one)."""
    frame = store.read_layer("zones")
    names: dict[str, str] = {}
    for code, name, name_en in zip(frame.get("code", []), frame.get("name", []), frame.get("name_en", [])):
        names[code] = name_en if lang == "en" and isinstance(name_en, str) and name_en else name
    return names
