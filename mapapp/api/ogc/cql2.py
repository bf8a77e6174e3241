"""A small CQL2-text parser (OGC 21-065, Basic CQL2): comparisons joined by AND / OR / NOT.

Grammar (keywords case-insensitive, AND binds tighter than OR, parentheses group)::

    expr       := and ("OR" and)*
    and        := not ("AND" not)*
    not        := "NOT" not | "(" expr ")" | predicate
    predicate  := property op value | property "IS" ["NOT"] "NULL"
                | property ["NOT"] "LIKE" string | property ["NOT"] "IN" "(" value ("," value)* ")"
                | property ["NOT"] "BETWEEN" value "AND" value
    op         := "=" | "<>" | "<" | "<=" | ">" | ">="
    value      := 'text' ('' escapes a quote) | number | TRUE | FALSE | DATE('YYYY-MM-DD')
    property   := name | "quoted name"

:func:`parse` gives a condition as plain tuples — ``("and", [..])``, ``("or", [..])``,
``("not", c)``, ``("isnull", prop)``, ``(op, prop, value)`` with op one of the comparisons,
``like`` or ``in`` — the shape :meth:`mapapp.store.backend.Store.read_page` takes once
:func:`bind` has checked the properties and mapped them to stored columns.
:func:`mask` evaluates a bound condition on a frame (collections not paged in SQL).
Errors are :class:`CQLError` (a ``ValueError``) with the position and what was expected.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mapapp.api.ogc.catalogue import Queryable

COMPARISONS = ("=", "<>", "<=", ">=", "<", ">")
_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<op><>|<=|>=|=|<|>)|(?P<punct>[(),])|(?P<quoted>\"[^\"]+\")|(?P<word>[A-Za-z_][A-Za-z0-9_.:-]*))"
)
_KEYWORDS = {"AND", "OR", "NOT", "LIKE", "IN", "BETWEEN", "IS", "NULL", "TRUE", "FALSE", "DATE"}


class CQLError(ValueError):
    """A filter that is not CQL2 text this server understands, or names a property it does not have."""


def _tokens(text: str) -> list[tuple[str, Any, int]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise CQLError(f"filter: unexpected {text[pos:].strip()[:15]!r} at character {pos + 1}")
        kind = match.lastgroup
        raw = match.group(kind)
        start = match.start(kind)
        if kind == "string":
            out.append(("value", raw[1:-1].replace("''", "'"), start))
        elif kind == "number":
            out.append(("value", float(raw) if any(c in raw for c in ".eE") else int(raw), start))
        elif kind == "quoted":
            out.append(("prop", raw[1:-1], start))
        elif kind == "word" and raw.upper() in _KEYWORDS:
            out.append(("kw", raw.upper(), start))
        elif kind == "word":
            out.append(("prop", raw, start))
        else:
            out.append((kind, raw, start))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self, kind: str, value: Any = None) -> bool:
        if self.i >= len(self.tokens):
            return False
        k, v, _ = self.tokens[self.i]
        return k == kind and (value is None or v == value)

    def take(self, kind: str, value: Any = None, what: str = "") -> Any:
        if not self.peek(kind, value):
            where = f"at character {self.tokens[self.i][2] + 1}" if self.i < len(self.tokens) else "at the end"
            raise CQLError(f"filter: expected {what or value or kind} {where}")
        self.i += 1
        return self.tokens[self.i - 1][1]

    def expr(self) -> tuple:
        parts = [self.conj()]
        while self.peek("kw", "OR"):
            self.i += 1
            parts.append(self.conj())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def conj(self) -> tuple:
        parts = [self.neg()]
        while self.peek("kw", "AND"):
            self.i += 1
            parts.append(self.neg())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def neg(self) -> tuple:
        if self.peek("kw", "NOT"):
            self.i += 1
            return ("not", self.neg())
        if self.peek("punct", "("):
            self.i += 1
            inner = self.expr()
            self.take("punct", ")", "')'")
            return inner
        return self.predicate()

    def value(self) -> Any:
        if self.peek("value"):
            return self.take("value")
        if self.peek("kw", "TRUE") or self.peek("kw", "FALSE"):
            return self.take("kw") == "TRUE"
        if self.peek("kw", "DATE"):
            self.i += 1
            self.take("punct", "(", "'(' after DATE")
            text = self.take("value", what="a date in quotes")
            self.take("punct", ")", "')'")
            try:
                return dt.date.fromisoformat(str(text)).isoformat()
            except ValueError:
                raise CQLError(f"filter: DATE({text!r}) is not a date YYYY-MM-DD") from None
        return self.take("value", what="a value ('text', a number, TRUE/FALSE or DATE('YYYY-MM-DD'))")

    def predicate(self) -> tuple:
        prop = self.take("prop", what="a property name")
        if self.peek("op"):
            op = self.take("op")
            return (op, prop, self.value())
        if self.peek("kw", "IS"):
            self.i += 1
            negate = self.peek("kw", "NOT")
            self.i += negate
            self.take("kw", "NULL", "NULL")
            return ("not", ("isnull", prop)) if negate else ("isnull", prop)
        negate = self.peek("kw", "NOT")
        self.i += negate
        if self.peek("kw", "LIKE"):
            self.i += 1
            found = ("like", prop, self.take("value", what="a pattern in quotes"))
        elif self.peek("kw", "IN"):
            self.i += 1
            self.take("punct", "(", "'('")
            values = [self.value()]
            while self.peek("punct", ","):
                self.i += 1
                values.append(self.value())
            self.take("punct", ")", "')'")
            found = ("in", prop, values)
        elif self.peek("kw", "BETWEEN"):
            self.i += 1
            low = self.value()
            self.take("kw", "AND", "AND")
            found = ("and", [(">=", prop, low), ("<=", prop, self.value())])
        else:
            return self.take("op", what="a comparison (=, <>, <, <=, >, >=, LIKE, IN, BETWEEN, IS NULL)")
        return ("not", found) if negate else found


def parse(text: str) -> tuple:
    """CQL2 text to a condition on property names; :class:`CQLError` if it is not one."""
    if not text or not text.strip():
        raise CQLError("filter is empty")
    parser = _Parser(text)
    found = parser.expr()
    if parser.i != len(parser.tokens):
        raise CQLError(f"filter: unexpected {parser.tokens[parser.i][1]!r} at character {parser.tokens[parser.i][2] + 1}")
    return found


def _coerce(q: Queryable, value: Any) -> Any:
    """A literal as the property's type (numbers scaled to the stored column); :class:`CQLError` if it cannot be."""
    if q.type in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CQLError(f"filter: {q.name} is a number, not {value!r}")
        return value * q.scale if q.scale != 1.0 else value
    if not isinstance(value, str):
        raise CQLError(f"filter: {q.name} is text; put the value in quotes: {q.name}='{value}'")
    return value


