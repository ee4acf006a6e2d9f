"""A deterministic, realistic demo store: real unit names, plausible titles, on-track, lagging and silent units.

Vectorised with numpy and inserted by DuckDB in one statement, so 1,000,000 rows take seconds.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pyarrow as pa

from analytics.core.settings import DATA_DIR
from analytics.reference.plan import Plan
from analytics.reference.registry import Unit
from analytics.reference.sync import sync_reference
from analytics.store.database import Database

# Share of units per profile (the rest are on track).
LAGGING_SHARE = 0.25
SILENT_SHARE = 0.12

_WORDING = tomllib.loads((DATA_DIR / "demo_titles.toml").read_text(encoding="utf-8"))
TITLES: dict[str, list[str]] = _WORDING["titles"]
VENUES: list[str] = _WORDING["venues"]


def _profiles(units: list[Unit], rng: np.random.Generator) -> np.ndarray:
    draw = rng.random(len(units))
    draw[[u.level == "province" for u in units]] = 1.0  # the Provincial Union itself is on track
    return np.where(draw < SILENT_SHARE, "silent", np.where(draw < SILENT_SHARE + LAGGING_SHARE, "lagging", "on_track"))


def build_frame(plan: Plan, units: tuple[Unit, ...], rows: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    units = [u for u in units if u.active_between(plan.start, plan.deadline)]
    type_codes = [at.code for at in plan.activity_types]
    type_index = {code: i for i, code in enumerate(type_codes)}
    titles = [TITLES.get(code, [label]) for code, label in ((at.code, at.label) for at in plan.activity_types)]
    target_types = {
        level: [type_index[tg.activity_types[0]] for tg in plan.targets_for(level)]
        for level in ("province", "district", "commune")
    }
    minimums = {level: [tg.minimum for tg in plan.targets_for(level)] for level in ("province", "district", "commune")}
    profile = _profiles(units, rng)
    span = plan.days

    unit_idx, type_idx, day = [], [], []
    # Activities that make targets: all of them for on-track units, some missing for lagging ones.
    for i, unit in enumerate(units):
        required = target_types[unit.level]
        for k, (t_idx, minimum) in enumerate(zip(required, minimums[unit.level])):
            if profile[i] == "lagging" and (k == i % len(required) or rng.random() < 0.3):
                continue
            count = minimum if profile[i] != "lagging" else max(minimum - 1, 1)
            unit_idx += [i] * count
            type_idx += [t_idx] * count
            day += list(rng.integers(0, span // 3 if profile[i] == "silent" else span, count))
    fixed = len(unit_idx)
    extra = max(rows - fixed, 0)

    # The rest: common activity types, weighted towards communes, dated across each unit's active window.
    level_weight = {"province": 8.0, "district": 3.0, "commune": 1.0}
    weights = np.array([level_weight[u.level] * (0.4 if profile[i] == "lagging" else 1.0) for i, u in enumerate(units)])
    drawn_units = rng.choice(len(units), size=extra, p=weights / weights.sum())
    blocked = {i: set(target_types[u.level]) for i, u in enumerate(units) if profile[i] == "lagging"}
    common = np.array(
        [
            type_index[c]
            for c in (
                "anti_drug",
                "law_propaganda",
                "fire_prevention",
                "abuse_trafficking_prevention",
                "astray_youth_visit",
                "belief_volunteer_team",
                "life_skills",
                "security_shock_team",
                "civilised_town",
                "new_cultural_life",
                "disadvantaged_youth_support",
            )
        ]
    )
    drawn_types = common[rng.integers(0, len(common), extra)]
    # Lagging units never report the target types they skipped: swap those for life skills.
    lagging_rows = np.isin(drawn_units, list(blocked))
    if lagging_rows.any():
        skip = np.zeros((len(units), len(type_codes)), dtype=bool)
        for i, codes in blocked.items():
            skip[i, list(codes)] = True
        swap = lagging_rows & skip[drawn_units, drawn_types]
        drawn_types = np.where(swap, type_index["life_skills"], drawn_types)
    window = np.where(profile == "silent", span // 3, span)[drawn_units]
    drawn_days = (rng.random(extra) * window).astype(np.int64)

    unit_arr = np.concatenate([np.array(unit_idx, dtype=np.int64), drawn_units])
    type_arr = np.concatenate([np.array(type_idx, dtype=np.int64), drawn_types])
    day_arr = np.concatenate([np.array(day, dtype=np.int64), drawn_days])
    if len(unit_arr) > rows:  # fewer rows than the targets need: keep a random subset
        keep = np.sort(rng.choice(len(unit_arr), size=rows, replace=False))
        unit_arr, type_arr, day_arr = unit_arr[keep], type_arr[keep], day_arr[keep]
    n = len(unit_arr)

    flat_titles = [title for options in titles for title in options]
    offsets = np.cumsum([0] + [len(options) for options in titles[:-1]])
    sizes = np.array([len(options) for options in titles])
    title_idx = offsets[type_arr] + rng.integers(0, 1 << 30, n) % sizes[type_arr]
    unit_names = np.array([u.name for u in units], dtype=object)
    codes = np.array([u.code for u in units], dtype=object)
    venue = np.array(VENUES, dtype=object)[rng.integers(0, len(VENUES), n)]
    participants = np.clip(rng.lognormal(3.8, 0.7, n), 5, 2000).astype(np.int64)
    budget = (rng.lognormal(15.2, 0.8, n) // 100_000 * 100_000).astype(np.int64)
    budget_known = rng.random(n) < 0.6
    dates = np.datetime64(plan.start) + day_arr.astype("timedelta64[D]")

    return pa.table(
        {
            "id": pa.array(np.arange(1, n + 1, dtype=np.int64)),
            "unit_code": pa.array(codes[unit_arr], pa.string()),
            "type_code": pa.array(np.array(type_codes, dtype=object)[type_arr], pa.string()),
            "title": pa.array(np.array(flat_titles, dtype=object)[title_idx], pa.string()),
            "activity_date": pa.array(dates.astype("datetime64[D]")),
            "participants": pa.array(participants),
            "location": pa.array(venue + " " + unit_names[unit_arr], pa.string()),
            "budget_vnd": pa.array(budget, mask=~budget_known),
        }
    )


def build_demo(db_path: Path, plan: Plan, units: tuple[Unit, ...], rows: int, seed: int) -> int:
    """(Re)create the demo store at db_path. Returns the number of activities written."""
    frame = build_frame(plan, units, rows, seed)
    with Database(db_path) as db:
        sync_reference(db, plan, units)
        with db.transaction() as cur:
            cur.execute("DELETE FROM activities")
            cur.register("demo_frame", frame)
            cur.execute("""
                INSERT INTO activities (id, submission_id, unit_code, type_code, title, activity_date, participants,
                                        location, budget_vnd, activity_ref, notes, title_key, superseded_by)
                SELECT id, NULL, unit_code, type_code, title, activity_date, participants, location, budget_vnd,
                       NULL, NULL, fold(title), NULL
                FROM demo_frame
            """)
            cur.unregister("demo_frame")
            db.set_meta(cur, "demo", "1")
        return int(db.scalar("SELECT count(*) FROM activities"))
