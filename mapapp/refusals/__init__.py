"""Refusal reasons in both UI languages.

A :class:`Reason` is the English reason as a ``str`` (so ``str(exc)``, logs, scripts and the
existing tests read exactly what they read before) that also carries its message key and its
parameters; :meth:`Reason.localized` renders it from the catalog (:mod:`mapapp.refusals.catalog`)
in Vietnamese or English. :func:`line` puts layer, feature and field (their labels in that
language, with the field's code name) in front of it, on one line.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Self

from mapapp.i18n import LANGS


class Both(NamedTuple):
    """A parameter whose text depends on the language (a step's label, a list joined by "or"/"hoặc").

    Formatted as its English text, so the English reason reads as it always did.
    """

    vi: str
    en: str

    def __format__(self, spec: str) -> str:
        return format(self.en, spec)

    def __str__(self) -> str:
        return self.en


class Choices(NamedTuple):
    """The values a field allows, as a refusal lists them: their codes in English (as the messages always did),
    each with its label where the UI has one in Vietnamese (``leased (Đã cho thuê)``: the planner picked a label)."""

    field: str
    values: tuple[str, ...]

    def __format__(self, spec: str) -> str:
        return format(", ".join(self.values), spec)

    def __str__(self) -> str:
        return ", ".join(self.values)


class Reason(str):
    """The English reason text, with ``key`` (in the catalog) and ``params`` to render it in either language.

    ``text`` overrides the English ``str`` value where a message kept a form of its own
    (e.g. the progress reports' bilingual lines); :meth:`localized` always uses the catalog.
    Parameters that are user text stay data: whoever shows the line escapes it.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, text: str | None = None, **params: Any) -> Self:
        from mapapp.refusals.catalog import CATALOG

        en = CATALOG[key][1]
        obj = super().__new__(cls, en.format(**params) if text is None else text)
        obj.key, obj.params = key, params
        return obj

    def __reduce__(self):
        return _rebuild, (self.key, str.__str__(self), self.params)

    def localized(self, lang: str) -> str:
        """The reason in ``lang`` ("vi" or "en"), nested reasons and :class:`Both` parameters in it too."""
        from mapapp.refusals.catalog import CATALOG

        template = CATALOG[self.key][_index(lang)]
        return template.format(**{name: localize(value, lang) for name, value in self.params.items()})


def _rebuild(key: str, text: str, params: dict) -> Reason:
    return Reason(key, text, **params)


def _index(lang: str) -> int:
    return LANGS.index(lang) if lang in LANGS else 0


def localize(value: Any, lang: str) -> Any:
    """``value`` in ``lang`` when it is a :class:`Reason` or :class:`Both`; any other value as it is."""
    if isinstance(value, Reason):
        return value.localized(lang)
    if isinstance(value, Both):
        return value[_index(lang)]
    if isinstance(value, Choices):
        from mapapp.refusals.labels import choices_text

        return choices_text(value.field, value.values, lang)
    return value


def grouped(value: float, spec: str) -> Both:
    """``value`` formatted by ``spec`` (with ``,`` grouping) the Vietnamese way (1.234,5) and the English way (1,234.5)."""
    en = format(value, spec)
    return Both(en.translate(str.maketrans(",.", ".,")), en)


def reason_of(exc: BaseException) -> str:
    """The reason an exception carries: its :class:`Reason` when raised with one, else its text."""
    arg = exc.args[0] if len(exc.args) == 1 else None
    return arg if isinstance(arg, Reason) else str(exc)


def line(lang: str, reason: Any, *, layer: str | None = None, code: str | None = None,
         feature: int | None = None, field: str | None = None) -> str:
    """One line in ``lang``: where (layer, feature, field, by their labels) and why, capitalised."""
    at = where(lang, layer=layer, code=code, feature=feature, field=field)
    why = str(localize(reason, lang))
    text = " ".join((f"{at}: {why}" if at else why).split())
    if not at and _starts_with_a_parameter(reason, lang):
        return text  # a file's or a column's name: as written
    return text[:1].upper() + text[1:]


def _starts_with_a_parameter(reason: Any, lang: str) -> bool:
    from mapapp.refusals.catalog import CATALOG

    return isinstance(reason, Reason) and CATALOG[reason.key][_index(lang)].startswith("{")


def where(lang: str, *, layer: str | None = None, code: str | None = None,
          feature: int | None = None, field: str | None = None) -> str:
    """Layer, feature (code, or 1-based position in a file) and field in ``lang``, by their labels; "" for none."""
    from mapapp.refusals.catalog import CATALOG
    from mapapp.refusals.labels import field_label, layer_label

    i = _index(lang)
    parts = []
    if layer:
        parts.append(CATALOG["where.layer"][i].format(layer=layer_label(layer, lang)))
    if feature is not None:
        key = "where.feature_number_code" if code else "where.feature_number"
        parts.append(CATALOG[key][i].format(number=feature, code=code))
    elif code:
        parts.append(CATALOG["where.feature"][i].format(code=code))
    if field:
        label = field_label(field, lang)
        key = "where.field" if label == field else "where.field_label"
        parts.append(CATALOG[key][i].format(label=label, field=field))
    return ", ".join(parts)
