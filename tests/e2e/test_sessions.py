"""Sign-in that survives a reload and a new tab, and ends everywhere at sign-out (a real server and browser)."""
from __future__ import annotations

from analytics import sessions
from tests.e2e.pages import App, SignInForm
from tests.fixtures import PASSWORDS, with_accounts


def session_cookie(context) -> dict:
    found = [c for c in context.cookies() if c["name"] == sessions.COOKIE]
    assert len(found) == 1, context.cookies()
    return found[0]


def signed_in(app: App, title: str = "Tổng quan") -> None:
    app.expect_title(title)
    app.sidebar().get_by_role("button", name="Đăng xuất").wait_for(timeout=15_000)
    assert "Đăng nhập: xem" in app.sidebar().inner_text()


def test_a_reload_and_a_new_tab_keep_the_sign_in(dashboard, store, page):
    app = App(page, dashboard(with_accounts(store))).open()
    SignInForm(app).submit("xem", PASSWORDS["xem"])
    signed_in(app)
    cookie = session_cookie(page.context)
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/" and len(cookie["value"]) >= 40
    page.reload()
    app.wait()
    signed_in(app)
    tab = App(page.context.new_page(), app.base_url).open("chi-tieu?as_of=2022-06-30")
    signed_in(tab, "Chỉ tiêu")
    tab.assert_no_exception()


def test_sign_out_in_one_tab_ends_the_other_at_its_next_run(dashboard, store, page):
    app = App(page, dashboard(with_accounts(store))).open()
    SignInForm(app).submit("xem", PASSWORDS["xem"])
    signed_in(app)
    other = App(page.context.new_page(), app.base_url).open("chi-tieu")
    signed_in(other, "Chỉ tiêu")
    SignInForm(app).sign_out()
    assert SignInForm(app).shown()
    other.nav.go("Tổng quan")  # the other tab's next run
    assert SignInForm(other).shown()
    assert other.page.get_by_role("button", name="Đăng xuất").count() == 0
    other.page.reload()  # and its cookie no longer signs in
    other.wait()
    assert SignInForm(other).shown()


def test_a_token_copied_before_sign_out_is_refused_after_it(dashboard, store, page, browser):
    app = App(page, dashboard(with_accounts(store))).open()
    SignInForm(app).submit("xem", PASSWORDS["xem"])
    signed_in(app)
    copied = session_cookie(page.context)
    thief = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        thief.add_cookies([{k: copied[k] for k in ("name", "value", "domain", "path", "sameSite")}])
        before = App(thief.new_page(), app.base_url).open()
        signed_in(before)  # the copy works while the session is open (as a cookie does)...
        SignInForm(app).sign_out()
        after = App(thief.new_page(), app.base_url).open()
        assert SignInForm(after).shown()  # ...and not after the sign-out
        assert after.page.get_by_role("button", name="Đăng xuất").count() == 0
    finally:
        thief.close()
