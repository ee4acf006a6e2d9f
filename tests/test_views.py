"""The frames behind the leadership pages (analytics/measures/views.py, analytics/reference/geo.py) on small
hand-built stores."""

import datetime as dt
import json

import pandas as pd
import pytest

from analytics.measures import attainment, views
from analytics.reference.geo import GeoError, centres, load_districts
from tests.fixtures import make_store

D = dt.date
GO_DAU, TT_GO_DAU, THANH_DUC = "710", "25654", "25657"  # district 710 and two of its communes
TAN_BIEN = "705"

pytestmark = pytest.mark.store(
    [
        (GO_DAU, "anti_drug", "2022-01-10"),
        (GO_DAU, "anti_drug", "2022-02-20"),
        (TT_GO_DAU, "civilised_town", "2022-01-12"),
        (TT_GO_DAU, "disadvantaged_youth_support", "2022-03-01"),
        (THANH_DUC, "life_skills", "2022-03-02"),
        (TAN_BIEN, "new_cultural_life", "2022-04-04"),
        (TAN_BIEN, "anti_drug", "2022-12-20"),  # after the deadline: never counted
        (TAN_BIEN, "law_propaganda", "2022-05-05", "Tuyên truyền phòng chống ma túy học đường"),
    ]
)


def window(ctx, as_of=D(2022, 12, 15), **kw):
    return views.activity_window(ctx.plan, as_of, **kw)


def test_window_is_the_plan_period_cut_at_the_as_of_date_and_the_range(ctx):
    assert window(ctx) == (D(2022, 1, 1), D(2022, 12, 15))
    assert window(ctx, D(2023, 3, 1)) == (D(2022, 1, 1), D(2022, 12, 15))
    assert window(ctx, D(2022, 6, 30), date_from=D(2022, 3, 1), date_to=D(2022, 9, 1)) == (
        D(2022, 3, 1),
        D(2022, 6, 30),
    )
    lo, hi = window(ctx, D(2021, 12, 1))
    assert hi < lo and views.ActivityFilter(lo, hi).empty_window


def test_kpis_follow_district_group_and_dates(ctx):
    lo, hi = window(ctx)
    assert views.activity_digest(ctx.db, views.ActivityFilter(lo, hi)).kpis()["activities"] == 7
    go_dau = views.activity_digest(ctx.db, views.ActivityFilter(lo, hi, district=GO_DAU)).kpis()
    assert go_dau["activities"] == 5 and go_dau["reporting_units"] == 3 and go_dau["participants"] == 50
    assert go_dau["last_activity"] == D(2022, 3, 2)
    crime = views.activity_digest(ctx.db, views.ActivityFilter(lo, hi, group="crime_prevention")).kpis()
    assert crime["activities"] == 3  # two anti_drug in Gò Dầu, one law_propaganda in Tân Biên
    lo, hi = window(ctx, D(2022, 2, 28))
    assert views.activity_digest(ctx.db, views.ActivityFilter(lo, hi)).kpis()["activities"] == 3


def test_free_text_ignores_diacritics_and_matches_units_and_types(ctx):
    lo, hi = window(ctx)

    def count(text):
        return views.activity_page(ctx.db, views.ActivityFilter(lo, hi, text=text), 1, 50)[1]

    assert count("ma tuy hoc duong") == 1  # the title, typed without diacritics
    assert count("MA TÚY học") == 1
    assert count("go dau") == 4  # the units "Huyện Gò Dầu" and "Thị trấn Gò Dầu", 2 each
    assert count("thi tran go dau") == 2
    assert count("ky nang song") == 1  # the type label "Giáo dục kỹ năng sống…"
    assert count("100%_") == 0  # LIKE wildcards are plain text


def test_unit_level_and_type_filters(ctx):
    lo, hi = window(ctx)

    def flt(**kw):
        return views.activity_page(ctx.db, views.ActivityFilter(lo, hi, **kw), 1, 50)[1]

    assert flt(unit=TT_GO_DAU) == 2
    assert flt(level="commune") == 3
    assert flt(level="district", district=GO_DAU) == 2
    assert flt(types=("anti_drug", "new_cultural_life")) == 3


