"""Attainment and lagging on small hand-computed stores (the real plan and registry)."""

import datetime as dt
from dataclasses import replace

import pytest

from analytics.core.settings import LaggingSettings
from analytics.measures import attainment

D = dt.date.fromisoformat
DEFAULT = LaggingSettings()  # pace_tolerance .25, no_activity_after .5, silent_days 60, projection_min_elapsed .25
MID_YEAR = D("2022-06-30")  # 180 of 348 days: 51,7% elapsed

pytestmark = pytest.mark.store(
    [
        ("25456", "civilised_town", "2022-06-01"),  # Phường 1: both commune targets met
        ("25456", "disadvantaged_youth_support", "2022-06-10"),
        ("25462", "civilised_town", "2022-06-20"),  # Phường 4: one of two
        ("25462", "life_skills", "2022-06-21"),  # counts for no target
        ("703", "anti_drug", "2022-12-20"),  # after the deadline: never counted
        ("72", "green_startup", "2022-05-01"),  # province T2: 2 of 5
        ("72", "green_startup", "2022-06-15"),
    ]
)


def rows(ctx, as_of, lagging=DEFAULT):
    targets = attainment.unit_targets(ctx.db, ctx.plan, as_of, lagging)
    units = attainment.unit_status(targets, ctx.plan, lagging, as_of).set_index("code")
    return targets.set_index(["unit_code", "target_id"]), units


def test_all_met_none_and_some(ctx):
    targets, units = rows(ctx, MID_YEAR)
    assert targets.loc[("25456", "X1"), "count"] == 1 and bool(targets.loc[("25456", "X2"), "met"])
    assert units.loc["25456", "attainment"] == 1.0 and units.loc["25456", "targets_met"] == 2
    assert not units.loc["25456", "lagging"]
    assert units.loc["25462", "attainment"] == 0.5 and units.loc["25462", "targets_met"] == 1
    assert units.loc["25459", "attainment"] == 0.0 and units.loc["25459", "targets_met"] == 0
    # province: T2 2/5 gives 0.4 credit, every other province target 0
    assert units.loc["72", "attainment"] == pytest.approx(0.4 / 9)


def test_every_unit_of_every_level_gets_its_targets(ctx):
    targets, units = rows(ctx, MID_YEAR)
    assert len(units) == 1 + 17 + 94
    assert len(targets) == 9 + 17 * 2 + 94 * 2


def test_as_of_before_and_after_the_activities(ctx):
    before, _ = rows(ctx, D("2022-05-31"))
    assert before.loc[("25456", "X1"), "count"] == 0 and before.loc[("72", "T2"), "count"] == 1
    after, units = rows(ctx, D("2023-01-31"))
    assert after.loc[("25456", "X1"), "count"] == 1
    assert after.loc[("703", "H1"), "count"] == 0  # dated after the deadline
    assert after.loc[("72", "T2"), "projected"] == 2  # past the deadline the projection is the count


def test_as_of_before_the_period_flags_nothing(ctx):
    _, units = rows(ctx, D("2021-12-01"))
    assert not units["lagging"].any()


def test_no_activity_past_mid_period(ctx):
    targets, units = rows(ctx, MID_YEAR)
    assert bool(targets.loc[("25459", "X1"), "no_activity"])
    assert units.loc["25459", "severity"] == "high"
    assert any("Chưa có hoạt động nào cho chỉ tiêu X1, X2" in r for r in units.loc["25459", "reasons"])
    early, _ = rows(ctx, D("2022-06-01"))  # 41,7% elapsed: not yet
    assert not early.loc[("25459", "X1"), "no_activity"]


def test_behind_pace(ctx):
    # 25462 X2: 0/1 at 41,7% elapsed > 25% tolerance; before mid-period so not "no activity"
    targets, units = rows(ctx, D("2022-06-01"))
    assert bool(targets.loc[("25462", "X2"), "behind_pace"]) and not targets.loc[("25462", "X2"), "no_activity"]
    assert any(r.startswith("Chậm so với tiến độ: X1 0/1, X2 0/1") for r in units.loc["25462", "reasons"])
    lenient, _ = rows(ctx, D("2022-06-01"), replace(DEFAULT, pace_tolerance=0.5))
    assert not lenient.loc[("25462", "X2"), "behind_pace"]


def test_projected_to_miss(ctx):
    # T2: 2 by 30/06 → 2 × 349 / 181 = 3 at the deadline, short of 5; progress 0,4 is not behind 0,517 - 0,25
    targets, units = rows(ctx, MID_YEAR)
    t2 = targets.loc[("72", "T2")]
    assert (t2["projected"], bool(t2["projected_miss"]), bool(t2["behind_pace"])) == (3, True, False)
    assert any("dự báo T2 3/5" in r and "15/12/2022" in r for r in units.loc["72", "reasons"])


def test_silent(ctx):
    _, units = rows(ctx, D("2022-08-05"))  # Phường 1 last reported 10/06: 56 days
    assert not units.loc["25456", "silent"]
    _, units = rows(ctx, D("2022-08-10"))  # 61 days
    assert units.loc["25456", "silent"] and units.loc["25456", "lagging"]
    assert "Không báo cáo hoạt động nào trong 61 ngày (lần cuối 10/06/2022)" in units.loc["25456", "reasons"]
    _, units = rows(ctx, D("2022-08-10"), replace(DEFAULT, silent_days=90))
    assert not units.loc["25456", "silent"]


def test_district_rollup_pools_the_district_union_and_its_communes(ctx):
    targets = attainment.unit_targets(ctx.db, ctx.plan, MID_YEAR, DEFAULT)
    units = attainment.unit_status(targets, ctx.plan, DEFAULT, MID_YEAR)
    rollup = attainment.district_rollup(targets, units).set_index("code")
    city = rollup.loc["703"]
    # Thành phố Tây Ninh: its union (H1, H2) + 10 communes (X1, X2) = 22 pairs; met: Phường 1 ×2 + Phường 4 ×1
    assert (city["units"], city["pairs"], city["pairs_met"]) == (11, 22, 3)
    assert city["attainment"] == pytest.approx(3 / 22)
    province = attainment.province_summary(targets, units)
    assert province["pairs"] == 231 and province["pairs_met"] == 3


def test_status_report_shape(ctx):
    report = attainment.status_report(ctx.db, ctx.plan, DEFAULT, MID_YEAR)
    assert report["as_of"] == "2022-06-30" and report["total_activities"] == 6
    unit = next(u for u in report["units"] if u["code"] == "25462")
    assert set(unit) >= {"code", "name", "level", "attainment", "lagging", "reasons", "targets"}
    assert unit["targets"] == [
        {"id": "X1", "count": 1, "minimum": 1, "met": True},
        {"id": "X2", "count": 0, "minimum": 1, "met": False},
    ]
