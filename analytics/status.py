"""Per-unit severity, reasons and the `status --json` document, without pandas (the command line starts fast).

attainment.unit_status (pages, the Word report) words its reasons through the same functions, so the command
line and the dashboard say the same thing."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING, Sequence

from analytics.i18n import t
from analytics.text import format_date, format_percent

if TYPE_CHECKING:
    from analytics.db import Database
    from analytics.plan import Plan
    from analytics.settings import LaggingSettings

FLAGS = ("no_activity", "behind_pace", "projected_miss", "silent")
SEVERITIES = ("high", "medium", "low")


def _missing(value) -> bool:
    return value is None or value != value  # None, NaN, NaT


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def reasons(rows: Sequence[dict], plan: "Plan", lagging: "LaggingSettings", as_of: dt.date,
            language: str | None = None) -> list[str]:
    """One unit's lagging reasons from its (unit, target) rows."""
    elapsed = format_percent(float(rows[0]["elapsed"]))
    said = []
    no_activity = [r for r in rows if r["no_activity"]]
    if no_activity:
        said.append(t("lagging.reason.no_activity", language, targets=", ".join(r["target_id"] for r in no_activity),
                      elapsed=elapsed))
    behind = [r for r in rows if r["behind_pace"] and not r["no_activity"]]
    if behind:
        detail = ", ".join(f"{r['target_id']} {r['count']}/{r['minimum']}" for r in behind)
        said.append(t("lagging.reason.behind_pace", language, detail=detail, elapsed=elapsed))
    projected = [r for r in rows if r["projected_miss"] and r["count"] > 0 and not r["behind_pace"]]
    if projected:
        detail = ", ".join(f"{r['target_id']} {r['projected']}/{r['minimum']}" for r in projected)
        said.append(t("lagging.reason.projected_miss", language, detail=detail, deadline=format_date(plan.deadline)))
    if bool(rows[0]["silent"]):
        last = rows[0]["last_activity"]
        if _missing(last):
            said.append(t("lagging.reason.silent_never", language, days=lagging.silent_days))
        else:
            days = (min(as_of, plan.deadline) - _day(last)).days
            said.append(t("lagging.reason.silent", language, days=days, last=format_date(_day(last))))
    return said


def severity(rows: Sequence[dict]) -> str | None:
    kinds = sum(any(bool(r[flag]) for r in rows) for flag in FLAGS)
    if kinds == 0:
        return None
    if any(bool(r["no_activity"]) for r in rows) or kinds >= 3:
        return "high"
    return "medium" if kinds == 2 else "low"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def status_report(db: "Database", plan: "Plan", lagging: "LaggingSettings", as_of: dt.date) -> dict:
    """The `status --json` document."""
    from analytics.db import sql
    params = {"plan_id": plan.id, "start": plan.start, "deadline": plan.deadline, "as_of": as_of,
              **asdict(lagging)}
    targets = db.records(sql("unit_targets"), params)
    by_unit: dict[str, list[dict]] = {}
    for row in targets:
        by_unit.setdefault(row["unit_code"], []).append(row)
    total = db.scalar("SELECT count(*) FROM current_activities "
                      "WHERE activity_date BETWEEN ? AND least(?::DATE, ?::DATE)",
                      [plan.start, as_of, plan.deadline])
    units = []
    for code, rows in by_unit.items():
        level = severity(rows)
        units.append({
            "code": code, "name": rows[0]["unit_name"], "level": rows[0]["level"],
            "attainment": round(_mean([float(r["progress"]) for r in rows]), 4), "lagging": level is not None,
            "severity": level,
            "reasons": reasons(rows, plan, lagging, as_of) if level else [],
            "targets": [{"id": r["target_id"], "count": int(r["count"]), "minimum": int(r["minimum"]),
                         "met": bool(r["met"])} for r in rows],
        })
    pairs = len(targets)
    province = {
        "units": len(units),
        "lagging_units": sum(u["lagging"] for u in units),
        "pairs": pairs,
        "pairs_met": sum(bool(r["met"]) for r in targets),
        "share_met": _mean([float(bool(r["met"])) for r in targets]),
        "attainment": _mean([float(r["progress"]) for r in targets]),
    }
    return {"as_of": as_of.isoformat(), "plan": plan.id, "total_activities": int(total), "province": province,
            "units": units}
