"""Attainment and lagging as of any date.

Definitions (also in README):
- A target is *met* by a unit when the unit's activities of the target's types, dated from the plan's
  start to the as-of date (capped at the deadline), number at least the target's minimum.
- A unit's *attainment* is the mean, over the targets of its level, of min(count / minimum, 1): 100% when
  every target is met; partial credit for targets with a minimum above 1 (T2: 5, T8: 3).
- A district's rollup pools the district union's and its communes' (unit, target) pairs; the province
  pools every pair.
- A district (and the province) is *behind* when its pooled attainment trails the elapsed share of the period
  by more than [district] pace_tolerance, or at least [district] lagging_share of its units lag, or (with
  not_started_counts) any of its units has a target with no activity past mid-period; *met* when every pair
  is met; otherwise *on track*. district_statuses gives each its reasons in words.
- Lagging flags (thresholds in data/settings.toml [lagging]): behind pace, no activity past mid-period,
  projected to miss at the deadline at the current rate, silent. Each comes with a Vietnamese reason.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import pandas as pd

from analytics.db import Database
from analytics.i18n import t
from analytics.plan import Plan
from analytics.settings import DistrictSettings, LaggingSettings
from analytics.text import format_date, format_percent

FLAGS = ("no_activity", "behind_pace", "projected_miss", "silent")
SEVERITIES = ("high", "medium", "low")


def unit_targets(db: Database, plan: Plan, as_of: dt.date, lagging: LaggingSettings) -> pd.DataFrame:
    """One row per (unit, applicable target) with count, met, progress, projection and flags."""
    params = {"plan_id": plan.id, "start": plan.start, "deadline": plan.deadline, "as_of": as_of,
              **asdict(lagging)}
    return db.named("unit_targets", params)


def _ids(rows: pd.DataFrame) -> str:
    return ", ".join(rows["target_id"])


def _reasons(rows: pd.DataFrame, plan: Plan, lagging: LaggingSettings, as_of: dt.date,
             language: str | None = None) -> list[str]:
    elapsed = format_percent(float(rows["elapsed"].iloc[0]))
    reasons = []
    no_activity = rows[rows["no_activity"]]
    if len(no_activity):
        reasons.append(t("lagging.reason.no_activity", language, targets=_ids(no_activity), elapsed=elapsed))
    behind = rows[rows["behind_pace"] & ~rows["no_activity"]]
    if len(behind):
        detail = ", ".join(f"{r.target_id} {r.count}/{r.minimum}" for r in behind.itertuples())
        reasons.append(t("lagging.reason.behind_pace", language, detail=detail, elapsed=elapsed))
    projected = rows[rows["projected_miss"] & (rows["count"] > 0) & ~rows["behind_pace"]]
    if len(projected):
        detail = ", ".join(f"{r.target_id} {r.projected}/{r.minimum}" for r in projected.itertuples())
        reasons.append(t("lagging.reason.projected_miss", language, detail=detail, deadline=format_date(plan.deadline)))
    if bool(rows["silent"].iloc[0]):
        last = rows["last_activity"].iloc[0]
        if pd.isna(last):
            reasons.append(t("lagging.reason.silent_never", language, days=lagging.silent_days))
        else:
            days = (min(as_of, plan.deadline) - pd.Timestamp(last).date()).days
            reasons.append(t("lagging.reason.silent", language, days=days, last=format_date(pd.Timestamp(last).date())))
    return reasons


def _severity(rows: pd.DataFrame) -> str | None:
    kinds = sum(bool(rows[flag].any()) for flag in FLAGS)
    if kinds == 0:
        return None
    if rows["no_activity"].any() or kinds >= 3:
        return "high"
    return "medium" if kinds == 2 else "low"


def unit_status(targets: pd.DataFrame, plan: Plan, lagging: LaggingSettings, as_of: dt.date,
                language: str | None = None) -> pd.DataFrame:
    """One row per unit: attainment, targets met, lagging, severity, reasons (in `language`, default the
    catalogue's current one), last activity."""
    records = []
    for code, rows in targets.groupby("unit_code", sort=False):
        severity = _severity(rows)
        records.append({
            "code": code,
            "name": rows["unit_name"].iloc[0],
            "level": rows["level"].iloc[0],
            "district_code": rows["district_code"].iloc[0],
            "targets_total": len(rows),
            "targets_met": int(rows["met"].sum()),
            "attainment": float(rows["progress"].mean()),
            "activities_counted": int(rows["count"].sum()),
            "last_activity": rows["last_activity"].iloc[0],
            "lagging": severity is not None,
            "severity": severity,
            "reasons": _reasons(rows, plan, lagging, as_of, language) if severity else [],
            **{flag: bool(rows[flag].any()) for flag in FLAGS},
        })
    columns = ["code", "name", "level", "district_code", "targets_total", "targets_met", "attainment",
               "activities_counted", "last_activity", "lagging", "severity", "reasons", *FLAGS]
    return pd.DataFrame.from_records(records, columns=columns)


def district_rollup(targets: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per district-level unit: it and its communes pooled. Sorted by attainment, best first."""
    scoped = targets[targets["district_code"].notna()]
    pairs = scoped.groupby("district_code").agg(
        pairs=("met", "size"), pairs_met=("met", "sum"), attainment=("progress", "mean"))
    unit_counts = units[units["district_code"].notna()].groupby("district_code").agg(
        units=("code", "size"), lagging_units=("lagging", "sum"))
    names = units[units["level"] == "district"].set_index("code")["name"]
    out = pairs.join(unit_counts).join(names.rename("name")).reset_index()
    out["share_met"] = out["pairs_met"] / out["pairs"]
    out = out.rename(columns={"district_code": "code"})
    return out[["code", "name", "units", "lagging_units", "pairs", "pairs_met", "share_met", "attainment"]] \
        .sort_values(["attainment", "name"], ascending=[False, True], ignore_index=True)


DISTRICT_STATUSES = ("met", "on_track", "behind")
DISTRICT_STATUS_RANK = {"behind": 0, "on_track": 1, "met": 2}
DISTRICT_COLUMNS = ["code", "name", "kind", "units", "lagging_units", "pairs", "pairs_met", "attainment", "status",
                    "reasons"]


def _lagging_by_unit(targets: pd.DataFrame) -> pd.Series:
    return targets.groupby("unit_code", sort=False)[list(FLAGS)].any().any(axis=1)


def _verdict(units: int, lagging_units: int, pairs: int, pairs_met: int, attainment: float, elapsed: float,
             not_started: pd.Series, rule: DistrictSettings, language: str | None) -> dict:
    """Status and reasons from a pool's figures; not_started: units with no activity per target, largest first."""
    by_pace = pairs_met < pairs and attainment < elapsed - rule.pace_tolerance
    by_share = units > 0 and lagging_units / units >= rule.lagging_share - 1e-9
    by_not_started = rule.not_started_counts and len(not_started) > 0
    status = "met" if pairs and pairs_met == pairs else "behind" if (by_pace or by_share or by_not_started) \
        else "on_track"
    share = t("district.reason.lagging_units", language, lagging=lagging_units, units=units)
    started = [t("district.reason.not_started", language, target=target, count=int(count)) if units > 1
               else t("district.reason.not_started_one", language, target=target)
               for target, count in not_started.head(3).items()]
    pace = t("district.reason.pace", language, attainment=format_percent(attainment), elapsed=format_percent(elapsed))
    unmet = t("district.reason.unmet", language, unmet=pairs - pairs_met, pairs=pairs)
    if status == "met":
        reasons = [t("district.reason.met", language, pairs=pairs)] + ([share] if lagging_units else [])
    else:
        first = ([share] if by_share else []) + (started if by_not_started else []) + ([pace] if by_pace else [])
        rest = [r for r in ([share] if lagging_units else []) + started + [pace, unmet] if r not in first]
        reasons = first + rest
    return {"units": units, "lagging_units": lagging_units, "pairs": pairs, "pairs_met": pairs_met,
            "attainment": attainment, "status": status, "reasons": reasons}


def _judge(rows: pd.DataFrame, lagging_by_unit: pd.Series, rule: DistrictSettings, language: str | None) -> dict:
    """Status and reasons of a pool of (unit, target) pairs: a district union with its communes, or the province."""
    units = rows["unit_code"].unique()
    lagging_units = int(lagging_by_unit.reindex(units).fillna(False).sum())
    pairs = len(rows)
    not_started = (rows[rows["no_activity"]].groupby("target_id", sort=False)["unit_code"].nunique()
                   .sort_values(ascending=False, kind="stable"))
    return _verdict(len(units), lagging_units, pairs, int(rows["met"].sum()),
                    float(rows["progress"].mean()) if pairs else 0.0, float(rows["elapsed"].iloc[0]) if pairs else 0.0,
                    not_started, rule, language)


def district_statuses(targets: pd.DataFrame, rule: DistrictSettings, language: str | None = None) -> pd.DataFrame:
    """The judgement of every district-level union with its communes, worst first.

    targets: unit_targets(...) as of the date wanted. One row per district-level unit with code, name, kind
    ("district" when communes belong to it, "affiliated" for a single-unit union directly under the province),
    units, lagging_units, pairs, pairs_met, attainment, status (met | on_track | behind) and reasons (sentences
    in `language`, the first one the main cause). Behind-first, then by lagging share, attainment and name.
    """
    scoped = targets[targets["district_code"].notna()]
    if scoped.empty:
        return pd.DataFrame(columns=DISTRICT_COLUMNS)
    lagging_by_unit = _lagging_by_unit(targets)
    names = scoped[scoped["level"] == "district"].drop_duplicates("unit_code").set_index("unit_code")["unit_name"]
    # every district's figures in one pass each (a loop over districts cost ~70 ms per rerun)
    pools = scoped.assign(met=scoped["met"].astype("int64"), commune=scoped["level"] == "commune",
                          unit_lagging=scoped["unit_code"].map(lagging_by_unit).fillna(False).astype(bool))
    figures = pools.groupby("district_code", sort=False).agg(
        units=("unit_code", "nunique"), pairs=("met", "size"), pairs_met=("met", "sum"),
        attainment=("progress", "mean"), elapsed=("elapsed", "first"), has_communes=("commune", "any"))
    lagging_units = pools[pools["unit_lagging"]].groupby("district_code")["unit_code"].nunique()
    not_started = pools[pools["no_activity"]].groupby(["district_code", "target_id"], sort=False)["unit_code"].nunique()
    records = []
    for code, f in figures.iterrows():
        missing = (not_started.xs(code, level="district_code").sort_values(ascending=False, kind="stable")
                   if code in not_started.index.get_level_values(0) else pd.Series(dtype="int64"))
        judged = _verdict(int(f["units"]), int(lagging_units.get(code, 0)), int(f["pairs"]), int(f["pairs_met"]),
                          float(f["attainment"]), float(f["elapsed"]), missing, rule, language)
        records.append({"code": code, "name": names.get(code, code),
                        "kind": "district" if f["has_communes"] else "affiliated", **judged})
    out = pd.DataFrame.from_records(records, columns=DISTRICT_COLUMNS)
    if out.empty:
        return out
    order = out.assign(rank=out["status"].map(DISTRICT_STATUS_RANK),
                       share=-(out["lagging_units"] / out["units"].clip(lower=1)))
    return (order.sort_values(["rank", "share", "attainment", "name"], kind="stable")
            .drop(columns=["rank", "share"]).reset_index(drop=True))


def province_status(targets: pd.DataFrame, rule: DistrictSettings, language: str | None = None) -> dict:
    """The same judgement for the whole province: {"status", "reasons", ...} (see district_statuses)."""
    return _judge(targets, _lagging_by_unit(targets) if len(targets) else pd.Series(dtype=bool), rule, language)


def district_statuses_as_of(db: Database, plan: Plan, lagging: LaggingSettings, rule: DistrictSettings,
                            as_of: dt.date, language: str | None = None) -> pd.DataFrame:
    """district_statuses straight from the store (for the Word report and other callers without a targets frame)."""
    return district_statuses(unit_targets(db, plan, as_of, lagging), rule, language)


def province_summary(targets: pd.DataFrame, units: pd.DataFrame) -> dict:
    pairs = len(targets)
    return {
        "units": len(units),
        "lagging_units": int(units["lagging"].sum()) if len(units) else 0,
        "pairs": pairs,
        "pairs_met": int(targets["met"].sum()) if pairs else 0,
        "share_met": float(targets["met"].mean()) if pairs else 0.0,
        "attainment": float(targets["progress"].mean()) if pairs else 0.0,
    }


def status_report(db: Database, plan: Plan, lagging: LaggingSettings, as_of: dt.date,
                  rule: DistrictSettings | None = None) -> dict:
    """The `status --json` document."""
    rule = rule or DistrictSettings()
    targets = unit_targets(db, plan, as_of, lagging)
    districts = district_statuses(targets, rule)
    province = province_status(targets, rule)
    units = unit_status(targets, plan, lagging, as_of)
    by_unit = {code: rows for code, rows in targets.groupby("unit_code", sort=False)}
    total = db.scalar("SELECT count(*) FROM current_activities "
                      "WHERE activity_date BETWEEN ? AND least(?::DATE, ?::DATE)",
                      [plan.start, as_of, plan.deadline])
    return {
        "as_of": as_of.isoformat(),
        "plan": plan.id,
        "total_activities": int(total),
        "province": {**province_summary(targets, units), "status": province["status"],
                     "reasons": province["reasons"]},
        "units": [
            {
                "code": u.code, "name": u.name, "level": u.level,
                "attainment": round(u.attainment, 4), "lagging": bool(u.lagging),
                "severity": u.severity if u.lagging else None,
                "reasons": list(u.reasons),
                "targets": [{"id": r.target_id, "count": int(r.count), "minimum": int(r.minimum),
                             "met": bool(r.met)} for r in by_unit[u.code].itertuples()],
            }
            for u in units.itertuples()
        ],
        "districts": [
            {"code": d.code, "name": d.name, "kind": d.kind, "units": int(d.units),
             "lagging_units": int(d.lagging_units), "pairs": int(d.pairs), "pairs_met": int(d.pairs_met),
             "attainment": round(float(d.attainment), 4), "status": d.status, "reasons": list(d.reasons)}
            for d in districts.itertuples()
        ],
    }
