"""The dashboard shell and its overview page in AppTest, on the demo store and on an empty one."""

import datetime as dt
import json

from tests.fixtures import app_test, metrics, run_cli


def status(db, as_of):
    return json.loads(run_cli("status", "--db", db, "--as-of", as_of, "--json", check=True).stdout)


def overview(db, use_db, as_of: str):
    """The dashboard opened on `db` by a link carrying ?as_of=."""
    use_db(db)
    at = app_test()
    at.query_params["as_of"] = as_of
    return at.run()


def test_overview_on_the_demo_store_shows_the_status_figures(demo_db, use_db):
    expected = status(demo_db, "2022-09-30")
    at = overview(demo_db, use_db, "2022-09-30")
    assert not at.exception
    assert at.sidebar.date_input[0].value == dt.date(2022, 9, 30)
    shown = metrics(at)
    assert shown["Hoạt động"] == f"{expected['total_activities']:,}".replace(",", ".")
    lagging = sum(u["lagging"] for u in expected["units"])
    assert shown["Đơn vị chậm tiến độ"] == f"{lagging}/112"
    met = sum(tg["met"] for u in expected["units"] for tg in u["targets"])
    assert shown["Chỉ tiêu đạt (tính theo từng đơn vị)"] == f"{met}/231"
    assert shown["Số ngày đến hạn 15/12"] == "76 ngày"
    assert any("Đang hiển thị dữ liệu minh họa" in i.value for i in at.info)


def test_moving_the_as_of_date_replays_the_campaign(demo_db, use_db):
    at = overview(demo_db, use_db, "2022-09-30")
    september = metrics(at)["Hoạt động"]
    at.sidebar.date_input[0].set_value(dt.date(2022, 3, 31)).run()
    assert not at.exception
    assert metrics(at)["Hoạt động"] != september
    assert at.query_params["as_of"] == "2022-03-31"


def test_overview_on_an_empty_store_says_so(empty_db, use_db):
    use_db(empty_db)
    at = app_test().run()
    assert not at.exception
    assert metrics(at)["Hoạt động"] == "0"
    assert any("Chưa có hoạt động nào" in i.value for i in at.info)
    assert not any("Đang hiển thị dữ liệu minh họa" in i.value for i in at.info)


def test_an_as_of_date_before_the_period_is_explained(demo_db, use_db):
    at = overview(demo_db, use_db, "2021-12-01")
    assert not at.exception
    assert any("trước thời gian kế hoạch" in i.value for i in at.info)


def test_a_link_dated_long_before_the_plan_opens_at_the_earliest_date_not_today(demo_db, use_db):
    at = overview(demo_db, use_db, "2021-06-01")
    assert not at.exception
    assert at.sidebar.date_input[0].value == dt.date(2021, 12, 1)
    assert any("trước thời gian kế hoạch" in i.value for i in at.info)
