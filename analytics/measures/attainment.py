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

from analytics.core.settings import DistrictSettings, LaggingSettings
from analytics.measures import status
from analytics.measures.status import FLAGS, UNIT_SUMMARY_COLUMNS
from analytics.measures.views import unit_summary
from analytics.reference.plan import Plan
from analytics.store.database import Database


def target_ledger(db: Database, plan: Plan):
    """The plan period's activities per unit, target and day (an Arrow table, as-of independent): unit_targets
    of any date reads this instead of the store's activities, so moving the date costs milliseconds."""
    return db.arrow(*status.ledger_query(plan))


def unit_targets(db: Database, plan: Plan, as_of: dt.date, lagging: LaggingSettings, ledger=None) -> pd.DataFrame:
    """One row per (unit, applicable target) with count, met, progress, projection and flags; `ledger`: this
    store version's target_ledger when the caller keeps one."""
    params = {"plan_id": plan.id, "start": plan.start, "deadline": plan.deadline, "as_of": as_of, **asdict(lagging)}
    return db.named("unit_targets", params, {"ledger": status.ledger_query(plan) if ledger is None else ledger})


def unit_status(
    targets: pd.DataFrame, plan: Plan, lagging: LaggingSettings, as_of: dt.date, language: str | None = None
) -> pd.DataFrame:
    """One row per unit: attainment, targets met, lagging, severity, reasons (in `language`, default the
    catalogue's current one), last activity. The figures are views.unit_summary's; severity and reasons come
    from analytics/measures/status.py's rule, unit by unit."""
    out = unit_summary(targets)
    by_unit: dict[str, list[dict]] = {}
    for row in targets.to_dict("records"):
        by_unit.setdefault(row["unit_code"], []).append(row)
    severities = [status.severity(by_unit[code]) for code in out["code"]]
    out["lagging"] = [level is not None for level in severities]
    out["severity"] = severities
    out["reasons"] = [
        status.reasons(by_unit[code], plan, lagging, as_of, language) if level else []
        for code, level in zip(out["code"], severities)
    ]
    return out[[*UNIT_SUMMARY_COLUMNS, "severity", "reasons", *FLAGS]]


def district_rollup(targets: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per district-level unit: it and its communes pooled. Sorted by attainment, best first."""
    scoped = targets[targets["district_code"].notna()]
    pairs = scoped.groupby("district_code").agg(
        pairs=("met", "size"), pairs_met=("met", "sum"), attainment=("progress", "mean")
    )
    unit_counts = (
        units[units["district_code"].notna()]
        .groupby("district_code")
        .agg(units=("code", "size"), lagging_units=("lagging", "sum"))
    )
    names = units[units["level"] == "district"].set_index("code")["name"]
    out = pairs.join(unit_counts).join(names.rename("name")).reset_index()
    out["share_met"] = out["pairs_met"] / out["pairs"]
    out = out.rename(columns={"district_code": "code"})
    return out[["code", "name", "units", "lagging_units", "pairs", "pairs_met", "share_met", "attainment"]].sort_values(
        ["attainment", "name"], ascending=[False, True], ignore_index=True
    )


DISTRICT_COLUMNS = "code name kind units lagging_units pairs pairs_met attainment status reasons".split()


def district_statuses(targets: pd.DataFrame, rule: DistrictSettings, language: str | None = None) -> pd.DataFrame:
    """The judgement of every district-level union with its communes, worst first (analytics/measures/status.py's rule).

    targets: unit_targets(...) as of the date wanted. One row per district-level unit with code, name, kind
    ("district" when communes belong to it, "affiliated" for a single-unit union directly under the province),
    units, lagging_units, pairs, pairs_met, attainment, status (met | on_track | behind) and reasons (sentences
    in `language`, the first one the main cause). Behind-first, then by lagging share, attainment and name.
    """
    records = status.district_judgements(targets.to_dict("records"), rule, language)
    return pd.DataFrame.from_records(records, columns=DISTRICT_COLUMNS)


def province_status(targets: pd.DataFrame, rule: DistrictSettings, language: str | None = None) -> dict:
    """The same judgement for the whole province: {"status", "reasons", ...} (see district_statuses)."""
    return status.province_judgement(targets.to_dict("records"), rule, language)


def district_statuses_as_of(
    db: Database,
    plan: Plan,
    lagging: LaggingSettings,
    rule: DistrictSettings,
    as_of: dt.date,
    language: str | None = None,
) -> pd.DataFrame:
    """district_statuses straight from the store (for the Word report and other callers without a targets frame)."""
    return district_statuses(unit_targets(db, plan, as_of, lagging), rule, language)


def met_and_lagging(targets: pd.DataFrame) -> tuple[int, int]:
    """(pairs met, lagging units) straight from unit_targets rows: what province_summary counts, without the
    per-unit frame (a unit lags when any of its pairs carries a lagging flag)."""
    if targets.empty:
        return 0, 0
    flagged = targets[list(FLAGS)].any(axis=1)
    return int(targets["met"].sum()), int(targets.loc[flagged, "unit_code"].nunique())


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


status_report = status.status_report  # the `status --json` document (pandas-free, in analytics/measures/status.py)
