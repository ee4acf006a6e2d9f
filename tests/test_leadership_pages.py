"""Issue 10 on the pages (AppTest, demo store): the overview's district judgement and clicks, links that carry the
whole view, downloads equal to the table shown, whole-number count axes."""

import datetime as dt
import io

import pandas as pd

from analytics.context import open_context
from analytics.measures import views
from analytics.outputs import exports
from tests.fixtures import charts, frame, metrics, open_page

HOA_THANH, TAN_CHAU = "Thị đoàn Hòa Thành", "Huyện đoàn Tân Châu"


def page_warnings(at) -> list:
    """The page's own warnings (not dashboard.py's banner for a store without accounts)."""
    return [w for w in at.warning if "Chưa có tài khoản nào" not in w.value]


def test_overview_says_who_is_behind_and_why_worst_first(demo_db, use_db):
    ctx = open_context(demo_db)  # as the dashboard opens it (one configuration per process)
    try:  # the lagging units 30 days before the as-of date (31/05/2022), counted apart
        from analytics.measures import attainment

        then = attainment.unit_targets(ctx.db, ctx.plan, dt.date(2022, 5, 31), ctx.settings.lagging)
        before = int(views.unit_summary(then)["lagging"].sum())
    finally:
        ctx.close()
    use_db(demo_db)
    at = open_page("app_pages/overview.py", as_of="2022-06-30")
    assert not at.exception
    box = page_warnings(at)[0].value.replace("\\", "")  # names and reasons are escaped Markdown
    assert "Toàn tỉnh: Chậm tiến độ" in box and "50/112 đơn vị chậm tiến độ" in box
    assert f"**{HOA_THANH}** (8/9 đơn vị chậm tiến độ)" in box
    table = frame(at, "Lý do chính")
    assert list(table["Huyện"][:2]) == [HOA_THANH, TAN_CHAU]  # worst first
    assert len(table) == 9 and "Đúng tiến độ" not in set(table["Tình trạng"][:8])
    assert table.iloc[0]["Đơn vị chậm"] == "8/9" and table.iloc[0]["Lý do chính"] == "X1 chưa có hoạt động ở 4 đơn vị"
    affiliated = frame(at, "Đoàn trực thuộc")
    assert len(affiliated) == 8 and not set(affiliated["Đoàn trực thuộc"]) & set(table["Huyện"])
    bars = next(c for c in charts(at) if "theo huyện" in c["layout"]["title"]["text"])
    names = [n for trace in bars["data"] for n in trace["y"]]
    assert len(names) == 9 and HOA_THANH in names  # districts only, affiliated apart
    behind = next(trace for trace in bars["data"] if trace["name"] == "Chậm tiến độ")
    hover = dict(zip(behind["y"], behind["customdata"]))[HOA_THANH][0]
    assert "8/9 đơn vị chậm tiến độ" in hover
    assert metrics(at)["Đơn vị chậm tiến độ"] == "50/112"
    delta = next(m for m in at.metric if m.label == "Đơn vị chậm tiến độ").proto.delta
    assert delta == f"{'+' if 50 > before else '-'}{abs(50 - before)} / 30 ngày"


