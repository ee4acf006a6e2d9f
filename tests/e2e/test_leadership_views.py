"""Issue 10 in headless Chromium: the overview's who-and-why and its clicks, phones at 390 px, Streamlit's own words
in Vietnamese in an English browser, and links that carry the whole view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from analytics.core.i18n import t
from tests.e2e.pages import ALERT, MAIN, App, select_row

LEADERSHIP = ("", "chi-tieu", "cham-tien-do", "don-vi", "tra-cuu")
# Words Streamlit draws in English when left alone (multiselect, date picker, navigation).
ENGLISH = (
    "Select all",
    "No results",
    "Page not found",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "S\tM\tT\tW\tT\tF\tS",
)
MULTISELECT = '[data-testid="stMultiSelect"]'
MULTISELECT_DROPDOWN = '[data-testid="stMultiSelectDropdown"]'
DATE_INPUT = '[data-testid="stDateInput"]'
CALENDAR = '[role="dialog"]'


def vi(key: str, **values) -> str:
    return t(key, "vi", **values)


def query(app: App) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(app.page.url).query).items()}


def new_app(browser, url: str, width: int, height: int, locale: str = "vi-VN") -> App:
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale=locale, timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(30_000)
    return App(context.new_page(), url)


VISIBLE_TEXT_JS = """root => {
    const out = [];
    const walk = e => {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden') return;
        const clipped = style.clip && style.clip.startsWith('rect(0') || style.clipPath === 'inset(50%)';
        if (!clipped && parseFloat(style.fontSize) > 0)
            for (const n of e.childNodes) if (n.nodeType === 3 && n.textContent.trim()) out.push(n.textContent.trim());
        const after = getComputedStyle(e, '::after').content;
        if (after && after !== 'none' && after !== 'normal') out.push(after.replace(/^"|"$/g, ''));
        for (const c of e.children) walk(c);
    };
    walk(root);
    return out.join('\\n');
}"""


def visible_text(app: App, selector: str) -> str:
    """The words a reader sees under the first element matching selector: text drawn at a size above zero (a style
    rule that writes the catalogue's words over Streamlit's hides those at size 0), the style rule's words, and no
    screen-reader-only text."""
    return app.page.locator(selector).first.evaluate(VISIBLE_TEXT_JS)


def close_popups(app: App) -> None:
    """Closes an open dropdown or calendar: Escape, then a click in the window's bottom-right corner (outside)."""
    app.page.keyboard.press("Escape")
    app.page.wait_for_timeout(200)
    if app.page.locator(f"{CALENDAR}, {MULTISELECT_DROPDOWN}").count():
        size = app.page.viewport_size
        app.page.mouse.click(size["width"] - 4, size["height"] - 4)
        app.page.wait_for_timeout(300)
    assert app.page.locator(f"{CALENDAR}, {MULTISELECT_DROPDOWN}").count() == 0
    app.wait()


def test_overview_first_screen_says_who_and_why_and_a_row_narrows_the_view(dashboard, store, browser):
    url = dashboard(store)
    for width, height in ((1440, 900), (390, 844)):
        app = new_app(browser, url, width, height)
        try:
            app.open("?as_of=2022-06-30")
            app.assert_no_exception()
            box = app.main().locator(ALERT).filter(has_text="Toàn tỉnh: Chậm tiến độ").first
            top = box.bounding_box()
            # it starts on the first screen, below only the title, the view's line and the two demo/no-account
            # banners (a real store with accounts shows neither)
            assert top is not None and top["y"] < height, (width, top)
            assert "Thị đoàn Hòa Thành (8/9 đơn vị chậm tiến độ)" in box.inner_text()
            context = app.main().get_by_text(re.compile(r"Tính đến 30/06/2022 · Toàn tỉnh")).first.bounding_box()
            assert context["y"] < top["y"]
            widths = app.page.evaluate(
                "[document.documentElement.scrollWidth, document.querySelector('[data-testid=stMain]').scrollWidth]"
            )
            assert max(widths) <= width, widths
        finally:
            app.page.context.close()
    app = new_app(browser, url, 1440, 900)
    try:
        app.open("?as_of=2022-06-30")
        select_row(app, 0, until=lambda: query(app).get("district") == "709")
        assert app.main().get_by_text(re.compile("Thị đoàn Hòa Thành: Chậm tiến độ")).count() >= 1
        assert (
            app.labelled('[data-testid="stSelectbox"]', vi("sidebar.district")).locator("input").input_value()
            == "Thị đoàn Hòa Thành"
        )
    finally:
        app.page.context.close()


