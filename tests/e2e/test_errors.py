"""A page that fails on a real server shows the reader one Vietnamese sentence, never Streamlit's English box,
an exception's text or a server path: on loading, in a button's callback and in a fragment's own rerun, under
scripts/serve.py and a plain `streamlit run dashboard.py`. The failing page exists only when the test sets
ANTQ_TEST_FAULT_PAGE (ui/navigation.py)."""

from __future__ import annotations

import pytest

from analytics.core.i18n import t
from tests.e2e.pages import EXCEPTION, MAIN, App
from ui.navigation import FAULT_PAGE_ENV, FAULT_PAGE_URL

STREAMLIT_WORDS = ("This app has encountered an error", "InjectedFault", "injected fault", "/srv/secret", "Traceback")


def assert_only_the_sentence(app: App) -> None:
    text = app.page.locator(MAIN).inner_text()
    assert app.page.locator(EXCEPTION).count() == 0
    assert [s for s in STREAMLIT_WORDS if s in text] == []
    assert text.count(t("app.error.unexpected", "vi")) == 1
    assert [a for a in app.alerts() if a.endswith(t("app.error.unexpected", "vi"))]  # in an error box


@pytest.mark.parametrize("plain_streamlit", [False, True], ids=["serve.py", "streamlit-run"])
def test_a_failing_page_shows_one_vietnamese_sentence(dashboard, store, page, plain_streamlit):
    url = dashboard(store, plain_streamlit=plain_streamlit, **{FAULT_PAGE_ENV: "1"})
    app = App(page, url).open(FAULT_PAGE_URL)
    assert_only_the_sentence(app)
    for button in ("callback", "fragment"):
        app.open(f"{FAULT_PAGE_URL}?fault=later")
        assert t("app.error.unexpected", "vi") not in app.page.locator(MAIN).inner_text()
        app.click_button(button)
        assert_only_the_sentence(app)
    server = dashboard.servers[0]
    assert server.log().count("InjectedFault: /srv/secret/path") >= 3  # the details stay in the server's log


def test_the_failing_page_is_not_there_without_the_test_switch(dashboard, store, page):
    app = App(page, dashboard(store)).open(FAULT_PAGE_URL)
    assert t("app.error.unexpected", "vi") not in app.page.locator(MAIN).inner_text()
    assert "callback" not in [b.inner_text() for b in page.get_by_role("button").all()]
