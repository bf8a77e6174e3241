"""The date as the province sees it.

Servers often run on UTC; between 00:00 and 07:00 in Vietnam a report dated
"today" would otherwise be refused as being in the future.
"""
from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def timezone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("MAPAPP_TIMEZONE", DEFAULT_TIMEZONE))


def today() -> dt.date:
    """Today's date in the province's time zone (``MAPAPP_TIMEZONE``, default Asia/Ho_Chi_Minh)."""
    return dt.datetime.now(timezone()).date()


def local_time(stamp: str | None, lang: str) -> str:
    """A stored UTC timestamp as the board reads it: 25/11/2026 15:26 (vi) or 2026-11-25 15:26 (en)."""
    if not stamp:
        return ""
    moment = dt.datetime.fromisoformat(stamp).astimezone(timezone())
    return moment.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")