def test_paging_is_done_by_the_store_newest_first(tmp_path):
    ctx = make_store(tmp_path / "paging.duckdb", [(GO_DAU, "anti_drug", f"2022-03-{d:02d}") for d in range(1, 31)])
    lo, hi = window(ctx)
    first, total = views.activity_page(ctx.db, views.ActivityFilter(lo, hi), 1, 12)
    third, _ = views.activity_page(ctx.db, views.ActivityFilter(lo, hi), 3, 12)
    assert total == 30 and len(first) == 12 and len(third) == 6
    assert first["activity_date"].iloc[0] == D(2022, 3, 30) and third["activity_date"].iloc[-1] == D(2022, 3, 1)
    assert list(first.columns[:5]) == ["id", "activity_date", "unit_code", "unit_name", "type_label"]
    assert first["unit_name"].iloc[0] == "Huyện đoàn Gò Dầu"
    ctx.close()


def test_by_type_lists_every_type_and_narrows_to_the_group(ctx):
    lo, hi = window(ctx)
    every = views.activity_digest(ctx.db, views.ActivityFilter(lo, hi)).by_type(ctx.plan)
    assert len(every) == len(ctx.plan.activity_types) and every["activities"].sum() == 7
    groups = views.activities_by_group(every).set_index("group_code")["activities"]
    assert groups["crime_prevention"] == 3 and groups["community_culture"] == 2 and groups["youth_support"] == 2
    crime = views.activity_digest(ctx.db, views.ActivityFilter(lo, hi, group="crime_prevention")).by_type(ctx.plan)
    assert set(crime["group_code"]) == {"crime_prevention"} and crime["activities"].sum() == 3


def test_timeline_fills_empty_periods_and_runs_the_cumulative_against_the_pace(ctx):
    lo, hi = window(ctx, D(2022, 6, 30))
    months = views.activity_digest(ctx.db, views.ActivityFilter(lo, hi)).timeline("month", ctx.plan.deadline)
    assert list(months["period"]) == [D(2022, m, 1) for m in range(1, 7)]
    assert list(months["activities"]) == [2, 1, 2, 1, 1, 0]
    assert list(months["cumulative"]) == [2, 3, 5, 6, 7, 7]
    assert months["period_end"].iloc[-1] == D(2022, 6, 30)
    # Pace: straight from 0 to the projection at the deadline (7 in 181 days → 7 × 349 / 181).
    projected = views.projected_total(7, lo, hi, ctx.plan.deadline)
    assert projected == pytest.approx(7 * 349 / 181)
    assert months["pace"].iloc[-1] == pytest.approx(projected * 181 / 349)
    weeks = views.activity_digest(ctx.db, views.ActivityFilter(lo, hi)).timeline("week", ctx.plan.deadline)
    assert weeks["period"].iloc[0] == D(2021, 12, 27) and weeks["activities"].sum() == 7  # Monday-based weeks
    assert (
        views.activity_digest(ctx.db, views.ActivityFilter(D(2022, 1, 1), D(2021, 12, 1)))
        .timeline("week", ctx.plan.deadline)
        .empty
    )


def test_attainment_frames_narrow_to_a_district(ctx):
    as_of = D(2022, 12, 15)
    targets = attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging)
    status = attainment.unit_status(targets, ctx.plan, ctx.settings.lagging, as_of)
    go_dau = views.in_district(status, GO_DAU)
    assert set(go_dau["level"]) == {"district", "commune"} and (go_dau["district_code"] == GO_DAU).all()
    summary = views.target_summary(targets, ctx.plan).set_index("target_id")
    assert summary.loc["H1", "units"] == 17 and summary.loc["H1", "units_met"] == 1  # 9 districts + 8 affiliated
    assert summary.loc["X1", "units_met"] == 1 and summary.loc["T1", "units"] == 1
    scoped = views.target_summary(views.in_district(targets, GO_DAU), ctx.plan).set_index("target_id")
    assert scoped.loc["H1", "units"] == 1 and scoped.loc["H1", "units_met"] == 1 and scoped.loc["T1", "units"] == 0
    ranked = views.rollup_in_district(status, GO_DAU)
    assert ranked["code"].iloc[0] == TT_GO_DAU  # both targets met: 100%, first
    assert ranked.set_index("code").loc[GO_DAU, "attainment"] == 0.5  # H1 met, H2 not


