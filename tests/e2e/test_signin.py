"""Sign-in in a real browser against a real server: no-account mode, menus by role, forbidden and file-name URLs,
sign-out and lockout."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from analytics.access import audit
from analytics.core.i18n import t
from analytics.store.database import Database
from tests.e2e.pages import ALERT, HEADING, METRIC, NAV_LINK, App, SignInForm
from tests.fixtures import OUT_OF_SCOPE_FILE, PASSWORDS, settings_with_auth, with_accounts

ADMIN_ONLY = {"Tài khoản", "Nhật ký hệ thống"}


def menu(app: App) -> set[str]:
    return {link.title for link in app.nav.links()}


def test_a_page_address_on_a_fresh_plain_server_still_asks_to_sign_in(dashboard, store, page):
    # plain `streamlit run dashboard.py`: the first request names a page; dashboard.py's sign-in gate runs first
    app = App(page, dashboard(with_accounts(store), plain_streamlit=True))
    app.open("chi-tieu")
    app.page.wait_for_selector(f"{HEADING}:has-text('Đăng nhập')")
    app.wait()
    assert SignInForm(app).shown()
    assert app.page.locator(METRIC).count() == 0 and not app.page_not_found_shown()
    app.open("nop-bao-cao")
    assert SignInForm(app).shown() and app.page.locator(METRIC).count() == 0
    app.open("upload")  # the file name of app_pages/upload.py is no address: still only the sign-in form
    assert SignInForm(app).shown() and app.page.locator(METRIC).count() == 0


def test_with_no_account_this_machine_is_served_with_the_first_admin_command(dashboard, store, page):
    app = App(page, dashboard(store)).open()
    app.assert_no_exception()
    assert "Chưa có tài khoản nào" in " ".join(app.alerts())
    page.get_by_text("Cách tạo tài khoản quản trị đầu tiên").click()
    how = page.locator('[data-testid="stExpander"]').first
    expect(how).to_contain_text(f"python -m analytics users add quantri --role admin --db {store}")
    assert ADMIN_ONLY <= menu(app)
    assert app.metric("Hoạt động") == "6.000"


def test_with_no_account_a_relayed_request_gets_only_the_instruction(dashboard, store, browser):
    url = dashboard(store)
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    try:
        app = App(context.new_page(), url).open()
        alerts = app.alerts()
        assert len(alerts) == 1 and "chỉ phục vụ truy cập từ chính máy chủ" in alerts[0]
        assert "python -m analytics users add quantri --role admin" in alerts[0] and str(store) not in alerts[0]
        assert app.nav.links() == [] and app.page.locator(METRIC).count() == 0
        assert app.page.locator(HEADING).count() == 0
    finally:
        context.close()


def test_sign_in_builds_the_menu_from_the_role_and_a_forbidden_url_stays_closed(dashboard, store, page):
    app = App(page, dashboard(with_accounts(store)))
    form = SignInForm(app)
    app.open()  # first request served; from here every URL goes through dashboard.py
    app.open("nhat-ky")
    assert form.shown() and app.page.locator(ALERT).count() == 0  # no "page not found" for a known URL
    form.submit("xem", "sai-mat-khau-1")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in app.alerts()
    form.submit("xem", PASSWORDS["xem"])
    app.assert_no_exception()
    # /nhat-ky is not the viewer's: its address says so in Vietnamese, shows none of the log, and leads on.
    app.expect_title("Nhật ký hệ thống")
    assert any(
        alert.endswith(
            "Trang này chỉ dành cho tài khoản quản trị; tài khoản của bạn (người xem) không mở "
            "được. Các trang bạn dùng được nằm trong menu bên trái."
        )
        for alert in app.alerts()
    )
    assert not app.page_not_found_shown() and app.dataframes().count() == 0
    assert not ADMIN_ONLY & menu(app) and "Nộp báo cáo" not in menu(app)
    assert app.page.locator(NAV_LINK).filter(has_text="Nhật ký").count() == 0
    app.main().get_by_role("link", name="Tổng quan").click()
    app.expect_title("Tổng quan")
    form.sign_out()
    assert form.shown()
    app.open("nhat-ky")  # an admin's bookmark: sign in, then the page asked for
    form.submit("quantri", PASSWORDS["quantri"])
    app.expect_title("Nhật ký hệ thống")
    assert ADMIN_ONLY <= menu(app)
    app.assert_no_exception()
    assert app.dataframes().count() == 1


def test_an_uploader_sees_the_data_pages_but_not_the_admin_ones(dashboard, store, page):
    app = App(page, dashboard(with_accounts(store))).open()
    SignInForm(app).submit("nop703", PASSWORDS["nop703"])
    app.expect_title("Tổng quan")
    assert not ADMIN_ONLY & menu(app)
    assert "Đơn vị: 703 · Thành đoàn Tây Ninh" in app.sidebar().inner_text()


def test_repeated_failures_lock_the_name_in_the_browser(dashboard, store, page, tmp_path):
    settings = str(settings_with_auth(tmp_path, slow_after_failures=99, lock_after_failures=3, lock_minutes=30))
    app = App(page, dashboard(with_accounts(store), ANTQ_SETTINGS=settings)).open()
    form = SignInForm(app)
    for _ in range(2):
        form.submit("quantri", "sai-mat-khau-1")
    form.submit("quantri", "sai-mat-khau-1")
    assert any("tạm bị khóa do đăng nhập sai nhiều lần" in a for a in app.alerts())
    form.submit("quantri", PASSWORDS["quantri"])
    assert any("tạm bị khóa" in a for a in app.alerts()) and form.shown()


def test_the_password_typed_in_the_browser_is_not_in_the_store_or_the_log(dashboard, store, page, tmp_path):
    url = dashboard(with_accounts(store))
    app = App(page, url).open()
    SignInForm(app).submit("quantri", "Mật-khẩu-gõ-sai-4321")
    SignInForm(app).submit("quantri", PASSWORDS["quantri"])
    app.expect_title("Tổng quan")
    server = dashboard.servers[0]
    server.stop()
    assert "Mật-khẩu-gõ-sai-4321" not in server.log() and PASSWORDS["quantri"] not in server.log()
    data = b"".join(p.read_bytes() for p in store.parent.iterdir() if p.name.startswith(store.name))
    for secret in ("Mật-khẩu-gõ-sai-4321", PASSWORDS["quantri"]):
        assert secret.encode() not in data
    with Database(store) as db:
        assert audit.entries(db)["action"].tolist()[:2] == ["sign_in", "sign_in_failed"]


def test_a_download_is_audited_with_who_made_it(dashboard, store, page):
    app = App(page, dashboard(with_accounts(store))).open()
    SignInForm(app).submit("quantri", PASSWORDS["quantri"])
    app.expect_title("Tổng quan")
    app.nav.go("Nhật ký hệ thống")
    download = app.download("Tải CSV")
    assert download.suggested_filename == "nhat-ky-he-thong.csv"
    assert "Đăng nhập" in Path(download.path()).read_text(encoding="utf-8-sig")
    app.open("nhat-ky")  # a new session, still signed in (the session cookie), reads the log
    app.expect_title("Nhật ký hệ thống")
    dashboard.servers[0].stop()
    with Database(store) as db:
        exported = audit.entries(db, actions=["export"])
    assert exported["actor"].tolist() == ["quantri"]
    assert json.loads(exported["detail"][0])["file"] == "nhat-ky-he-thong.csv"


def test_an_uploader_uploading_another_districts_rows_sees_them_rejected(dashboard, store, page, tmp_path):
    upload = tmp_path / "bao-cao-703.csv"
    upload.write_bytes(OUT_OF_SCOPE_FILE)
    app = App(page, dashboard(with_accounts(store))).open()
    SignInForm(app).submit("nop703", PASSWORDS["nop703"])
    app.expect_title("Tổng quan")
    app.nav.go("Nộp báo cáo")
    app.upload(upload)
    app.page.locator(METRIC).first.wait_for()
    assert app.metric("Hợp lệ") == "3" and app.metric("Bị từ chối") == "1"  # row 4: unit 705, not under 703
    blocked = t("upload.confirm.blocked", "vi", rejected="1")  # storing is blocked
    assert any(alert.endswith(blocked) for alert in app.alerts())  # (an alert's text starts with its icon's name)
    app.assert_no_exception()
