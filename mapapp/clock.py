"""The date and time as the province sees them: the app's one clock.

Servers often run on UTC (or on any zone); between 00:00 and 07:00 in Vietnam a
report dated "today" would otherwise be refused as being in the future. Nothing
in mapapp reads the machine's local date or zone: "now" is UTC from here, and
"today" is that instant's date in ``MAPAPP_TIMEZONE`` (default Asia/Ho_Chi_Minh).

Tests take "today" from :func:`today`, or pin the clock with :func:`frozen`.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

_frozen: dt.datetime | None = None


def timezone() -> ZoneInfo:
    """The province's zone (``MAPAPP_TIMEZONE``, an IANA name)."""
    return ZoneInfo(os.environ.get("MAPAPP_TIMEZONE", DEFAULT_TIMEZONE))


def now() -> dt.datetime:
    """The current instant, timezone-aware in UTC (or the frozen instant)."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """Today's date in the province's time zone (``MAPAPP_TIMEZONE``, default Asia/Ho_Chi_Minh)."""
    return now().astimezone(timezone()).date()


def stamp() -> str:
    """``now()`` as the ISO text stored in ``created_at``/``changed_at`` columns (UTC, seconds)."""
    return now().isoformat(timespec="seconds")


@contextlib.contextmanager
def frozen(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Pin the app's clock to ``moment`` (aware; a naive one is taken as UTC) inside the block."""
    global _frozen
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    previous, _frozen = _frozen, moment.astimezone(dt.timezone.utc)
    try:
        yield _frozen
    finally:
        _frozen = previous


def local_time(stamp: str | None, lang: str) -> str:
    """A stored UTC timestamp as the board reads it: 25/11/2026 15:26 (vi) or 2026-11-25 15:26 (en)."""
    if not stamp:
        return ""
    moment = dt.datetime.fromisoformat(stamp).astimezone(timezone())
    return moment.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")
