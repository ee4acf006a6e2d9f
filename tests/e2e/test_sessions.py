"""Sign-in that survives a reload and a new tab, and ends everywhere at sign-out (a real server and browser).

Under scripts/serve.py the server sets the session cookie HttpOnly (ui/session_cookie.py): no script in the page
can read the token. A plain `streamlit run dashboard.py` falls back to a cookie written by the page's script."""

from __future__ import annotations

import time

from analytics.access import sessions
from tests.e2e.pages import App, SignInForm
from tests.fixtures import PASSWORDS, with_accounts

ROUTE = "/_antq/session"


def session_cookies(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == sessions.COOKIE]


def session_cookie(context, timeout: float = 15) -> dict:
    """The browser's session cookie, once the page's request for it has been answered."""
    deadline = time.monotonic() + timeout
    while not (found := session_cookies(context)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(found) == 1, context.cookies()
    return found[0]


def no_session_cookie(context, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while session_cookies(context) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_cookies(context) == []


def signed_in(app: App, title: str = "Tổng quan") -> None:
    app.expect_title(title)
    app.sidebar().get_by_role("button", name="Đăng xuất").wait_for(timeout=15_000)
    assert "Đăng nhập: xem" in app.sidebar().inner_text()


def sign_in(app: App) -> dict:
    """Signs in as `xem`; returns the Set-Cookie line the server's route answered with."""
    with app.page.expect_response(
        lambda r: r.url.endswith(ROUTE) and r.request.method == "POST", timeout=30_000
    ) as answered:
        SignInForm(app).submit("xem", PASSWORDS["xem"])
    signed_in(app)
    response = answered.value
    assert response.status == 204
    return {"set-cookie": response.header_value("set-cookie") or ""}


def script_sees_no_token(page, token: str) -> None:
    assert sessions.COOKIE not in page.evaluate("document.cookie")
    assert token not in page.content()  # nor anywhere in the page's document


def test_the_server_sets_an_httponly_cookie_that_a_reload_and_a_new_tab_keep(dashboard, store, page):
    app = App(page, dashboard(with_accounts(store))).open()
    answer = sign_in(app)
    attributes = {part.strip().lower() for part in answer["set-cookie"].split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= attributes and "secure" not in attributes  # plain http
    cookie = session_cookie(page.context)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert len(cookie["value"]) >= 40
    script_sees_no_token(page, cookie["value"])
    page.reload()
    app.wait()
    signed_in(app)
    script_sees_no_token(page, cookie["value"])
    tab = App(page.context.new_page(), app.base_url).open("chi-tieu?as_of=2022-06-30")
    signed_in(tab, "Chỉ tiêu")
    tab.assert_no_exception()
    script_sees_no_token(tab.page, cookie["value"])


def test_sign_out_in_one_tab_ends_the_other_at_its_next_run(dashboard, store, page):
    app = App(page, dashboard(with_accounts(store))).open()
    sign_in(app)
    session_cookie(page.context)
    other = App(page.context.new_page(), app.base_url).open("chi-tieu")
    signed_in(other, "Chỉ tiêu")
    SignInForm(app).sign_out()
    assert SignInForm(app).shown()
    no_session_cookie(page.context)  # the server cleared it (a script could not: it is HttpOnly)
    other.nav.go("Tổng quan")  # the other tab's next run
    assert SignInForm(other).shown()
    assert other.page.get_by_role("button", name="Đăng xuất").count() == 0
    other.page.reload()
    other.wait()
    assert SignInForm(other).shown()


def test_a_token_copied_before_sign_out_is_refused_after_it(dashboard, store, page, browser):
    app = App(page, dashboard(with_accounts(store))).open()
    sign_in(app)
    copied = session_cookie(page.context)
    thief = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        thief.add_cookies([{k: copied[k] for k in ("name", "value", "domain", "path", "sameSite", "httpOnly")}])
        before = App(thief.new_page(), app.base_url).open()
        signed_in(before)  # the copy works while the session is open (as a cookie does)...
        SignInForm(app).sign_out()
        after = App(thief.new_page(), app.base_url).open()
        assert SignInForm(after).shown()  # ...and not after the sign-out
        assert after.page.get_by_role("button", name="Đăng xuất").count() == 0
    finally:
        thief.close()


def test_a_plain_streamlit_run_keeps_the_sign_in_with_a_cookie_its_page_writes(dashboard, store, page):
    # no server route there: the page's script writes the cookie (SameSite=Strict), so it is not HttpOnly
    app = App(page, dashboard(with_accounts(store), plain_streamlit=True)).open()
    SignInForm(app).submit("xem", PASSWORDS["xem"])
    signed_in(app)
    cookie = session_cookie(page.context)
    assert cookie["httpOnly"] is False and cookie["sameSite"] == "Strict"
    page.reload()
    app.wait()
    signed_in(app)
    SignInForm(app).sign_out()
    assert SignInForm(app).shown()
    no_session_cookie(page.context)
