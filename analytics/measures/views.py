"""Frames for the leadership pages (overview, targets, lagging units, unit page, activity explorer).

Everything heavy runs in DuckDB: activity queries are the named queries analytics/measures/sql/view_*.sql on top of
the filtered set view_filtered_activities.sql; pages receive small frames. Attainment frames come from
analytics.measures.attainment and are narrowed here in pandas (a few hundred rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from analytics.core.text import fold
from analytics.measures.status import FLAGS, SEVERITY_RANK, UNIT_SUMMARY_COLUMNS
from analytics.reference.plan import Plan
from analytics.store.database import Database, sql

LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}
GRAINS = ("week", "month")


# -- activities ---------------------------------------------------------------------------------------
def activity_window(
    plan: Plan, as_of: dt.date, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """Dates whose activities a page counts: the plan period, cut at the as-of date and the chosen range."""
    lo = max(plan.start, date_from or plan.start)
    hi = min(plan.deadline, as_of, date_to or plan.deadline)
    return lo, hi


@dataclass(frozen=True)
class ActivityFilter:
    """Which activities to show (or export). None / empty means "all"; the dates are inclusive (None: open);
    `text` is matched without diacritics."""

    lo: dt.date | None = None
    hi: dt.date | None = None
    district: str | None = None
    group: str | None = None
    unit: str | None = None
    level: str | None = None
    types: tuple[str, ...] = ()
    text: str | None = None

    @classmethod
    def from_options(
        cls, unit=None, district=None, type_code=None, date_from=None, date_to=None, as_of=None
    ) -> "ActivityFilter":
        """The export command's options: records dated from `date_from` to the earlier of `date_to` and `as_of`."""
        ends = [d for d in (date_to, as_of) if d is not None]
        return cls(
            lo=date_from,
            hi=min(ends) if ends else None,
            district=district,
            unit=unit,
            types=(type_code,) if type_code else (),
        )

    @property
    def empty_window(self) -> bool:
        return self.lo is not None and self.hi is not None and self.hi < self.lo

    def params(self) -> dict:
        text = fold(self.text) if self.text else ""
        return {
            "lo": self.lo,
            "hi": self.hi,
            "district": self.district,
            "group_code": self.group,
            "unit": self.unit,
            "level": self.level,
            "types": list(self.types),
            "text": text or None,
        }


def _filtered(db: Database, name: str, flt: ActivityFilter, **extra) -> pd.DataFrame:
    query = f"WITH filtered AS (\n{sql('view_filtered_activities')}\n)\n{sql(name)}"
    return db.df(query, {**flt.params(), **extra})


def activities_by_group(by_type: pd.DataFrame) -> pd.DataFrame:
    return by_type.groupby(["group_code", "group_label"], sort=False, as_index=False)[
        ["activities", "participants"]
    ].sum()