def bind(condition: tuple, queryables: Mapping[str, Queryable]) -> tuple:
    """The condition on stored columns with typed values; :class:`CQLError` for an unknown property or a mistyped value."""
    op = condition[0]
    if op in ("and", "or"):
        return (op, [bind(c, queryables) for c in condition[1]])
    if op == "not":
        return ("not", bind(condition[1], queryables))
    name = condition[1]
    q = queryables.get(name)
    if q is None:
        raise CQLError(f"filter: unknown property {name!r}; queryables are: {', '.join(queryables)}")
    if op == "isnull":
        return ("isnull", q.column)
    if op == "in":
        return ("in", q.column, [_coerce(q, v) for v in condition[2]])
    if op == "like":
        return ("like", q.column, _coerce(q, condition[2]))
    return (op, q.column, _coerce(q, condition[2]))


def _like(pattern: str) -> re.Pattern:
    parts = ("." if ch == "_" else ".*" if ch == "%" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def mask(frame: pd.DataFrame, condition: tuple) -> np.ndarray:
    """Which rows of ``frame`` meet a bound condition (SQL semantics: a comparison with a missing value is false)."""
    op = condition[0]
    if op in ("and", "or"):
        parts = [mask(frame, c) for c in condition[1]]
        return np.logical_and.reduce(parts) if op == "and" else np.logical_or.reduce(parts)
    if op == "not":
        return ~mask(frame, condition[1])
    column = frame[condition[1]]
    if op == "isnull":
        return column.isna().to_numpy()
    present = column.notna().to_numpy()
    value = condition[2]
    if op == "in":
        return present & column.isin(value).to_numpy()
    if op == "like":
        pattern = _like(value)
        return present & column.map(lambda v: isinstance(v, str) and bool(pattern.match(v))).to_numpy(dtype=bool)
    compare = {"=": "eq", "<>": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}[op]
    return present & getattr(column, compare)(value).fillna(False).to_numpy(dtype=bool)
