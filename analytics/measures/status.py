"""Per-unit severity, reasons and the `status --json` document, without pandas (the command line starts fast).

attainment.unit_status (pages, the Word report) words its reasons through the same functions, so the command
line and the dashboard say the same thing."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING, Sequence

from analytics.core.i18n import t
from analytics.core.text import format_date, format_percent

if TYPE_CHECKING:
    from analytics.core.settings import DistrictSettings, LaggingSettings
    from analytics.reference.plan import Plan
    from analytics.store.database import Database

FLAGS = ("no_activity", "behind_pace", "projected_miss", "silent")
# A unit's figures in the frames of the pages (attainment.unit_status adds severity and reasons)
UNIT_SUMMARY_COLUMNS = (
    "code",
    "name",
    "level",
    "district_code",
    "targets_total",
    "targets_met",
    "attainment",
    "activities_counted",
    "last_activity",
    "lagging",
)
SEVERITIES = ("high", "medium", "low")
DISTRICT_STATUSES = ("met", "on_track", "behind")
DISTRICT_STATUS_RANK = {"behind": 0, "on_track": 1, "met": 2}
UNIT_STATUSES = ("met", "on_track", "lagging")  # a unit, or a (unit, target) pair, as the charts colour it
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}  # most severe first


def status_word(status: str, language: str | None = None) -> str:
    """The word for a status (met, on_track, lagging, behind): the pages, their files and the Word report."""
    return t(f"status.{status}", language)


def status_words(statuses: Sequence[str], language: str | None = None) -> dict[str, str]:
    return {status: status_word(status, language) for status in statuses}


def _missing(value) -> bool:
    return value is None or value != value  # None, NaN, NaT


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def reasons(
    rows: Sequence[dict], plan: "Plan", lagging: "LaggingSettings", as_of: dt.date, language: str | None = None
) -> list[str]:
    """One unit's lagging reasons from its (unit, target) rows."""
    elapsed = format_percent(float(rows[0]["elapsed"]))
    said = []
    no_activity = [r for r in rows if r["no_activity"]]
    if no_activity:
        said.append(
            t(
                "lagging.reason.no_activity",
                language,
                targets=", ".join(r["target_id"] for r in no_activity),
                elapsed=elapsed,
            )
        )
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


# -- districts and the province ------------------------------------------------------------------------------
def lagging_units(targets: Sequence[dict]) -> set[str]:
    """Units with any lagging flag on any of their targets."""
    return {r["unit_code"] for r in targets if any(bool(r[flag]) for flag in FLAGS)}


def judge(rows: Sequence[dict], lagging: set[str], rule: "DistrictSettings", language: str | None = None) -> dict:
    """Status and reasons of a pool of (unit, target) pairs: a district union with its communes, or the province.

    Behind when the pooled attainment trails the elapsed share by more than rule.pace_tolerance, or at least
    rule.lagging_share of its units lag, or (rule.not_started_counts) a target has no activity past mid-period;
    met when every pair is met; otherwise on track. The first reason is the main cause."""
    units = list(dict.fromkeys(r["unit_code"] for r in rows))
    lagging_count = sum(code in lagging for code in units)
    pairs, pairs_met = len(rows), sum(bool(r["met"]) for r in rows)
    attainment = _mean([float(r["progress"]) for r in rows])
    elapsed = float(rows[0]["elapsed"]) if pairs else 0.0
    not_started_units: dict[str, set[str]] = {}
    for r in rows:
        if r["no_activity"]:
            not_started_units.setdefault(r["target_id"], set()).add(r["unit_code"])
    not_started = sorted(
        ((target, len(codes)) for target, codes in not_started_units.items()), key=lambda item: -item[1]
    )
    by_pace = pairs_met < pairs and attainment < elapsed - rule.pace_tolerance
    by_share = len(units) > 0 and lagging_count / len(units) >= rule.lagging_share - 1e-9
    by_not_started = rule.not_started_counts and len(not_started) > 0
    state = (
        "met" if pairs and pairs_met == pairs else "behind" if (by_pace or by_share or by_not_started) else "on_track"
    )
    share = t("district.reason.lagging_units", language, lagging=lagging_count, units=len(units))
    started = [
        t("district.reason.not_started", language, target=target, count=count)
        if len(units) > 1
        else t("district.reason.not_started_one", language, target=target)
        for target, count in not_started[:3]
    ]
    pace = t("district.reason.pace", language, attainment=format_percent(attainment), elapsed=format_percent(elapsed))
    unmet = t("district.reason.unmet", language, unmet=pairs - pairs_met, pairs=pairs)
    if state == "met":
        said = [t("district.reason.met", language, pairs=pairs)] + ([share] if lagging_count else [])
    else:
        first = ([share] if by_share else []) + (started if by_not_started else []) + ([pace] if by_pace else [])
        said = first + [r for r in ([share] if lagging_count else []) + started + [pace, unmet] if r not in first]
    return {
        "units": len(units),
        "lagging_units": lagging_count,
        "pairs": pairs,
        "pairs_met": pairs_met,
        "attainment": attainment,
        "status": state,
        "reasons": said,
    }