def _period_starts(lo: dt.date, hi: dt.date, grain: str) -> list[dt.date]:
    first = lo - dt.timedelta(days=lo.weekday()) if grain == "week" else lo.replace(day=1)
    starts, day = [], first
    while day <= hi:
        starts.append(day)
        day = (
            day + dt.timedelta(days=7)
            if grain == "week"
            else (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        )
    return starts


def _with_running_total_and_pace(
    frame: pd.DataFrame, starts: list[dt.date], flt: ActivityFilter, deadline: dt.date
) -> pd.DataFrame:
    """Adds period_end, the cumulative count and the pace line to per-period counts (one row per start)."""
    ends = starts[1:] + [None]
    frame["period_end"] = [min(flt.hi, (e - dt.timedelta(days=1)) if e else flt.hi) for e in ends]
    frame["cumulative"] = frame["activities"].cumsum()
    projected = projected_total(int(frame["activities"].sum()), flt.lo, flt.hi, deadline)
    span = max((deadline - flt.lo).days + 1, 1)
    frame["pace"] = [projected * ((end - flt.lo).days + 1) / span for end in frame["period_end"]]
    return frame


def projected_total(count: int, lo: dt.date, hi: dt.date, deadline: dt.date) -> float:
    """Count expected at the deadline if the average daily rate from lo to hi holds."""
    if hi >= deadline:
        return float(count)
    elapsed = max((hi - lo).days + 1, 1)
    return count * ((deadline - lo).days + 1) / elapsed


def activity_page(db: Database, flt: ActivityFilter, page: int, page_size: int) -> tuple[pd.DataFrame, int]:
    """One page (numbered from 1) of the filtered activities, newest first, and the total count."""
    if flt.empty_window:
        return _filtered(db, "view_activity_page", flt, limit=0, offset=0), 0
    total = int(_filtered(db, "view_activity_count", flt).iloc[0]["total"])
    offset = max(page - 1, 0) * page_size
    frame = _filtered(db, "view_activity_page", flt, limit=page_size, offset=offset)
    frame["activity_date"] = pd.to_datetime(frame["activity_date"]).dt.date
    return frame, total


@dataclass(frozen=True)
class ActivityDigest:
    """The filtered activities boiled down in one scan (view_activity_digest.sql): per (type, day) and per
    (unit, day).

    The page's headline figures, counts by type and timeline all derive from it, so a filter change costs one
    pass over the store instead of three, and `until` cuts it at an earlier date without another pass.
    """

    flt: ActivityFilter
    daily: pd.DataFrame  # type_code, activity_date (datetime64: cheap to copy), activities, participants
    unit_days: pd.DataFrame  # unit_code, activity_date, activities

    @property
    def units(self) -> pd.DataFrame:
        """unit_code, activities: the units with activities in the window."""
        return self.unit_days.groupby("unit_code", as_index=False, sort=False)["activities"].sum()

    def until(self, hi: dt.date) -> "ActivityDigest":
        """The digest of the same filter with its window ending at `hi` (at most the current end)."""
        if self.flt.hi is not None and hi >= self.flt.hi:
            return self
        end = pd.Timestamp(hi)
        return ActivityDigest(
            replace(self.flt, hi=hi),
            self.daily[self.daily["activity_date"] <= end],
            self.unit_days[self.unit_days["activity_date"] <= end],
        )

    def kpis(self) -> dict:
        last = self.daily["activity_date"].max().date() if len(self.daily) else None
        return {
            "activities": int(self.daily["activities"].sum()),
            "participants": int(self.daily["participants"].sum()),
            "reporting_units": len(self.units),
            "last_activity": last,
        }

    def by_type(self, plan: Plan) -> pd.DataFrame:
        counts = self.daily.groupby("type_code")[["activities", "participants"]].sum()
        groups = {g.code: g.label for g in plan.groups}
        rows = [
            {
                "group_code": ty.group,
                "group_label": groups.get(ty.group, ty.group),
                "type_code": ty.code,
                "type_label": ty.label,
                "activities": int(counts["activities"].get(ty.code, 0)),
                "participants": int(counts["participants"].get(ty.code, 0)),
            }
            for group in plan.groups
            for ty in plan.activity_types
            if ty.group == group.code
            if not self.flt.group or ty.group == self.flt.group
        ]
        return pd.DataFrame(
            rows, columns=["group_code", "group_label", "type_code", "type_label", "activities", "participants"]
        )

    def timeline(self, grain: str, deadline: dt.date) -> pd.DataFrame:
        if grain not in GRAINS:
            raise ValueError(grain)
        flt = self.flt
        columns = ["period", "period_end", "activities", "participants", "cumulative", "pace"]
        if flt.empty_window:
            return pd.DataFrame(columns=columns)
        days = pd.to_datetime(self.daily["activity_date"])
        periods = (
            (days - pd.to_timedelta(days.dt.day_of_week, unit="D"))
            if grain == "week"
            else days.dt.to_period("M").dt.start_time
        )
        counts = self.daily.assign(period=periods.dt.date).groupby("period")[["activities", "participants"]].sum()
        starts = _period_starts(flt.lo, flt.hi, grain)
        frame = pd.DataFrame({"period": starts})
        frame["activities"] = [int(counts["activities"].get(p, 0)) for p in starts]
        frame["participants"] = [int(counts["participants"].get(p, 0)) for p in starts]
        return _with_running_total_and_pace(frame, starts, flt, deadline)[columns]


def activity_digest(db: Database, flt: ActivityFilter) -> ActivityDigest:
    if flt.empty_window:
        no_days = pd.Series([], dtype="datetime64[s]")
        empty = pd.DataFrame({"type_code": [], "activity_date": no_days, "activities": [], "participants": []})
        return ActivityDigest(flt, empty, pd.DataFrame({"unit_code": [], "activity_date": no_days, "activities": []}))
    rows = _filtered(db, "view_activity_digest", flt)
    rows["activity_date"] = pd.to_datetime(rows["activity_date"])
    daily = rows[rows["unit_code"].isna()].drop(columns="unit_code").reset_index(drop=True)
    daily[["activities", "participants"]] = daily[["activities", "participants"]].astype("int64")
    unit_days = rows[rows["type_code"].isna()][["unit_code", "activity_date", "activities"]].reset_index(drop=True)
    return ActivityDigest(flt, daily, unit_days)


# -- attainment ---------------------------------------------------------------------------------------
def unit_summary(targets: pd.DataFrame) -> pd.DataFrame:
    """Per unit, vectorised: the columns of attainment.unit_status that charts need (no reasons, no severity).

    attainment.unit_status builds each unit's Vietnamese reasons in a Python loop (~80 ms on every as-of
    change); pages that only colour and count units use this instead. A test keeps the two equal.
    """
    flags = list(FLAGS)
    grouped = targets.assign(met=targets["met"].astype("int64")).groupby("unit_code", sort=False)
    out = grouped.agg(
        name=("unit_name", "first"),
        level=("level", "first"),
        district_code=("district_code", "first"),
        targets_total=("target_id", "size"),
        targets_met=("met", "sum"),
        attainment=("progress", "mean"),
        activities_counted=("count", "sum"),
        last_activity=("last_activity", "first"),
        **{flag: (flag, "any") for flag in flags},
    )
    out["lagging"] = out[flags].any(axis=1)
    columns = [*UNIT_SUMMARY_COLUMNS, *flags]
    return out.reset_index().rename(columns={"unit_code": "code"})[columns]


def in_district(frame: pd.DataFrame, district: str | None, column: str = "district_code") -> pd.DataFrame:
    """Rows of one district-level unit and its communes (all rows when district is None)."""
    if not district:
        return frame
    return frame[frame[column] == district].reset_index(drop=True)


def pair_status(targets: pd.DataFrame) -> pd.Series:
    """Per (unit, target): met; lagging when any lagging flag is up; otherwise on track."""
    lagging = targets[["behind_pace", "no_activity", "projected_miss"]].any(axis=1)
    return pd.Series(
        ["met" if m else "lagging" if lg else "on_track" for m, lg in zip(targets["met"], lagging)],
        index=targets.index,
        dtype="object",
    )


def unit_status_colour(units: pd.DataFrame) -> pd.Series:
    """Per unit: met when every target is met, lagging when flagged, otherwise on track."""
    return pd.Series(
        [
            "met" if r.targets_met == r.targets_total else "lagging" if r.lagging else "on_track"
            for r in units.itertuples()
        ],
        index=units.index,
        dtype="object",
    )


def rollup_in_district(status: pd.DataFrame, district: str) -> pd.DataFrame:
    """The district union and each of its communes, best attainment first (columns like district_rollup)."""
    rows = in_district(status, district)
    order = rows["level"].map(LEVEL_RANK)
    return (
        rows.assign(order=order)
        .sort_values(["attainment", "order", "name"], ascending=[False, True, True])
        .drop(columns="order")
        .reset_index(drop=True)
    )


def target_summary(targets: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Per target of the plan: units it applies to, units that met it, their share, total activities counted."""
    rows = []
    for tg in plan.targets:
        pairs = targets[targets["target_id"] == tg.id]
        applicable = len(pairs)
        met = int(pairs["met"].sum()) if applicable else 0
        rows.append(
            {
                "target_id": tg.id,
                "level": tg.level,
                "description": tg.description,
                "minimum": tg.minimum,
                "units": applicable,
                "units_met": met,
                "share_met": met / applicable if applicable else None,
                "activities": int(pairs["count"].sum()) if applicable else 0,
            }
        )
    return pd.DataFrame(rows)


def target_matrix(targets: pd.DataFrame, level: str, district_names: dict[str, str]) -> pd.DataFrame:
    """Long frame (unit × target of `level`): count, minimum, status; communes ordered by district then name."""
    rows = targets[targets["level"] == level].copy()
    rows["status"] = pair_status(rows)
    rows["district_name"] = rows["district_code"].map(district_names)
    rows = rows.sort_values(["district_name", "unit_name", "target_id"]) if level == "commune" else rows
    return rows[
        ["unit_code", "unit_name", "district_code", "district_name", "target_id", "count", "minimum", "met", "status"]
    ].reset_index(drop=True)


def lagging_units(status: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Every lagging unit, most severe first, with its unmet targets' projection at the deadline."""
    lagging = status[status["lagging"].astype(bool)].copy()
    unmet = targets[~targets["met"]]
    projection: dict[str, list[str]] = {}
    for r in unmet.itertuples():
        projection.setdefault(r.unit_code, []).append(f"{r.target_id}: {r.projected}/{r.minimum}")
    lagging["projection"] = [" · ".join(projection.get(code, [])) for code in lagging["code"]]
    lagging["severity_rank"] = lagging["severity"].map(SEVERITY_RANK)
    lagging["level_rank"] = lagging["level"].map(LEVEL_RANK)
    return lagging.sort_values(["severity_rank", "attainment", "level_rank", "name"]).reset_index(drop=True)


def search_units(units: pd.DataFrame, query: str) -> pd.DataFrame:
    """Units whose name or code contains every word of `query`, diacritics and case ignored."""
    words = fold(query).split()
    if not words:
        return units
    keys = [fold(f"{r.name} {r.code}") for r in units.itertuples()]
    keep = [all(w in key for w in words) for key in keys]
    return units[keep].reset_index(drop=True)
