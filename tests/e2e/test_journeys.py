"""User journeys in a real browser against a real server and store."""
from __future__ import annotations

from analytics.i18n import t
from tests.e2e.pages import App, NavLink
from ui.navigation import PAGES, ROOT


def built_pages() -> list[NavLink]:
    """The pages ui/navigation.py puts in the menu (no sign-in in force): those whose file exists.
    The default page (Tổng quan) is linked as the bare base URL."""
    return [NavLink(t(spec.title_key, "vi"), "" if spec.url_path == "tong-quan" else spec.url_path)
            for spec in PAGES if (ROOT / spec.path).exists()]


def test_every_page_in_the_navigation_opens_without_an_exception(dashboard, store, page):
    app = App(page, dashboard(store)).open()
    app.assert_no_exception()
    expected = built_pages()
    links = app.nav.links()
    # Streamlit shows no menu for a single page; otherwise the menu lists exactly the built pages.
    assert links == (expected if len(expected) > 1 else [])
    assert app.title() == t("overview.title", "vi")
    for link in links:
        app.nav.go(link.title)
        assert app.url_path == link.url_path
        assert app.title()
        app.assert_no_exception()