@pytest.mark.parametrize("width", [390])
def test_every_leadership_page_fits_a_phone_and_states_its_view(dashboard, store, browser, width):
    app = new_app(browser, dashboard(store), width, 844)
    try:
        for path in LEADERSHIP:
            app.open(f"{path}?as_of=2022-06-30&district=709")
            app.page.wait_for_timeout(1500)
            app.assert_no_exception()
            widths = app.page.evaluate(
                "[document.documentElement.scrollWidth, document.querySelector('[data-testid=stMain]').scrollWidth]"
            )
            assert max(widths) <= width, (path, widths)
            line = app.main().get_by_text(re.compile(r"Tính đến 30/06/2022 · Thị đoàn Hòa Thành")).first
            assert line.is_visible(), path
    finally:
        app.page.context.close()


def test_streamlit_words_are_vietnamese_in_an_english_browser(dashboard, store, browser):
    app = new_app(browser, dashboard(store), 1440, 1000, locale="en-US")
    try:
        for path in LEADERSHIP:
            app.open(f"{path}?as_of=2022-06-30")
            app.page.wait_for_timeout(1000)
            seen = [visible_text(app, MAIN)]
            for i in range(app.page.locator(MULTISELECT).count()):
                box = app.page.locator(MULTISELECT).nth(i)
                box.locator("input").click()
                app.page.wait_for_selector(MULTISELECT_DROPDOWN)
                seen.append(visible_text(app, MULTISELECT_DROPDOWN))
                app.page.keyboard.type("khongcogica")
                app.page.wait_for_timeout(300)
                no_match = visible_text(app, MULTISELECT_DROPDOWN)
                assert "Không có kết quả" in no_match, (path, i)  # each multiselect's own "No results"
                seen.append(no_match)
                close_popups(app)
            calendars = app.page.locator(DATE_INPUT).count() if path in ("", "cham-tien-do") else 0
            for i in range(calendars):  # the sidebar's two date pickers, the same on every page
                app.page.locator(DATE_INPUT).nth(i).locator("button").last.click()
                app.page.wait_for_selector(CALENDAR)
                calendar = visible_text(app, CALENDAR)
                assert "Tháng 6" in calendar, (path, i)  # the as-of date's month, in Vietnamese
                seen.append(calendar)
                close_popups(app)
            text = "\n".join(seen)
            found = [word for word in ENGLISH if word in text]
            assert not found, (path, found)
    finally:
        app.page.context.close()


def test_an_explorer_link_opens_the_same_records_in_a_fresh_browser(dashboard, store, browser):
    url = dashboard(store)
    app = new_app(browser, url, 1440, 1000)
    other = new_app(browser, url, 1440, 1000)
    try:
        app.open("tra-cuu?as_of=2022-12-15")
        app.page.locator(MULTISELECT).first.locator("input").click()
        app.page.wait_for_selector(MULTISELECT_DROPDOWN)
        app.page.locator(MULTISELECT_DROPDOWN).get_by_text("Tuyên truyền phòng, chống ma túy", exact=True).click()
        app.page.keyboard.press("Escape")
        app.wait()
        app.page.wait_for_timeout(500)
        app.wait()
        counted = app.main().get_by_text(re.compile(r"trên tổng số")).first.inner_text()
        assert query(app)["types"] == "anti_drug"
        other.page.goto(app.page.url)
        other.wait()
        other.page.wait_for_timeout(1500)
        other.wait()
        assert other.main().get_by_text(re.compile(r"trên tổng số")).first.inner_text() == counted
        assert "Tuyên truyền phòng, chống ma túy" in other.page.locator(MULTISELECT).first.inner_text()
    finally:
        app.page.context.close()
        other.page.context.close()
