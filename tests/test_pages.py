"""The leadership pages in AppTest: on the demo store (filters change the numbers shown) and on an empty store."""

import datetime as dt
import json
import re

import pytest

from analytics.context import open_context
from analytics.core.i18n import catalogue, t
from analytics.core.settings import load_settings
from analytics.reference.registry import load_units
from tests.fixtures import app_test, charts, frame, make_store, metrics, open_page

LEADERSHIP_PAGES = (
    "app_pages/overview.py",
    "app_pages/targets.py",
    "app_pages/lagging.py",
    "app_pages/unit.py",
    "app_pages/explorer.py",
)
UNITS = load_units(load_settings().units_path)
GO_DAU_COMMUNES = sum(u.parent_code == "710" for u in UNITS)


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def texts(at) -> str:
    """Every sentence the page shows in info, success, warning and markdown elements."""
    return "\n".join(e.value for kind in (at.info, at.success, at.warning, at.markdown, at.caption) for e in kind)


def chart_titles(at) -> list[str]:
    """Chart titles as read (a long title is broken into lines with <br> to fit a phone)."""
    return [c["layout"].get("title", {}).get("text", "").replace("<br>", " ") for c in charts(at)]


def status_counts(db, as_of):
    ctx = open_context(db)  # same configuration as the dashboard's cached connection in this process
    try:
        from analytics.measures import attainment

        targets = attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging)
        return targets, attainment.unit_status(targets, ctx.plan, ctx.settings.lagging, as_of)
    finally:
        ctx.close()


# -- every page, every store ------------------------------------------------------------------------
@pytest.mark.parametrize("page", LEADERSHIP_PAGES)
def test_every_page_runs_on_the_demo_store(demo_db, use_db, page):
    use_db(demo_db)
    at = open_page(page, as_of="2022-09-30")
    assert not at.exception
    assert not at.error


@pytest.mark.parametrize("page", LEADERSHIP_PAGES)
def test_every_page_says_what_is_going_on_with_an_empty_store(empty_db, use_db, page):
    use_db(empty_db)
    at = open_page(page)
    assert not at.exception and not at.error
    assert not at.get("plotly_chart"), "no empty chart frames on an empty store"
    shown = texts(at)
    expected = {
        "app_pages/overview.py": "Chưa có hoạt động nào",
        "app_pages/targets.py": "Chưa có hoạt động nào được tính",
        "app_pages/lagging.py": "Chưa có hoạt động nào trong cơ sở dữ liệu",
        "app_pages/unit.py": "chưa có hoạt động nào",
        "app_pages/explorer.py": "Chưa có hoạt động nào trong cơ sở dữ liệu",
    }[page]
    assert expected in shown


BEFORE_THE_PERIOD = "Ngày 01/12/2021 trước thời gian kế hoạch (bắt đầu 01/01/2022): chưa có gì để tính."


@pytest.mark.parametrize(
    "page, expected",
    [
        ("app_pages/overview.py", BEFORE_THE_PERIOD),
        ("app_pages/targets.py", BEFORE_THE_PERIOD),
        ("app_pages/lagging.py", BEFORE_THE_PERIOD),
        ("app_pages/unit.py", BEFORE_THE_PERIOD),
        # the explorer lists activities by date: its window (plan start to the as-of date) is empty
        (
            "app_pages/explorer.py",
            "Khoảng ngày đang xem trống (01/01/2022 – 01/12/2021): hãy dời “Tính đến ngày” hoặc khoảng ngày.",
        ),
    ],
)
def test_an_as_of_date_before_the_period_is_explained_on_every_page(demo_db, use_db, page, expected):
    use_db(demo_db)
    at = open_page(page, as_of="2021-12-01")
    assert not at.exception and not at.error
    assert not at.get("plotly_chart")
    assert expected in [i.value for i in at.info]


def _first_subheader(at) -> str:
    return at.subheader[0].value


def _lagging_summary(at) -> str:
    return next(m.value for m in at.markdown if "đơn vị chậm tiến độ tính đến" in m.value)


