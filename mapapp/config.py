"""Settings from the environment, with defaults that give a working app on a fresh clone."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mapapp.errors import SettingError

REPO_ROOT = Path(__file__).resolve().parents[1]
INSTANCE_DIR = Path(os.environ.get("MAPAPP_INSTANCE", REPO_ROOT / "instance"))


def default_database() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'mapapp.sqlite'}"


@dataclass(frozen=True)
class Settings:
    """``MAPAPP_DATABASE`` is an SQLAlchemy URL (SQLite file by default, or postgresql://...)."""

    database: str
    tolerance_m2: float = 1.0
    tolerance_m: float = 1.0
    # A change of more features than this recomputes every conflict; fewer, only theirs.
    conflicts_full_above: int = 2000
    basemap: str = "osm"
    stale_days: int = 60
    max_features: int = 5000
    # Layers with more features than this are drawn from vector tiles (/tiles/…) at every zoom.
    tile_threshold: int = 20_000
    # From this zoom on a tile holds each feature (clickable); below it, features of one colour are merged.
    tile_feature_zoom: int = 13
    # Memory for built tiles per app process (keyed by data version: never stale).
    tile_cache_mb: int = 64
    behind_proxy: bool = False
    # Host names served (Host header); others get 400, so DNS rebinding cannot reach the app.
    trusted_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
    # The waitress server of ``mapapp serve`` (see mapapp.serving for why these defaults).
    threads: int = 8
    connection_limit: int = 1000
    channel_timeout: int = 120

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            database=env.get("MAPAPP_DATABASE") or default_database(),
            tolerance_m2=float(env.get("MAPAPP_CONFLICT_TOLERANCE_M2", 1.0)),
            tolerance_m=float(env.get("MAPAPP_CONFLICT_TOLERANCE_M", 1.0)),
            conflicts_full_above=int(env.get("MAPAPP_CONFLICTS_FULL_ABOVE", 2000)),
            basemap=env.get("MAPAPP_BASEMAP", "osm"),
            stale_days=int(env.get("MAPAPP_STALE_DAYS", 60)),
            max_features=int(env.get("MAPAPP_MAX_FEATURES", 5000)),
            tile_threshold=int(env.get("MAPAPP_TILE_THRESHOLD", 20_000)),
            tile_feature_zoom=int(env.get("MAPAPP_TILE_FEATURE_ZOOM", 13)),
            tile_cache_mb=int(env.get("MAPAPP_TILE_CACHE_MB", 64)),
            behind_proxy=env.get("MAPAPP_BEHIND_PROXY", "") in ("1", "true", "yes"),
            trusted_hosts=tuple(h.strip() for h in env.get("MAPAPP_TRUSTED_HOSTS", "localhost,127.0.0.1,::1").split(",") if h.strip()),
            threads=_positive(env, "MAPAPP_THREADS", cls.threads),
            connection_limit=_positive(env, "MAPAPP_CONNECTION_LIMIT", cls.connection_limit),
            channel_timeout=_positive(env, "MAPAPP_CHANNEL_TIMEOUT", cls.channel_timeout),
        )


def _positive(env, name: str, default: int) -> int:
    """A whole number ≥ 1 from ``env[name]`` (else ``default``); :class:`SettingError` naming the setting otherwise."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SettingError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return value