def test_a_day_before_the_deadline_tay_ninh_city_is_behind(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/overview.py", as_of="2022-12-14")
    table = frame(at, "Lý do chính").set_index("Huyện")
    assert table.loc["Thành đoàn Tây Ninh", "Tình trạng"] == "Chậm tiến độ"
    assert "5/22 chỉ tiêu của đơn vị chưa đạt" in table.loc["Thành đoàn Tây Ninh", "Lý do"]


def test_choosing_a_district_row_narrows_the_whole_view(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/overview.py", as_of="2022-06-30")
    # AppTest has no dataframe or chart selection API: set the view as the selection's handler
    # (ui.state.narrow_to_district) does; the browser test clicks the row itself.
    at.session_state["view.district"] = "709"
    at.run()
    assert at.query_params["district"] == "709"
    assert at.sidebar.selectbox(key="sb.district").value == "709"
    assert "Thị đoàn Hòa Thành: Chậm tiến độ" in page_warnings(at)[0].value.replace("\\", "")


def test_explorer_link_carries_type_search_level_and_unit(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/explorer.py", as_of="2022-12-15")
    at.multiselect(key="explorer-types").set_value(["anti_drug"]).run()
    at.selectbox(key="explorer-level").set_value("commune").run()
    link = {k: at.query_params[k] for k in ("as_of", "types", "level")}
    shown = [m.value for m in at.markdown if "hoạt động" in m.value]
    opened = open_page("app_pages/explorer.py", **{k: v[0] if isinstance(v, list) else v for k, v in link.items()})
    assert opened.multiselect(key="explorer-types").value == ["anti_drug"]
    assert opened.selectbox(key="explorer-level").value == "commune"
    assert [m.value for m in opened.markdown if "hoạt động" in m.value] == shown


def test_explorer_download_has_the_tables_columns_and_order(demo_db):
    ctx = open_context(demo_db)  # as the dashboard opens it (one configuration per process)
    try:
        flt = views.ActivityFilter(lo=dt.date(2022, 1, 1), hi=dt.date(2022, 6, 30), types=("anti_drug",))
        page, total = views.activity_page(ctx.db, flt, 1, 50)
        buffer = io.BytesIO()
        rows = exports.write_activities_csv(ctx.db, flt, buffer, "vi", exports.SCREEN_COLUMNS, newest_first=True)
    finally:
        ctx.close()
    file = pd.read_csv(io.BytesIO(buffer.getvalue()), encoding="utf-8-sig", dtype=str)
    assert rows == total == len(file)
    assert list(file.columns) == [
        "Ngày",
        "Đơn vị",
        "Tên hoạt động",
        "Loại hoạt động",
        "Nhóm hoạt động",
        "Lượt tham gia",
        "Địa điểm",
        "Kinh phí (đồng)",
        "Mã",
        "Số hiệu",
    ]
    assert list(file.iloc[:50, -1].astype(int)) == list(page["id"])  # newest first, as on screen
    assert list(file.iloc[:50, 0]) == [d.strftime("%d/%m/%Y") for d in page["activity_date"]]


def test_lagging_download_rounds_as_the_screen(demo_db, use_db, monkeypatch):
    use_db(demo_db)
    import ui.downloads

    seen = {}
    real = ui.downloads.table_downloads

    def spy(frame, name, *args, **kwargs):
        seen[name] = frame
        return real(frame, name, *args, **kwargs)

    monkeypatch.setattr(ui.downloads, "table_downloads", spy)
    at = open_page("app_pages/lagging.py", as_of="2022-06-30")
    assert not at.exception
    table = seen["don-vi-cham-tien-do"]
    shown = frame(at, "Mức độ")
    assert list(table["Đơn vị"]) == list(shown["Đơn vị"]) and list(table.columns)[:3] == [
        "Đơn vị",
        "Đơn vị cấp huyện",
        "Lý do",
    ]
    assert table["Mức đạt"].str.fullmatch(r"\d{1,3}%").all()
    assert list(table["Mức đạt"]) == [f"{v:.0f}%" for v in shown["Mức đạt"]]
    assert exports.frame_to_csv(table).decode("utf-8-sig").count("77.7777") == 0


def test_count_axes_have_whole_number_ticks(demo_db, use_db):
    use_db(demo_db)
    at = open_page("app_pages/unit.py", as_of="2022-03-31", unit="25456")
    assert not at.exception
    timeline = next(c for c in charts(at) if c["data"][0]["type"] == "bar" and "yaxis2" in c["layout"])
    for axis in ("yaxis", "yaxis2"):
        assert timeline["layout"][axis]["tickformat"] == ",d"
        assert isinstance(timeline["layout"][axis]["dtick"], int) and timeline["layout"][axis]["dtick"] >= 1


def test_an_empty_store_gets_no_status_verdict_only_the_empty_store_note(empty_db, use_db):
    use_db(empty_db)
    at = open_page("app_pages/overview.py")
    assert not at.exception
    shown = [
        e.value for kind in (at.info, at.success, at.warning) for e in kind if "Chưa có tài khoản nào" not in e.value
    ]
    assert not [line for line in shown if "Toàn tỉnh:" in line]
    assert [line for line in shown if line.startswith("Chưa có hoạt động nào")]
