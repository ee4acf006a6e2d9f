"""A leader's journey in headless Chromium: overview → filter → lagging units → a unit's page → a shared link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from analytics.core.i18n import t
from tests.e2e.pages import HEADING, METRIC, SELECTBOX, App, select_row
from ui.charts import wrap_title


def vi(key: str, **values) -> str:
    return t(key, "vi", **values)


def query(app: App) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(app.page.url).query).items()}


def number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def headings(app: App) -> list[str]:
    return [h.inner_text().strip() for h in app.main().locator(HEADING).all()]


def test_a_leader_filters_finds_a_lagging_unit_and_shares_the_view(dashboard, store, page):
    app = App(page, dashboard(store)).open("?as_of=2022-09-30")
    app.assert_no_exception()
    assert app.title() == vi("overview.title")
    app.wait_for_chart()
    province = number(app.metric(vi("kpi.activities")))
    assert app.metric(vi("kpi.unit_targets_met")).endswith("/231")

    # A filter in the sidebar changes the figures and the link.
    app.choose(vi("sidebar.district"), "Huyện đoàn Gò Dầu")
    app.assert_no_exception()
    go_dau = number(app.metric(vi("kpi.activities")))
    assert 0 < go_dau < province
    assert query(app) == {"as_of": "2022-09-30", "district": "710"}
    # the chart's title, its first line (a long title is broken into lines to fit a phone)
    app.expect_text(wrap_title(vi("overview.by_unit", district="Huyện đoàn Gò Dầu")).split("<br>")[0])

    # The lagging units of that district: the view follows to the next page.
    app.nav.go(vi("nav.lagging"))
    app.expect_title(vi("lagging.title"))
    app.assert_no_exception()
    assert query(app)["district"] == "710"
    summary = app.main().get_by_text(re.compile(r"đơn vị chậm tiến độ tính đến 30/09/2022")).first.inner_text()
    lagging = number(summary.split("trên")[0])
    assert lagging >= 1
    assert app.dataframes().count() >= 1

    # Each row leads to the unit's page: select the first row (its tick box, left of the row).
    select_row(app, 0)
    app.expect_title(vi("unit.title"))
    app.assert_no_exception()
    first_code = query(app)["unit"]

    # Back on the list (no bounce back to the unit), then the picker under the table does the same.
    app.nav.go(vi("nav.lagging"))
    app.expect_title(vi("lagging.title"))
    assert "unit" not in query(app)
    picker = app.labelled(SELECTBOX, vi("lagging.open_unit"))
    chosen = picker.locator("input").input_value()  # e.g. "Huyện Gò Dầu (710)"
    app.click_button(vi("lagging.open_button"))
    app.expect_title(vi("unit.title"))
    app.assert_no_exception()
    code = query(app)["unit"]
    assert chosen.endswith(f"({code})") and code == first_code, (chosen, code, first_code)
    name = chosen.rsplit(" (", 1)[0]
    assert name in headings(app)
    assert query(app)["district"] == "710" and query(app)["as_of"] == "2022-09-30"
    unit_figures = app.metrics()

    # A colleague opens the link in a fresh browser session: same unit, same view, same figures.
    shared = page.url
    other_context = page.context.browser.new_context()
    try:
        colleague = App(other_context.new_page(), app.base_url)
        colleague.page.goto(shared)
        colleague.wait()
        # A fresh session may run the script twice (the entry point reroutes the first run): wait for the cards.
        expect(colleague.page.locator(METRIC)).to_have_count(len(unit_figures), timeout=60_000)
        colleague.wait()
        colleague.expect_title(vi("unit.title"))
        colleague.assert_no_exception()
        assert name in headings(colleague)
        assert colleague.metrics() == unit_figures
        district_box = colleague.labelled(SELECTBOX, vi("sidebar.district"))
        assert district_box.locator("input").input_value() == "Huyện đoàn Gò Dầu"
        assert query(colleague)["unit"] == code
    finally:
        other_context.close()
