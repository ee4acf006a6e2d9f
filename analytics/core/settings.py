"""Settings from data/settings.toml, overridable by ANTQ_* environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"


@dataclass(frozen=True)
class LaggingSettings:
    pace_tolerance: float = 0.25
    no_activity_after: float = 0.5
    silent_days: int = 60
    projection_min_elapsed: float = 0.25


@dataclass(frozen=True)
class DistrictSettings:
    """When a district (or the province) is judged behind: see attainment.district_statuses."""

    pace_tolerance: float = 0.10
    lagging_share: float = 1 / 3
    not_started_counts: bool = True


@dataclass(frozen=True)
class Settings:
    plan_path: Path
    activity_types_path: Path
    units_path: Path
    db_path: Path
    geojson_path: Path | None
    lagging: LaggingSettings
    language: str = "vi"
    district: DistrictSettings = DistrictSettings()


def _resolve(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _setting(name: str, raw: dict, key: str, base: Path) -> Path:
    """An environment variable's relative path is the user's (working directory); the file's is data/'s."""
    if os.environ.get(name):
        return Path(os.environ[name]).expanduser().resolve()
    return _resolve(raw[key], base)


_ENV = ("ANTQ_PLAN", "ANTQ_UNITS", "ANTQ_DB", "ANTQ_GEOJSON", "ANTQ_LANG")
_loaded: dict[tuple, Settings] = {}


def load_settings(path: Path | None = None) -> Settings:
    """Read again only when the file, the ANTQ_* variables or the working directory changed (a dashboard rerun
    asks a few dozen times; reading and parsing each time cost ~100 ms of a rerun)."""
    path = Path(os.environ.get("ANTQ_SETTINGS", path or DATA_DIR / "settings.toml"))
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, os.getcwd(), *(os.environ.get(name) for name in _ENV))
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = _read_settings(path)
    return _loaded[key]


def _read_settings(path: Path) -> Settings:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    base = path.parent
    geojson = os.environ.get("ANTQ_GEOJSON") or raw.get("geojson", "")
    return Settings(
        plan_path=_setting("ANTQ_PLAN", raw, "plan", base),
        activity_types_path=_resolve(raw["activity_types"], base),
        units_path=_setting("ANTQ_UNITS", raw, "units", base),
        db_path=_setting("ANTQ_DB", raw, "db", base),
        geojson_path=(_setting("ANTQ_GEOJSON", raw, "geojson", base) if geojson else None),
        lagging=LaggingSettings(**raw.get("lagging", {})),
        language=os.environ.get("ANTQ_LANG", raw.get("language", "vi")),
        district=DistrictSettings(**raw.get("district", {})),
    )