@pytest.mark.parametrize(
    "page, shown, expected",
    [
        (
            "app_pages/overview.py",
            lambda at: [i.value for i in at.info],
            "Không có hoạt động nào khớp bộ lọc ở thanh bên (huyện, nhóm hoạt động, khoảng ngày). "
            "Hãy nới bộ lọc để xem biểu đồ hoạt động.",
        ),
        # targets and lagging count from the plan's start to the as-of date, whatever the range: their figures stay
        ("app_pages/targets.py", _first_subheader, "Số đơn vị đạt từng chỉ tiêu"),
        (
            "app_pages/lagging.py",
            _lagging_summary,
            re.compile(
                r"\*\*\d+\*\* trên 112 đơn vị chậm tiến độ tính đến 30/09/2022: \d+ mức cao, \d+ trung bình, \d+ thấp\."
            ),
        ),
        (
            "app_pages/unit.py",
            lambda at: [i.value for i in at.info],
            "Huyện đoàn Gò Dầu chưa có hoạt động nào trong khoảng đang xem.",
        ),
        (
            "app_pages/explorer.py",
            lambda at: [i.value for i in at.info],
            "Khoảng ngày đang xem trống (01/10/2022 – 30/09/2022): hãy dời “Tính đến ngày” hoặc khoảng ngày.",
        ),
    ],
)
def test_a_date_range_after_the_as_of_date_shows_no_empty_chart(demo_db, use_db, page, shown, expected):
    use_db(demo_db)
    at = open_page(page, as_of="2022-09-30", **{"from": "2022-10-01"}, unit="710")
    assert not at.exception and not at.error
    titles = chart_titles(at)
    assert not any("theo thời gian" in title or "theo tháng" in title or "theo nhóm" in title for title in titles)
    if isinstance(expected, re.Pattern):
        assert expected.fullmatch(shown(at)), shown(at)
    elif isinstance(shown(at), list):
        assert expected in shown(at)
    else:
        assert shown(at) == expected


