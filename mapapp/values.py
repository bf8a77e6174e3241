"""The one value parser: every value that enters mapapp (import, ``mapapp set``, PATCH, forms) passes here.

Values are parsed strictly and never coerced into something else: ``"47,5"`` is not
475, NaN is not "no value", ``{"a": 1}`` is not the text ``"{'a': 1}"``. A value that
does not fit raises :class:`ValueError` whose message is the reason, naming the value;
callers add the feature and the field.

Rules (issue "Files in and out as a provincial GIS office works"):

- numbers: JSON numbers, or plain dot-decimal text (``47.5``, ``-3``, ``1200``);
  comma decimals and grouped numbers are refused unless the source declares
  Vietnamese numbers (``NumberFormat.VI``: ``1.234,5`` = 1234.5); NaN and
  Infinity refused; booleans are not numbers;
- text: NFC, outer blank space removed, at most the field's ``max_length``
  characters; objects and lists refused (they are kept as JSON only among the
  extra attributes of an import);
- codes: text exactly as written; a number gives its integer text (``103.0`` →
  ``"103"``, never a float);
- dates: ``YYYY-MM-DD``; a timestamp gives its calendar date in its own offset
  (or, without one, as written: the province's local date); ``dd/mm/yyyy`` only
  where declared (``DateFormat.DMY``); dates outside 1990-01-01..2100-12-31 refused.
"""
from __future__ import annotations

import datetime as dt
import enum
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from mapapp.layers import Field
from mapapp.refusals import Choices, Reason

# The plausible range of every date mapapp stores (whole-feature rule of the trust issue).
MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
# Integer columns are 32-bit on PostgreSQL: the common range of both backends.
INT_MAX = 2**31 - 1
# Money, areas and other real numbers: beyond this no value of the board is plausible,
# and doubles stop holding whole VND exactly (2**53 ≈ 9.007e15).
FLOAT_MAX = 9e15

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_VI_NUMBER = re.compile(r"[+-]?\d{1,3}(\.\d{3})*(,\d+)?|[+-]?\d+(,\d+)?")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class NumberFormat(enum.Enum):
    """How number text is written in a source: ``plain`` (1234.5) or ``vi`` (1.234,5)."""

    PLAIN = "plain"
    VI = "vi"


class DateFormat(enum.Enum):
    """How date text is written in a source: ``iso`` (2018-02-05) or ``dmy`` (05/02/2018)."""

    ISO = "iso"
    DMY = "dmy"


@dataclass(frozen=True)
class ValueFormat:
    """What a source declares about its text: ``--number-format`` and ``--date-format``."""

    numbers: NumberFormat = NumberFormat.PLAIN
    dates: DateFormat = DateFormat.ISO


PLAIN = ValueFormat()


def nfc(text: str) -> str:
    """Unicode NFC: the composed and decomposed forms of ``KCN-HẬU`` are one code."""
    return unicodedata.normalize("NFC", text)


def is_missing(value: Any, nan_missing: bool = True) -> bool:
    """None, NA/NaT, blank text, or (``nan_missing``, as in a table read from a file) NaN: no value.

    A JSON body or a form has ``null`` for "no value": there a NaN is a value, and refused.
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (dict, list, tuple, np.ndarray)):
        return False
    if isinstance(value, (float, np.floating)):
        return nan_missing and math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _too_long(text: str, max_length: int) -> Reason:
    return Reason("value.too_long", length=len(text), max=max_length)


def _out_of_range(day: dt.date) -> Reason:
    return Reason("value.date_range", day=day.isoformat(), min=MIN_DATE.isoformat(), max=MAX_DATE.isoformat())


def _refuse_container(value: Any) -> None:
    if isinstance(value, (dict, list, tuple, set, np.ndarray)):
        raise ValueError(Reason("value.object" if isinstance(value, dict) else "value.list", value=_describe(value)))


def parse_number(value: Any, fmt: ValueFormat = PLAIN) -> float:
    """A finite real number from a JSON number or number text; ``ValueError`` with the reason otherwise."""
    _refuse_container(value)
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(Reason("value.not_number", value=repr(value)))
    if isinstance(value, (int, np.integer)):
        number = float(value)
    elif isinstance(value, (float, np.floating)):
        number = float(value)
    elif isinstance(value, Decimal):
        number = float(value)
    elif isinstance(value, str):
        number = _number_text(nfc(value).strip(), fmt)
    else:
        raise ValueError(Reason("value.not_number", value=_describe(value)))
    if not math.isfinite(number):
        raise ValueError(Reason("value.not_finite", value=_describe(value)))
    return number


def _number_text(text: str, fmt: ValueFormat) -> float:
    if fmt.numbers is NumberFormat.VI:
        if not _VI_NUMBER.fullmatch(text):
            raise ValueError(Reason("value.not_vi_number", value=repr(text)))
        return float(text.replace(".", "").replace(",", "."))
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    if re.fullmatch(r"[+-]?[\d.,\s]+", text) and any(c.isdigit() for c in text):
        raise ValueError(Reason("value.not_plain_number", value=repr(text)))
    raise ValueError(Reason("value.not_number", value=repr(text)))


def parse_integer(value: Any, fmt: ValueFormat = PLAIN) -> int:
    """A whole number within the integer column's range."""
    if isinstance(value, str) and fmt.numbers is NumberFormat.PLAIN and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        number: float | int = int(value)
    elif isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        number = int(value)
    else:
        number = parse_number(value, fmt)
        if not float(number).is_integer():
            raise ValueError(Reason("value.not_whole", value=_describe(value)))
        number = int(number)
    if abs(number) > INT_MAX:
        raise ValueError(Reason("value.int_too_big", number=number, max=INT_MAX))
    return int(number)