def test_pair_and_unit_status_colours(ctx):
    as_of = D(2022, 12, 15)
    targets = attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging)
    pairs = targets.assign(status=views.pair_status(targets)).set_index(["unit_code", "target_id"])["status"]
    assert pairs[(GO_DAU, "H1")] == "met" and pairs[(GO_DAU, "H2")] == "lagging"
    status = attainment.unit_status(targets, ctx.plan, ctx.settings.lagging, as_of)
    colours = status.assign(c=views.unit_status_colour(status)).set_index("code")["c"]
    assert colours[TT_GO_DAU] == "met" and colours[GO_DAU] == "lagging"
    early = attainment.unit_targets(ctx.db, ctx.plan, D(2022, 1, 20), ctx.settings.lagging)
    assert views.pair_status(early).eq("on_track").any()  # nothing is flagged this early


def test_lagging_units_most_severe_first_with_projection(ctx):
    as_of = D(2022, 9, 30)
    targets = attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging)
    status = attainment.unit_status(targets, ctx.plan, ctx.settings.lagging, as_of)
    lagging = views.lagging_units(status, targets)
    assert lagging["lagging"].all() and len(lagging) == int(status["lagging"].sum())
    assert list(lagging["severity_rank"]) == sorted(lagging["severity_rank"])
    go_dau = lagging.set_index("code").loc[GO_DAU]
    assert go_dau["projection"] == "H2: 0/1"
    silent = lagging.set_index("code").loc[TT_GO_DAU]  # both targets met, but nothing since 01/03
    assert silent["projection"] == "" and silent["silent"] and not silent["no_activity"]


def test_unit_search_ignores_diacritics_and_case(ctx):
    status = attainment.unit_status(
        attainment.unit_targets(ctx.db, ctx.plan, D(2022, 6, 1), ctx.settings.lagging),
        ctx.plan,
        ctx.settings.lagging,
        D(2022, 6, 1),
    )
    found = views.search_units(status, "go dau")
    assert set(found["name"]) == {"Huyện đoàn Gò Dầu", "Đoàn thị trấn Gò Dầu"}
    assert list(views.search_units(status, "THI TRAN go")["code"]) == [TT_GO_DAU]
    assert list(views.search_units(status, "25657")["name"]) == ["Đoàn xã Thạnh Đức"]
    assert len(views.search_units(status, "  ")) == len(status)
    assert views.search_units(status, "khong co don vi nay").empty


def test_map_file_is_optional_and_checked(tmp_path):
    assert load_districts(None) is None
    with pytest.raises(GeoError, match="Không tìm thấy"):
        load_districts(tmp_path / "none.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GeoError, match="Không đọc được"):
        load_districts(bad)
    nocode = tmp_path / "nocode.geojson"
    nocode.write_text(json.dumps({"type": "FeatureCollection", "features": [{"properties": {"name": "A"}}]}))
    with pytest.raises(GeoError, match="code"):
        load_districts(nocode)
    square = {"type": "Polygon", "coordinates": [[[106.0, 11.0], [106.2, 11.0], [106.2, 11.4], [106.0, 11.4]]]}
    good = tmp_path / "good.geojson"
    good.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"code": 710}, "geometry": square}],
            }
        )
    )
    data = load_districts(good)
    assert data["features"][0]["properties"]["code"] == "710"
    assert centres(data) == {"710": pytest.approx((106.1, 11.2))}


@pytest.mark.parametrize("as_of", [D(2021, 12, 1), D(2022, 3, 1), D(2022, 9, 30), D(2022, 12, 15)])
def test_unit_summary_agrees_with_unit_status(ctx, as_of):
    targets = attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging)
    full = attainment.unit_status(targets, ctx.plan, ctx.settings.lagging, as_of).set_index("code")
    fast = views.unit_summary(targets).set_index("code")
    assert list(fast.index) == list(full.index)
    for column in fast.columns:
        assert (
            fast[column].astype(object).where(fast[column].notna(), None).tolist()
            == full[column].astype(object).where(full[column].notna(), None).tolist()
        ), column