def district_judgements(targets: Sequence[dict], rule: "DistrictSettings", language: str | None = None) -> list[dict]:
    """Every district-level union with its communes, judged, worst first (behind, then by lagging share,
    attainment and name). kind: "district" when communes belong to it, "affiliated" for a single-unit union."""
    lagging = lagging_units(targets)
    pools: dict[str, list[dict]] = {}
    names: dict[str, str] = {}
    for r in targets:
        code = r["district_code"]
        if _missing(code):
            continue
        pools.setdefault(code, []).append(r)
        if r["level"] == "district":
            names.setdefault(r["unit_code"], r["unit_name"])
    judged = [
        {
            "code": code,
            "name": names.get(code, code),
            "kind": "district" if any(r["level"] == "commune" for r in rows) else "affiliated",
            **judge(rows, lagging, rule, language),
        }
        for code, rows in pools.items()
    ]
    return sorted(
        judged,
        key=lambda d: (
            DISTRICT_STATUS_RANK[d["status"]],
            -d["lagging_units"] / max(d["units"], 1),
            d["attainment"],
            d["name"],
        ),
    )


def province_judgement(targets: Sequence[dict], rule: "DistrictSettings", language: str | None = None) -> dict:
    """The same judgement for the whole province."""
    return judge(targets, lagging_units(targets), rule, language)


def ledger_query(plan: "Plan") -> tuple[str, dict]:
    """unit_target_ledger.sql with its parameters: the relation `ledger` that unit_targets.sql reads."""
    from analytics.store.database import sql

    return sql("unit_target_ledger"), {"plan_id": plan.id, "start": plan.start, "deadline": plan.deadline}


def status_report(
    db: "Database", plan: "Plan", lagging: "LaggingSettings", as_of: dt.date, rule: "DistrictSettings | None" = None
) -> dict:
    """The `status --json` document (a published interface: add keys, never rename)."""
    from analytics.core.settings import DistrictSettings
    from analytics.store.database import sql

    rule = rule or DistrictSettings()
    params = {"plan_id": plan.id, "start": plan.start, "deadline": plan.deadline, "as_of": as_of, **asdict(lagging)}
    targets = db.records(sql("unit_targets"), params, {"ledger": ledger_query(plan)})
    by_unit: dict[str, list[dict]] = {}
    for row in targets:
        by_unit.setdefault(row["unit_code"], []).append(row)
    total = db.scalar(sql("activity_total"), {"start": plan.start, "as_of": as_of, "deadline": plan.deadline})
    units = []
    for code, rows in by_unit.items():
        level = severity(rows)
        units.append(
            {
                "code": code,
                "name": rows[0]["unit_name"],
                "level": rows[0]["level"],
                "attainment": round(_mean([float(r["progress"]) for r in rows]), 4),
                "lagging": level is not None,
                "severity": level,
                "reasons": reasons(rows, plan, lagging, as_of) if level else [],
                "targets": [
                    {
                        "id": r["target_id"],
                        "count": int(r["count"]),
                        "minimum": int(r["minimum"]),
                        "met": bool(r["met"]),
                    }
                    for r in rows
                ],
            }
        )
    pairs = len(targets)
    province = {
        "units": len(units),
        "lagging_units": sum(u["lagging"] for u in units),
        "pairs": pairs,
        "pairs_met": sum(bool(r["met"]) for r in targets),
        "share_met": _mean([float(bool(r["met"])) for r in targets]),
        "attainment": _mean([float(r["progress"]) for r in targets]),
    }
    judged = province_judgement(targets, rule)
    province.update(status=judged["status"], reasons=judged["reasons"])
    districts = [{**d, "attainment": round(d["attainment"], 4)} for d in district_judgements(targets, rule)]
    return {
        "as_of": as_of.isoformat(),
        "plan": plan.id,
        "total_activities": int(total),
        "province": province,
        "units": units,
        "districts": districts,
    }
