"""Errors a user meets, each rendered as one line that says what to fix."""
from __future__ import annotations


class MapappError(Exception):
    """Base class: the message is meant for the user, as is."""


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


class NotFound(MapappError):
    """A layer, feature or project that does not exist."""


class ReportRefused(MapappError):
    """A progress report that makes no sense; nothing was stored."""


class EditRefused(MapappError):
    """An attribute edit that does not fit the layer; nothing was stored."""