def test_lagging_units_of_no_units_is_an_empty_table(ctx):
    targets = attainment.unit_targets(ctx.db, ctx.plan, D(2022, 9, 30), ctx.settings.lagging)
    none = attainment.unit_status(targets.iloc[0:0], ctx.plan, ctx.settings.lagging, D(2022, 9, 30))
    lagging = views.lagging_units(none, targets)
    assert lagging.empty and {"code", "reasons", "projection"} <= set(lagging.columns)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"district": GO_DAU},
        {"group": "crime_prevention"},
        {"unit": TT_GO_DAU},
        {"text": "ma tuy"},
        {"district": "999"},
    ],
)
@pytest.mark.parametrize("as_of", [D(2022, 2, 28), D(2022, 6, 30), D(2022, 12, 31), D(2021, 12, 1)])
def test_the_one_scan_digest_agrees_with_the_activity_list(ctx, kw, as_of):
    flt = views.ActivityFilter(*window(ctx, as_of), **kw)
    digest = views.activity_digest(ctx.db, flt)
    if flt.empty_window:
        assert digest.kpis()["activities"] == 0 and digest.timeline("week", ctx.plan.deadline).empty
        return
    listed, total = views.activity_page(ctx.db, flt, 1, 10_000)
    assert digest.kpis()["activities"] == total == len(listed)
    assert digest.kpis()["reporting_units"] == listed["unit_code"].nunique()
    assert digest.by_type(ctx.plan)["activities"].sum() == total
    for grain in views.GRAINS:
        assert digest.timeline(grain, ctx.plan.deadline)["activities"].sum() == total


@pytest.mark.parametrize("kw", [{}, {"district": GO_DAU}, {"unit": TT_GO_DAU}])
@pytest.mark.parametrize("as_of", [D(2022, 2, 28), D(2022, 6, 30), D(2022, 12, 31), D(2021, 12, 1)])
def test_a_whole_period_digest_cut_at_a_date_equals_the_digest_of_that_date(ctx, kw, as_of):
    whole = views.activity_digest(ctx.db, views.ActivityFilter(*window(ctx, ctx.plan.deadline), **kw))
    cut = whole.until(window(ctx, as_of)[1])
    fresh = views.activity_digest(ctx.db, views.ActivityFilter(*window(ctx, as_of), **kw))
    assert cut.flt == fresh.flt
    assert cut.kpis() == fresh.kpis()
    assert cut.units.sort_values("unit_code").to_dict("records") == fresh.units.sort_values("unit_code").to_dict(
        "records"
    )
    assert cut.by_type(ctx.plan).to_dict("records") == fresh.by_type(ctx.plan).to_dict("records")
    for grain in views.GRAINS:
        assert cut.timeline(grain, ctx.plan.deadline).to_dict("records") == fresh.timeline(
            grain, ctx.plan.deadline
        ).to_dict("records")


@pytest.mark.parametrize("as_of", [D(2021, 12, 1), D(2022, 2, 28), D(2022, 6, 30), D(2022, 12, 31)])
def test_unit_targets_from_a_kept_ledger_equal_those_read_from_the_store(ctx, as_of):
    ledger = attainment.target_ledger(ctx.db, ctx.plan)
    kept = attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging, ledger)
    fresh = attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging)
    pd.testing.assert_frame_equal(kept, fresh)


@pytest.mark.parametrize("as_of", [D(2021, 12, 1), D(2022, 3, 31), D(2022, 9, 30), D(2022, 12, 31)])
@pytest.mark.parametrize("district", [None, GO_DAU])
def test_met_and_lagging_counts_what_the_province_summary_counts(ctx, as_of, district):
    targets = views.in_district(attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging), district)
    summary = attainment.province_summary(targets, views.unit_summary(targets))
    assert attainment.met_and_lagging(targets) == (summary["pairs_met"], summary["lagging_units"])