# -- overview ---------------------------------------------------------------------------------------
def test_overview_filters_change_the_figures_and_the_link(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/overview.py", as_of="2022-09-30")
    province = metrics(at)
    assert province["Chỉ tiêu đạt (tính theo từng đơn vị)"].endswith("/231")
    assert len(at.get("plotly_chart")) >= 3  # districts, types, timeline

    at.sidebar.selectbox(key="sb.district").set_value("710").run()
    go_dau = metrics(at)
    assert not at.exception
    assert number(go_dau["Hoạt động"]) < number(province["Hoạt động"])
    pairs = 2 + 2 * GO_DAU_COMMUNES  # the district union's H1, H2 and each commune's X1, X2
    assert go_dau["Chỉ tiêu đạt (tính theo từng đơn vị)"].endswith(f"/{pairs}")
    assert at.query_params["district"] == "710"
    assert any("Huyện đoàn Gò Dầu và các xã trực thuộc" in title for title in chart_titles(at))

    at.sidebar.selectbox(key="sb.group").set_value("reintegration").run()
    reintegration = metrics(at)
    assert number(reintegration["Hoạt động"]) < number(go_dau["Hoạt động"])
    assert (
        reintegration["Chỉ tiêu đạt (tính theo từng đơn vị)"] == go_dau["Chỉ tiêu đạt (tính theo từng đơn vị)"]
    )  # attainment does not depend on the group
    assert at.query_params["group"] == "reintegration"

    at.sidebar.date_input(key="sb.dates").set_value((dt.date(2022, 6, 1), dt.date(2022, 6, 30))).run()
    june = metrics(at)
    assert 0 < number(june["Hoạt động"]) < number(reintegration["Hoạt động"])
    assert at.query_params["from"] == "2022-06-01"


def test_a_shared_link_opens_the_same_view(demo_db, use_db):
    use_db(demo_db)
    first = open_page("app_pages/overview.py", as_of="2022-06-30")
    first.sidebar.selectbox(key="sb.district").set_value("705").run()
    first.sidebar.selectbox(key="sb.group").set_value("crime_prevention").run()
    link = {k: (v[0] if isinstance(v, list) else v) for k, v in first.query_params.items()}
    assert link == {"as_of": "2022-06-30", "district": "705", "group": "crime_prevention"}

    other = open_page("app_pages/overview.py", **link)  # a new session, as when a colleague opens the link
    assert other.sidebar.selectbox(key="sb.district").value == "705"
    assert other.sidebar.selectbox(key="sb.group").value == "crime_prevention"
    assert other.sidebar.date_input(key="sb.as_of").value == dt.date(2022, 6, 30)
    assert metrics(other) == metrics(first)


def test_nonsense_in_the_link_is_ignored(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/overview.py", as_of="yesterday", district="999", group="nope", **{"from": "x"})
    assert not at.exception
    assert at.sidebar.selectbox(key="sb.district").value == ""
    assert at.sidebar.selectbox(key="sb.group").value == ""


def test_the_map_is_drawn_only_when_a_file_is_configured(demo_db, use_db, antq_env, tmp_path):
    use_db(demo_db)
    at = open_page("app_pages/overview.py", as_of="2022-09-30")
    assert not any("Bản đồ" in title for title in chart_titles(at))
    square = '{"type":"Polygon","coordinates":[[[106,11],[106.2,11],[106.2,11.2],[106,11.2]]]}'
    path = tmp_path / "districts.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"710"},'
        f'"geometry":{square}}}]}}',
        encoding="utf-8",
    )
    antq_env(geojson=path)
    at = open_page("app_pages/overview.py", as_of="2022-09-30")
    maps = [c for c in charts(at) if "Bản đồ" in c["layout"]["title"]["text"]]
    assert len(maps) == 1 and "Huyện đoàn Gò Dầu" in json.dumps(maps[0], ensure_ascii=False)
    antq_env(geojson=tmp_path / "missing.geojson")
    at = open_page("app_pages/overview.py", as_of="2022-09-30")
    assert not at.exception and any("Không tìm thấy tệp bản đồ" in w.value for w in at.warning)


def test_the_week_or_month_timeline_switch(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/overview.py", as_of="2022-09-30")
    timeline = next(c for c in charts(at) if c["data"][0].get("name") == "Hoạt động mỗi tuần")
    assert len(timeline["data"][0]["x"]) == 40  # Monday-based weeks from 27/12/2021 to 30/09/2022
    at.session_state["overview-grain"] = "month"
    at.run()
    monthly = next(c for c in charts(at) if c["data"][0].get("name") == "Hoạt động mỗi tháng")
    assert len(monthly["data"][0]["x"]) == 9
    assert monthly["layout"]["separators"] == ",."
    assert monthly["layout"]["xaxis"]["tickformat"] == "%d/%m/%Y"


# -- targets ----------------------------------------------------------------------------------------
def test_targets_counts_units_meeting_each_target_and_follows_the_district(demo_db, use_db):
    use_db(demo_db)
    targets, _ = status_counts(demo_db, dt.date(2022, 9, 30))
    at = open_page("app_pages/targets.py", as_of="2022-09-30")
    summary = frame(at, "Số đơn vị áp dụng").set_index("Chỉ tiêu")
    assert len(summary) == 13
    for target in ("H1", "X2", "T8"):
        rows = targets[targets["target_id"] == target]
        assert summary.loc[target, "Số đơn vị áp dụng"] == len(rows)
        assert summary.loc[target, "Số đơn vị đạt"] == int(rows["met"].sum())
    assert summary.loc["X1", "Số đơn vị áp dụng"] == 94
    heatmaps = [c for c in charts(at) if c["data"][0]["type"] == "heatmap"]
    assert len(heatmaps) == 2
    cells = [cell for c in heatmaps for row in c["data"][0]["text"] for cell in row]
    assert all(re.fullmatch(r"[\d.]+ \(≥\d+\)", cell) for cell in cells)  # "11 (≥1)", never a date-like "11/1"

    at.sidebar.selectbox(key="sb.district").set_value("710").run()
    scoped = frame(at, "Số đơn vị áp dụng").set_index("Chỉ tiêu")
    assert scoped.loc["H1", "Số đơn vị áp dụng"] == 1
    assert scoped.loc["X1", "Số đơn vị áp dụng"] == GO_DAU_COMMUNES
    assert "T1" not in scoped.index


# -- lagging units --------------------------------------------------------------------------------
def test_lagging_lists_every_lagging_unit_and_narrows(demo_db, use_db):
    use_db(demo_db)
    _, status = status_counts(demo_db, dt.date(2022, 9, 30))
    at = open_page("app_pages/lagging.py", as_of="2022-09-30")
    table = frame(at, "Lý do")
    assert len(table) == int(status["lagging"].sum())
    assert set(table["Mức độ"]) <= {"Cao", "Trung bình", "Thấp"}
    assert table["Lý do"].str.len().min() > 10
    assert table["Trang đơn vị"].str.startswith("don-vi?").all()
    assert (
        table["Trang đơn vị"].str.contains("unit=").all()
        and table["Trang đơn vị"].str.contains("as_of=2022-09-30").all()
    )

    at.multiselect(key="lagging-severity").set_value(["high"]).run()
    high = frame(at, "Lý do")
    assert len(high) == int((status["severity"] == "high").sum()) and set(high["Mức độ"]) == {"Cao"}

    at.sidebar.selectbox(key="sb.district").set_value("710").run()
    in_go_dau = status[status["district_code"] == "710"]
    if not (in_go_dau["severity"] == "high").any():
        assert any("Không có đơn vị nào ở các mức độ đã chọn" in i.value for i in at.info)
    at.multiselect(key="lagging-severity").set_value(["high", "medium", "low"]).run()
    go_dau = frame(at, "Lý do")
    assert sorted(go_dau["Mã"]) == sorted(in_go_dau[in_go_dau["lagging"]]["code"])
    assert 0 < len(go_dau) < len(table)

    at.selectbox(key="lagging-sort").set_value("name").run()
    assert list(frame(at, "Lý do")["Đơn vị"]) == sorted(go_dau["Đơn vị"])
    assert go_dau["Chỉ tiêu đạt"].str.fullmatch(r"\d+ trên \d+").all()  # "1/2" would turn into a date in Excel


def test_a_lagging_row_leads_to_the_unit_page(demo_db, use_db):
    use_db(demo_db)
    _, status = status_counts(demo_db, dt.date(2022, 9, 30))
    lagging_district = status[(status["level"] == "district") & status["lagging"]].iloc[0]
    at = open_page("app_pages/lagging.py", as_of="2022-09-30")
    at.selectbox(key="lagging-open").set_value(lagging_district["code"])
    at.button(key="lagging-open-button").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Đơn vị"]
    assert [h.value for h in at.header] == [lagging_district["name"]]
    assert any("Đơn vị chậm tiến độ – mức độ" in w.value for w in at.warning)
    assert at.query_params["unit"] == lagging_district["code"]


def test_as_of_replays_the_lagging_list(demo_db, use_db):
    use_db(demo_db)
    _, early = status_counts(demo_db, dt.date(2022, 4, 30))
    at = open_page("app_pages/lagging.py", as_of="2022-04-30")
    assert len(frame(at, "Lý do")) == int(early["lagging"].sum())


# -- unit page --------------------------------------------------------------------------------------
def test_unit_page_from_a_link_shows_the_district_and_its_communes(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/unit.py", as_of="2022-09-30", unit="710")
    assert [h.value for h in at.header] == ["Huyện đoàn Gò Dầu"]
    assert f"Các xã trực thuộc ({GO_DAU_COMMUNES})" in [s.value for s in at.subheader]
    targets = frame(at, "Tiến độ")
    assert list(targets["Chỉ tiêu"]) == ["H1", "H2"]
    activities = frame(at, "Tên hoạt động")
    assert 0 < len(activities) <= 50
    assert number(metrics(at)["Hoạt động"]) >= len(activities)
    assert at.query_params["unit"] == "710"


def test_unit_page_lists_the_communes_for_a_phone_least_advanced_first(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/unit.py", as_of="2022-04-30", unit="710")
    table = frame(at, "Mức độ")  # the chart's own table, shown on a wide screen
    [phone_list] = [m.value for m in at.markdown if m.value.startswith("- **") and "Chỉ tiêu đạt:" in m.value]
    lines = phone_list.split("\n")
    assert len(lines) == len(table) == GO_DAU_COMMUNES
    shown = [line[len("- **") : line.index("**:")] for line in lines]
    assert sorted(shown) == sorted(table["Đơn vị"])
    percent = [int(line.split("**: ")[1].split("%")[0]) for line in lines]
    assert percent == sorted(percent) and percent[0] < percent[-1]
    first = table[table["Đơn vị"] == shown[0]].iloc[0]
    assert (
        f"{first['Mức đạt']} · {first['Tình trạng']} · Chỉ tiêu đạt: {first['Chỉ tiêu đạt']}/{first['Số chỉ tiêu']}"
        in lines[0]
    )


def test_unit_search_ignores_diacritics(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/unit.py", as_of="2022-09-30")
    at.text_input(key="unit-search").input("go dau").run()
    options = at.selectbox(key="unit-choice").options
    assert options == ["Huyện đoàn Gò Dầu (710)", "Đoàn thị trấn Gò Dầu (25654)"]
    at.selectbox(key="unit-choice").set_value("25654").run()
    assert [h.value for h in at.header] == ["Đoàn thị trấn Gò Dầu"]
    assert list(frame(at, "Tiến độ")["Chỉ tiêu"]) == ["X1", "X2"]
    at.text_input(key="unit-search").input("khong co dau ca").run()
    assert any("Không có đơn vị nào khớp" in w.value for w in at.warning)


def test_a_unit_with_no_activities_says_so(tmp_path, use_db):
    db = tmp_path / "one.duckdb"
    make_store(db, [("710", "anti_drug", "2022-03-01")]).close()
    use_db(db)
    at = open_page("app_pages/unit.py", as_of="2022-09-30", unit="705")
    assert not at.exception
    assert [h.value for h in at.header] == ["Huyện đoàn Tân Biên"]
    assert any("Huyện đoàn Tân Biên chưa có hoạt động nào" in i.value for i in at.info)
    assert metrics(at)["Hoạt động gần nhất"] == "Chưa có"
    other = open_page("app_pages/unit.py", as_of="2022-09-30", unit="710")
    assert metrics(other)["Hoạt động"] == "1"


def test_a_unit_whose_activities_count_for_none_of_its_targets_is_told_why(tmp_path, use_db):
    db = tmp_path / "two.duckdb"
    make_store(
        db,
        [
            ("705", "green_startup", "2022-03-01"),
            ("705", "green_startup", "2022-04-01"),
            ("710", "anti_drug", "2022-03-01"),
        ],
    ).close()  # H1 counts anti_drug; green_startup is T2's
    use_db(db)
    at = open_page("app_pages/unit.py", as_of="2022-09-30", unit="705")
    assert metrics(at)["Hoạt động"] == "2" and metrics(at)["Mức đạt"] == "0%"
    assert any(
        i.value.startswith("Đơn vị có 2 hoạt động trong khoảng đang xem, nhưng chưa hoạt động nào thuộc loại được tính")
        for i in at.info
    )
    counted = open_page("app_pages/unit.py", as_of="2022-09-30", unit="710")
    assert not any("chưa hoạt động nào thuộc loại" in i.value for i in counted.info)


# -- explorer ---------------------------------------------------------------------------------------
def showing(at) -> tuple[int, int, int]:
    line = next(m.value for m in at.markdown if m.value.startswith("Dòng"))
    first, last, total = (number(x) for x in re.findall(r"[\d.]+", line)[:3])
    return first, last, total


def test_explorer_filters_and_pages_in_the_store(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/explorer.py", as_of="2022-09-30")
    everything = showing(at)
    assert everything[:2] == (1, 50) and len(frame(at, "Tên hoạt động")) == 50

    at.text_input(key="explorer-text").input("ma tuy").run()
    drugs = showing(at)
    table = frame(at, "Tên hoạt động")
    assert 0 < drugs[2] < everything[2]
    matched = table["Tên hoạt động"].str.contains("ma túy", case=False) | table["Loại hoạt động"].str.contains("ma túy")
    assert matched.all()
    assert at.query_params["q"] == "ma tuy"

    at.sidebar.selectbox(key="sb.district").set_value("710").run()
    go_dau = showing(at)
    assert go_dau[2] < drugs[2]
    at.selectbox(key="explorer-level").set_value("commune").run()
    assert showing(at)[2] < go_dau[2]
    assert set(frame(at, "Tên hoạt động")["Mã"]) <= {u.code for u in UNITS if u.parent_code == "710"}

    at.selectbox(key="explorer-level").set_value("").run()
    at.text_input(key="explorer-text").input("").run()
    at.sidebar.selectbox(key="sb.district").set_value("").run()
    at.multiselect(key="explorer-types").set_value(["anti_drug"]).run()
    total = showing(at)[2]
    from analytics.core.i18n import t
    from analytics.core.text import format_number

    # The downloads hold every matching record, not only the page shown.
    assert t("downloads.all_rows", "vi", rows=format_number(total)) in [c.value for c in at.caption]
    at.number_input(key="explorer-page").set_value(2).run()
    assert showing(at) == (51, min(100, total), total)
    assert set(frame(at, "Tên hoạt động")["Loại hoạt động"]) == {"Tuyên truyền phòng, chống ma túy"}
    at.selectbox(key="explorer-unit").set_value("710").run()  # a new filter goes back to page 1
    assert showing(at)[0] == 1
    assert set(frame(at, "Tên hoạt động")["Đơn vị"]) == {"Huyện đoàn Gò Dầu"}
    at.text_input(key="explorer-text").input("không có hoạt động này").run()
    assert any("Không có hoạt động nào khớp các bộ lọc" in i.value for i in at.info)


# -- more than one plan -------------------------------------------------------------------------------
def test_a_second_plan_file_adds_a_plan_choice_that_the_link_carries(demo_db, use_db, antq_env, tmp_path):
    from analytics.core.settings import DATA_DIR

    plans = tmp_path / "plans"
    plans.mkdir()
    text = (DATA_DIR / "plans" / "antq-2022.toml").read_text(encoding="utf-8")
    (plans / "antq-2022.toml").write_text(text, encoding="utf-8")
    (plans / "antq-2023.toml").write_text(
        text.replace('id = "antq-2022"', 'id = "antq-2023"')
        .replace("start = 2022-01-01", "start = 2023-01-01")
        .replace("deadline = 2022-12-15", "deadline = 2023-12-15"),
        encoding="utf-8",
    )
    settings = tmp_path / "settings.toml"
    settings.write_text(
        f'plan = "plans/antq-2022.toml"\nactivity_types = "{DATA_DIR / "activity_types.toml"}"\n'
        f'units = "{DATA_DIR / "units.csv"}"\ndb = "{demo_db}"\n',
        encoding="utf-8",
    )
    antq_env(settings=settings)
    use_db(demo_db)

    at = open_page("app_pages/overview.py", as_of="2022-09-30")
    assert at.sidebar.selectbox(key="sb.plan").options == ["antq-2022", "antq-2023"]
    assert any("01/01/2022 – 15/12/2022" in c.value for c in at.sidebar.caption)
    assert number(metrics(at)["Hoạt động"]) > 0

    at.sidebar.selectbox(key="sb.plan").set_value("antq-2023").run()
    assert not at.exception
    assert any("01/01/2023 – 15/12/2023" in c.value for c in at.sidebar.caption)
    assert at.query_params["plan"] == "antq-2023"
    assert metrics(at)["Hoạt động"] == "0"  # the demo has no activity in 2023

    shared = open_page("app_pages/overview.py", plan="antq-2023")
    assert shared.sidebar.selectbox(key="sb.plan").value == "antq-2023"
    assert any("01/01/2023 – 15/12/2023" in c.value for c in shared.sidebar.caption)


# -- the English catalogue --------------------------------------------------------------------------
PAGE_TITLES = {
    "app_pages/overview.py": "overview.title",
    "app_pages/targets.py": "targets.title",
    "app_pages/lagging.py": "lagging.title",
    "app_pages/unit.py": "unit.title",
    "app_pages/explorer.py": "explorer.title",
    "app_pages/upload.py": "upload.title",
    "app_pages/submissions.py": "submissions.title",
    "app_pages/accounts.py": "accounts.title",
    "app_pages/audit.py": "audit.title",
}


@pytest.mark.parametrize("page", PAGE_TITLES)
def test_every_page_reads_in_english_when_chosen(demo_db, use_db, page):
    use_db(demo_db)
    at = app_test(page)
    at.query_params["as_of"] = "2022-09-30"
    at.session_state["language"] = "en"  # the sidebar's choice; switching itself is a browser test (test_journeys)
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == t(PAGE_TITLES[page], "en") != t(PAGE_TITLES[page], "vi")
    if page == "app_pages/lagging.py":  # the reasons analytics/ writes follow the reader's language too
        reasons = frame(at, t("col.reasons", "en"))[t("col.reasons", "en")]
        assert reasons.str.len().gt(0).all() and not reasons.str.contains("chỉ tiêu|hoạt động").any()


def test_no_two_columns_share_a_heading_in_either_language():
    for language in ("vi", "en"):
        headings = [text for key, text in catalogue(language).items() if key.startswith("col.")]
        assert len(headings) == len(set(headings)), language
