"""Page objects around Streamlit 1.67's data-testids. Every selector the browser tests use lives here.

Usage:
    app = App(page, base_url)
    app.open("tong-quan")                 # goto + wait for the script run to finish
    app.assert_no_exception()
    app.nav.links()                       # [NavLink(title, url_path)] from the sidebar navigation
    app.nav.go("Tổng quan")
    app.metrics()                         # {"Hoạt động": "6.000", ...}
    app.upload(path)                      # into the (only or given) file uploader
    download = app.download("Tải CSV")    # playwright Download of a st.download_button
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

from playwright.sync_api import Download, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# --- selectors (nowhere else) -----------------------------------------------------------------------------------
APP = '[data-testid="stApp"]'
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
APP_BUSY = '[data-testid="stApp"]:not([data-test-script-state="notRunning"])'  # a rerun asked for or running
APP_CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
MAIN = '[data-testid="stMain"]'
SIDEBAR = '[data-testid="stSidebar"]'
NAV = '[data-testid="stSidebarNav"]'
NAV_LINK = '[data-testid="stSidebarNavLink"]'
NAV_VIEW_MORE = '[data-testid="stSidebarNavViewButton"]'
NAV_SECTION = '[data-testid="stNavSectionHeader"]'
MARKDOWN = '[data-testid="stMarkdownContainer"]'
EXCEPTION = '[data-testid="stException"]'
EXCEPTION_MESSAGE = '[data-testid="stExceptionMessage"]'
ALERT = '[data-testid="stAlert"]'
HEADING = '[data-testid="stHeading"]'
METRIC = '[data-testid="stMetric"]'
METRIC_LABEL = '[data-testid="stMetricLabel"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
METRIC_DELTA = '[data-testid="stMetricDelta"]'
FILE_UPLOADER = '[data-testid="stFileUploader"]'
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
UPLOAD_HINT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
DOWNLOAD_BUTTON = '[data-testid="stDownloadButton"]'
BUTTON = '[data-testid="stButton"]'
DIALOG = '[data-testid="stDialog"]'
FORM = '[data-testid="stForm"]'
FORM_SUBMIT = '[data-testid="stFormSubmitButton"] button'
DATAFRAME = '[data-testid="stDataFrame"]'
TABLE = '[data-testid="stTable"]'
EXPANDER = '[data-testid="stExpander"]'
SELECTBOX = '[data-testid="stSelectbox"]'
TEXT_INPUT = '[data-testid="stTextInput"]'
WIDGET_LABEL = '[data-testid="stWidgetLabel"]'
PLOTLY_CHART = '[data-testid="stPlotlyChart"]'
CHART = (
    '[data-testid="stPlotlyChart"] .main-svg, [data-testid="stVegaLiteChart"] canvas, '
    '[data-testid="stVegaLiteChart"] svg, [data-testid="stDeckGlJsonChart"] canvas'
)

RUN_TIMEOUT = 60_000  # ms a script run may take before a test gives up


def wait_for_app_run(page: Page, timeout: float = RUN_TIMEOUT, settle_ms: int = 150) -> None:
    """Waits until the script run started by the last action has finished.

    After a click the frontend needs a moment before it flags the rerun as running, so wait a little first
    (as Streamlit's own e2e suite does), then for the connection and the idle flag.
    """
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(APP_CONNECTED, state="attached", timeout=timeout)
    page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout)


def wait_for_click_run(page: Page, timeout: float = RUN_TIMEOUT) -> None:
    """After a click that starts a run: first see the run asked for or under way (on a busy machine the frontend
    may take longer than wait_for_app_run's pause to say so), then wait for it to finish. A run so quick that it
    is over before the first look costs a two-second wait."""
    try:
        page.wait_for_selector(APP_BUSY, state="attached", timeout=2_000)
    except PlaywrightTimeoutError:
        pass
    wait_for_app_run(page, timeout, settle_ms=0)


def open_page(page: Page, base_url: str, url_path: str = "") -> None:
    """Loads base_url + url_path (e.g. "cham-tien-do?as_of=2022-06-30") and waits for the run to finish."""
    page.goto(urljoin(base_url, url_path.lstrip("/")))
    wait_for_app_run(page)


@dataclass(frozen=True)
class NavLink:
    title: str
    url_path: str  # "" for the default page (its link is the bare base URL)


class Navigation:
    """The sidebar navigation built by st.navigation."""

    def __init__(self, page: Page):
        self.page = page

    def _expand(self) -> None:
        more = self.page.locator(NAV_VIEW_MORE)
        if more.count() and "more" in (more.inner_text() or "").lower():
            more.click()

    def links(self) -> list[NavLink]:
        """The menu's links; empty when the app has a single page (Streamlit then hides the menu).
        Call after a finished run (App.open does that)."""
        if not self.page.locator(NAV).count():
            return []
        self._expand()
        found = []
        for link in self.page.locator(f"{NAV} {NAV_LINK}").all():
            path = urlparse(link.get_attribute("href") or "").path.strip("/")
            found.append(NavLink(link.locator(MARKDOWN).inner_text().strip(), path))
        return found

    def sections(self) -> list[str]:
        return [s.inner_text().strip() for s in self.page.locator(f"{NAV} {NAV_SECTION}").all()]

    def link(self, title: str) -> Locator:
        self._expand()
        label = self.page.locator(MARKDOWN).get_by_text(title, exact=True)
        return self.page.locator(f"{NAV} {NAV_LINK}").filter(has=label).first

    def go(self, title: str) -> None:
        link = self.link(title)
        target = urlparse(link.get_attribute("href") or "").path.rstrip("/")
        link.click()
        # the address changes when the server starts the page; only then can its run be waited for
        self.page.wait_for_url(lambda url: urlparse(url).path.rstrip("/") == target, timeout=RUN_TIMEOUT)
        wait_for_app_run(self.page)


class App:
    """The dashboard in one browser tab."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.nav = Navigation(page)

    # navigation
    def open(self, url_path: str = "") -> "App":
        open_page(self.page, self.base_url, url_path)
        return self

    def wait(self) -> None:
        wait_for_app_run(self.page)

    @property
    def url_path(self) -> str:
        return urlparse(self.page.url).path.strip("/")

    # what is on screen
    def main(self) -> Locator:
        return self.page.locator(MAIN)

    def sidebar(self) -> Locator:
        return self.page.locator(SIDEBAR)

    def title(self) -> str:
        """The page's first heading (st.title)."""
        heading = self.main().locator(HEADING).first
        heading.wait_for()
        return heading.inner_text().strip()

    def expect_title(self, text: str, timeout: float = RUN_TIMEOUT) -> None:
        """Waits until the page's first heading reads text, then for the run to finish.

        A page switch (st.switch_page, a nav link) can finish one script run and start the next one a moment later,
        so right after the click the old page may still be on screen and idle.
        """
        expect(self.main().locator(HEADING).first).to_have_text(text, timeout=timeout)
        wait_for_app_run(self.page)

    def exceptions(self) -> list[str]:
        return [e.inner_text() for e in self.page.locator(EXCEPTION).all()]

    def page_not_found_shown(self) -> bool:
        """Streamlit's own (English) dialog for a URL that names no page."""
        return self.page.get_by_text("Page not found").count() > 0

    def assert_no_exception(self) -> None:
        shown = self.exceptions()
        assert not shown, f"exception shown on /{self.url_path}:\n" + "\n---\n".join(shown)

    def alerts(self) -> list[str]:
        """Texts of st.error / st.warning / st.info / st.success boxes on the page."""
        return [a.inner_text().strip() for a in self.page.locator(ALERT).all()]

    def expect_text(self, text: str, timeout: float = RUN_TIMEOUT) -> None:
        expect(self.main().get_by_text(text).first).to_be_visible(timeout=timeout)

    def metrics(self) -> dict[str, str]:
        """KPI cards: label → shown value."""
        values = {}
        for card in self.page.locator(METRIC).all():
            values[card.locator(METRIC_LABEL).inner_text().strip()] = card.locator(METRIC_VALUE).inner_text().strip()
        return values

    def metric(self, label: str) -> str:
        card = self.page.locator(METRIC).filter(has=self.page.locator(METRIC_LABEL, has_text=label)).first
        return card.locator(METRIC_VALUE).inner_text().strip()

    def charts(self) -> Locator:
        return self.main().locator(CHART)

    def wait_for_chart(self, timeout: float = RUN_TIMEOUT) -> None:
        self.charts().first.wait_for(state="visible", timeout=timeout)

    def dataframes(self) -> Locator:
        return self.main().locator(DATAFRAME)

    # widgets
    def button(self, label: str) -> Locator:
        return self.page.locator(BUTTON).get_by_role("button", name=label).first

    def click_button(self, label: str) -> None:
        self.button(label).click()
        wait_for_click_run(self.page)

    def dialog(self) -> Locator:
        return self.page.locator(DIALOG)

    def form(self) -> Locator:
        return self.main().locator(FORM)

    def submit_form(self, values: dict[str, str], submit: str | None = None) -> None:
        """Fills a st.form's text inputs by label (e.g. {"Tên đăng nhập": "quantri"}) and presses its submit
        button (by label, else the first) without pressing Enter in a field."""
        form = self.form().first
        for label, value in values.items():
            form.locator(TEXT_INPUT).filter(has=self.page.locator(WIDGET_LABEL, has_text=label)).first.locator(
                "input"
            ).fill(value)
        buttons = form.locator(FORM_SUBMIT)
        (buttons.filter(has_text=submit).first if submit else buttons.first).click()
        wait_for_app_run(self.page)

    def labelled(self, widget_selector: str, label: str) -> Locator:
        """A widget (e.g. SELECTBOX, TEXT_INPUT) by its label text."""
        return self.page.locator(widget_selector).filter(has=self.page.locator(WIDGET_LABEL, has_text=label)).first

    def fill_text(self, label: str, value: str) -> None:
        field = self.labelled(TEXT_INPUT, label).locator("input")
        field.fill(value)
        field.press("Enter")
        wait_for_app_run(self.page)

    def choose(self, label: str, option: str) -> None:
        """Picks an option of a st.selectbox by the visible option text."""
        box = self.labelled(SELECTBOX, label).locator("input")
        box.click()
        box.fill(option)  # filters the list: an option outside the list's rendered window is not in the page
        self.page.get_by_role("option", name=option).first.click()
        wait_for_app_run(self.page)

    def upload(self, *files: Path | str, uploader: int = 0) -> None:
        """Sets files on a st.file_uploader (the first one unless told) and waits for the rerun."""
        self.page.locator(UPLOAD_INPUT).nth(uploader).set_input_files([str(f) for f in files])
        wait_for_app_run(self.page)

    def uploader_words(self, uploader: int = 0) -> list[str]:
        """What a reader sees on a file uploader's button and size hint: the text, or the words a style rule writes
        over it (a ::after whose element's own text has no size)."""
        zone = self.page.locator(FILE_UPLOADER).nth(uploader)
        parts = [zone.locator(f'button {MARKDOWN} p').first, zone.locator(UPLOAD_HINT).first]
        return [
            part.evaluate("""e => {
            if (getComputedStyle(e).fontSize !== '0px') return e.innerText.trim();
            const after = getComputedStyle(e, '::after').content;
            return after === 'none' ? '' : JSON.parse(after);
        }""")
            for part in parts
        ]

    def expect_uploader_words(self, expected: list[str], uploader: int = 0, timeout: float = 10_000) -> None:
        """Waits until the uploader shows `expected` (the page's style rule can land a moment after the widget)."""
        shown, waited = self.uploader_words(uploader), 0
        while shown != expected and waited < timeout:
            self.page.wait_for_timeout(200)
            waited += 200
            shown = self.uploader_words(uploader)
        assert shown == expected

    def download_buttons(self) -> Locator:
        return self.page.locator(f"{DOWNLOAD_BUTTON} button")

    def download(self, label: str | None = None, timeout: float = RUN_TIMEOUT) -> Download:
        """Clicks a st.download_button (by its label, else the first) and returns the browser's download."""
        buttons = self.download_buttons()
        target = buttons.filter(has_text=label).first if label else buttons.first
        with self.page.expect_download(timeout=timeout) as info:
            target.click()
        return info.value


def select_row(app: App, row: int, until=None) -> None:
    """Ticks a row of the first st.dataframe with row selection (the grid is a canvas: click by position).

    The grid ignores clicks until it has drawn itself, so the click is repeated until the page changes.
    """
    grid = app.dataframes().first
    title = app.title()
    done = until or (lambda: app.title() != title)
    for _ in range(5):
        grid.scroll_into_view_if_needed()
        app.page.wait_for_timeout(800)
        box = grid.bounding_box()
        header = row_height = 35
        x, y = box["x"] + 16, box["y"] + header + row_height * row + row_height / 2
        app.page.mouse.move(x, y)
        app.page.wait_for_timeout(200)
        app.page.mouse.down()
        app.page.mouse.up()
        app.wait()
        app.page.wait_for_timeout(500)
        app.wait()
        if done():
            return
    raise AssertionError(f"selecting row {row} did not leave the page {title!r}")


class SignInForm:
    """The sign-in form (page object) of a dashboard with accounts."""

    def __init__(self, app: App):
        self.app = app

    def shown(self) -> bool:
        """Waits for the form's heading (a rerun may still be replacing the page)."""
        self.app.main().locator(HEADING).filter(has_text="Đăng nhập").wait_for(timeout=30_000)
        return self.app.main().locator(FORM).count() == 1

    def submit(self, name: str, password: str) -> None:
        page = self.app.page
        page.locator(TEXT_INPUT).filter(has_text="Tên đăng nhập").locator("input").fill(name)
        page.locator(TEXT_INPUT).filter(has_text="Mật khẩu").locator("input").fill(password)
        page.locator(FORM_SUBMIT).click()
        self.app.wait()

    def sign_out(self) -> None:
        self.app.sidebar().locator(BUTTON).get_by_role("button", name="Đăng xuất").click()
        self.app.wait()
