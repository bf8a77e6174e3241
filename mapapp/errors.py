"""Errors a user meets, each rendered as one line that says what to fix."""
from __future__ import annotations

from mapapp.refusals import LANGS, Both, Reason, line, localize, where


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class MapappError(Exception):
    """Base class: the message is meant for the user, as is.

    :meth:`localized` gives it in the UI's language where it was raised with a
    :class:`mapapp.refusals.Reason`; ``str(exc)`` stays the English line (stable for scripts).
    """

    def localized(self, lang: str) -> str:
        """The line in ``lang`` ("vi" or "en")."""
        arg = self.args[0] if len(self.args) == 1 else None
        return arg.localized(lang) if isinstance(arg, Reason) else str(self)

    def messages(self) -> dict[str, str]:
        """The line in every UI language, for a JSON answer's ``message``."""
        return {lang: self.localized(lang) for lang in LANGS}


class SettingError(MapappError, ValueError):
    """A setting (environment variable) holds a value mapapp cannot use; the message names it."""


class ImportRefused(MapappError):
    """An import was refused; nothing was stored.

    The message names the feature (1-based position and code when known), the
    field and the reason, on one line.
    """

    def __init__(
        self,
        reason: str,
        *,
        feature: int | None = None,
        code: str | None = None,
        field: str | None = None,
        layer: str | None = None,
    ) -> None:
        self.reason = reason
        self.feature = feature
        self.code = code
        self.field = field
        self.layer = layer
        super().__init__(self._line())

    def _line(self) -> str:
        parts = []
        if self.layer:
            parts.append(f"layer {self.layer}")
        if self.feature is not None:
            where = f"feature {self.feature}"
            if self.code:
                where += f" (code {self.code})"
            parts.append(where)
        if self.field:
            parts.append(f"field {self.field}")
        prefix = ", ".join(parts)
        text = f"{prefix}: {self.reason}" if prefix else self.reason
        return " ".join(text.split())

    def localized(self, lang: str) -> str:
        """The line in ``lang``, layer and field by their labels."""
        return line(lang, self.reason, layer=self.layer, feature=self.feature, code=self.code, field=self.field)


class NotFound(MapappError):
    """A layer, feature or project that does not exist."""


class ReportRefused(MapappError):
    """A progress report that makes no sense; nothing was stored.

    ``field``: the report's field at fault (the line is then ``field: reason``).
    """

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        self.reason, self.field = reason, field
        super().__init__(f"{field}: {reason}" if field else reason)

    def localized(self, lang: str) -> str:
        """The line in ``lang``, the field by its label."""
        return line(lang, self.reason, field=self.field)


class EditRefused(MapappError):
    """An attribute edit that does not fit the layer; nothing was stored."""


class StoreBusy(MapappError):
    """The write lock could not be had in time; nothing was stored (web: 503 with Retry-After)."""


class ChangeRefused(EditRefused):
    """A change the write path refused; nothing was stored.

    One line naming the layer, the feature, the field and the reason.
    """

    def __init__(self, reason: str, *, layer: str | None = None, code: str | None = None, field: str | None = None) -> None:
        self.reason, self.layer, self.code, self.field = reason, layer, code, field
        where = ", ".join(p for p in (
            f"layer {layer}" if layer else "",
            f"feature {code}" if code else "",
            f"field {field}" if field else "",
        ) if p)
        super().__init__(" ".join((f"{where}: {reason}" if where else reason).split()))

    def localized(self, lang: str) -> str:
        """The line in ``lang``, layer and field by their labels."""
        return line(lang, self.reason, layer=self.layer, code=self.code, field=self.field)


class VersionConflict(MapappError):
    """The feature changed since the writer read it (HTTP 412); nothing was stored."""

    def __init__(self, layer: str, code: str, version: int, changed_by: str | None, changed_at: str | None) -> None:
        self.layer, self.code, self.version, self.changed_by, self.changed_at = layer, code, version, changed_by, changed_at
        who = f" by {changed_by}" if changed_by else ""
        when = f" at {changed_at}" if changed_at else ""
        super().__init__(f"layer {layer}, feature {code}: changed{who}{when} since you opened it (now version {version}); reload it and apply your change again")

    def localized(self, lang: str) -> str:
        """The line in ``lang``: who changed the feature and when, and what to do."""
        who = Reason("conflict.who", name=self.changed_by) if self.changed_by else ""
        when = Reason("conflict.when", at=self.changed_at) if self.changed_at else ""
        at = where(lang, layer=self.layer, code=self.code)
        text = localize(Reason("conflict.changed", where=at, who=who, when=when, version=self.version), lang)
        return text[:1].upper() + text[1:]


class ConfirmationNeeded(MapappError):
    """The change is allowed but needs the writer's confirmation (HTTP 409); nothing was stored yet."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = list(warnings)
        super().__init__("confirm to save: " + "; ".join(self.warnings))

    def localized(self, lang: str) -> str:
        """The line in ``lang``: each warning in it (those raised as a :class:`Reason`) in that language."""
        said = Both(*("; ".join(str(localize(w, other)) for w in self.warnings) for other in LANGS))
        text = localize(Reason("change.confirm", warnings=said), lang)
        return text[:1].upper() + text[1:]

    def warning_lines(self) -> dict[str, list[str]]:
        """Each warning in every UI language, capitalised, for a JSON answer."""
        return {lang: [_capital(str(localize(w, lang))) for w in self.warnings] for lang in LANGS}


class Forbidden(MapappError):
    """The signed-in user's role does not allow this (HTTP 403)."""