def parse_code(value: Any) -> str:
    """A feature code as text exactly as written; a number gives its integer text (no ``.0``, no float)."""
    _refuse_container(value)
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(Reason("value.not_code", value=repr(value)))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(Reason("value.not_code", value=repr(value)))
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    if isinstance(value, Decimal):
        try:
            return str(value.to_integral_exact()) if value == value.to_integral_value() else str(value)
        except InvalidOperation:
            raise ValueError(Reason("value.not_code", value=repr(value))) from None
    if not isinstance(value, str):
        raise ValueError(Reason("value.not_code", value=_describe(value)))
    return nfc(value).strip()


def code_or_none(value: Any) -> str | None:
    """A feature's code for messages and look-ups, or None when it has none (or none that reads as a code)."""
    if is_missing(value):
        return None
    try:
        return parse_code(value)
    except ValueError:
        return None


def parse_text(value: Any, max_length: int | None = None) -> str:
    """Text in NFC without outer blank space; a number gives its text (integer text when whole)."""
    _refuse_container(value)
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(Reason("value.bool_not_text", value=repr(value)))
    if isinstance(value, (int, np.integer, float, np.floating)):
        text = parse_code(value)
    elif isinstance(value, str):
        text = nfc(value).strip()
    else:
        raise ValueError(Reason("value.not_text", value=_describe(value)))
    if "\x00" in text:
        raise ValueError(Reason("value.nul"))
    if max_length is not None and len(text) > max_length:
        raise ValueError(_too_long(text, max_length))
    return text


def parse_date(value: Any, fmt: ValueFormat = PLAIN) -> dt.date:
    """A calendar date; a timestamp gives its date in its own offset (never converted to the machine's zone)."""
    _refuse_container(value)
    # pandas' and numpy's "not a time" pass as datetimes (NaT subclasses datetime) but compare with nothing
    if value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value)):
        raise ValueError(Reason("value.nat"))
    if isinstance(value, pd.Timestamp):
        day = value.date()  # the wall-clock date in the timestamp's own offset
    elif isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, np.datetime64):
        day = pd.Timestamp(value).date()
    elif isinstance(value, str):
        day = _date_text(nfc(value).strip(), fmt)
    else:
        raise ValueError(Reason("value.not_date", value=_describe(value)))
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(_out_of_range(day))
    return day


def _date_text(text: str, fmt: ValueFormat) -> dt.date:
    if fmt.dates is DateFormat.DMY:
        match = _DMY.fullmatch(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(Reason("value.invalid_dmy", value=repr(text))) from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(Reason("value.invalid_date", value=repr(text))) from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", text):
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            raise ValueError(Reason("value.invalid_timestamp", value=repr(text))) from None
    if _DMY.fullmatch(text):
        raise ValueError(Reason("value.dmy_undeclared", value=repr(text)))
    raise ValueError(Reason("value.not_date", value=repr(text)))


def parse_value(field: Field, value: Any, fmt: ValueFormat = PLAIN, nan_missing: bool = False) -> Any:
    """``value`` typed for ``field`` (None when missing), or ``ValueError`` with the reason.

    ``nan_missing`` is for tables read from files, where a float column holds NaN for
    "no value"; elsewhere (JSON, forms, the command line) NaN is refused.

    Checks the field's enumeration (``choices``), its range (``minimum``,
    ``maximum``; real numbers also within ±9e15 and whole numbers within 32 bits,
    the columns' range on both backends) and its text length (``max_length``).
    """
    if is_missing(value, nan_missing):
        if isinstance(value, str) and field.type == "str" and field.max_length is not None and len(value) > field.max_length:
            raise ValueError(_too_long(value, field.max_length))
        return None
    if field.type == "str":
        text = parse_code(value) if field.name == "code" or field.ref else parse_text(value, field.max_length)
        if field.max_length is not None and len(text) > field.max_length:
            raise ValueError(_too_long(text, field.max_length))
        if field.choices and text not in field.choices:
            raise ValueError(Reason("value.not_choice", value=repr(text), choices=Choices(field.name, tuple(field.choices))))
        return text
    if field.type in ("float", "int"):
        number: float | int = parse_integer(value, fmt) if field.type == "int" else parse_number(value, fmt)
        if field.type == "float" and abs(number) > FLOAT_MAX:
            raise ValueError(Reason("value.float_too_big", number=number, max=FLOAT_MAX))
        if field.minimum is not None and number < field.minimum:
            raise ValueError(Reason("value.below_min", number=number, min=field.minimum))
        if field.maximum is not None and number > field.maximum:
            raise ValueError(Reason("value.above_max", number=number, max=field.maximum))
        return number
    if field.type == "date":
        return parse_date(value, fmt).isoformat()
    if field.type == "curve":
        from mapapp.analysis.planned_curve import format_curve, parse_curve

        text = parse_text(value, field.max_length)
        points = parse_curve(text)
        for day, _ in points:
            if not MIN_DATE <= day <= MAX_DATE:
                raise ValueError(_out_of_range(day))
        return format_curve(points)
    raise AssertionError(f"unknown field type {field.type!r}")
