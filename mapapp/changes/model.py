"""What a change is made of: who makes it, what it proposes, what it did."""
from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from typing import Any

VIA = ("web", "api", "cli", "import")


@dataclass(frozen=True)
class Actor:
    """Who writes and how: a user's name (or the system user running the command line) and the channel.

    ``source`` names an imported file with its sha256, so an import can be traced to its bytes.
    """

    name: str
    via: str
    source: str | None = None

    def __post_init__(self) -> None:
        if self.via not in VIA:
            raise ValueError(f"via must be one of {', '.join(VIA)}")
        if not self.name:
            raise ValueError("an actor needs a name")

    @classmethod
    def command_line(cls, as_name: str | None = None, via: str = "cli", source: str | None = None) -> "Actor":
        """The operator at the command line: the system user running it, or ``--as NAME``."""
        return cls(as_name or getpass.getuser(), via, source)


@dataclass
class Edit:
    """One feature's proposed state.

    ``values``: typed values of spec fields (only those given change); ``props``: extra
    attributes (None keeps the stored ones); ``geometry``: a WGS84 shapely geometry
    (None keeps the stored one); ``if_version``: the version the writer read (HTTP
    If-Match, a form's hidden field), None when the writer does not claim one.
    """

    code: str
    values: dict[str, Any]
    props: dict[str, Any] | None = None
    geometry: Any = None
    if_version: int | None = None


@dataclass
class ChangeResult:
    """What a change did: codes per outcome, the warnings confirmed, the audit change id."""

    change_id: str = ""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    conflicts: int | None = None

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("added", "changed", "unchanged", "retired", "restored")}
