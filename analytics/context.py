"""Everything a command or page needs: settings, the plan, the registry and the open store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from analytics.core.settings import Settings, load_settings
from analytics.reference.plan import Plan, load_plan
from analytics.reference.registry import Unit, load_units
from analytics.reference.sync import has_reference, sync_reference
from analytics.store.database import Database, sql


@dataclass
class Context:
    settings: Settings
    plan: Plan
    units: tuple[Unit, ...]
    db: Database

    def default_as_of(self) -> dt.date:
        """The latest activity date within the plan period, else the plan's start."""
        latest = self.db.scalar(sql("latest_activity_date"), {"start": self.plan.start, "deadline": self.plan.deadline})
        return latest or self.plan.start

    def is_demo(self) -> bool:
        return self.db.meta("demo") == "1"

    def close(self) -> None:
        self.db.close()


def available_plans(settings: Settings) -> list[Path]:
    return sorted(settings.plan_path.parent.glob("*.toml"))


def open_context(
    db_path: Path | str | None = None,
    plan_path: Path | None = None,
    read_only: bool = False,
    linger: float | None = None,
) -> Context:
    """The settings, the chosen plan and the store, brought up to that plan.

    read_only: the file is opened read-only (and must exist); a store that has not seen the plan (a new year's
    plan, an edited registry) is first brought up to it through a short write, so no answer is computed against
    missing targets. linger: see Database (the dashboard lets the file go between runs)."""
    settings = load_settings()
    plan = load_plan(plan_path or settings.plan_path, settings.activity_types_path)
    units = load_units(settings.units_path)
    path = db_path or settings.db_path
    db = Database(path, read_only=read_only, linger=linger)
    if read_only:
        if not has_reference(db, plan, units):
            db.close()
            with Database(path) as writer:
                sync_reference(writer, plan, units)
            db = Database(path, read_only=True, linger=linger)
    else:
        sync_reference(db, plan, units)
    return Context(settings, plan, units, db)
