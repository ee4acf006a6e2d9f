"""Hardening in a real browser against a real server: sign-in attempts from parallel tabs, downloads tied to the
signed-in session, no table toolbar CSV, no formula in any download, no Markdown from user data."""

from __future__ import annotations

import csv
import io
import re

import openpyxl

from analytics.core.i18n import t
from analytics.store.database import Database
from tests.e2e.pages import DATAFRAME, UPLOAD_INPUT, App, SignInForm, wait_for_click_run
from tests.e2e.server import http_status
from tests.fixtures import (
    ACCOUNTS,
    FORMULA_START,
    GOOD,
    HEADER,
    PASSWORDS,
    csv_bytes,
    settings_with_auth,
    store_file,
    with_accounts,
)

FORMULAS = ["=1+1", "@SUM(1+1)*cmd|' /C calc'!A0", "-1+1", "+1+1"]


def test_twelve_tabs_signing_in_at_once_check_at_most_the_limit(dashboard, store, browser, tmp_path):
    settings = str(settings_with_auth(tmp_path, slow_after_failures=99, lock_after_failures=6, lock_minutes=15))
    url = dashboard(with_accounts(store), ANTQ_SETTINGS=settings)
    context = browser.new_context()
    try:
        tabs = [context.new_page() for _ in range(12)]
        apps = [App(tab, url).open() for tab in tabs]
        forms = [SignInForm(app) for app in apps]
        for form in forms:
            assert form.shown()
        for tab in tabs:  # fill every tab, then press every button without waiting
            tab.locator('[data-testid="stTextInput"]').filter(has_text="Tên đăng nhập").locator("input").fill("xem")
            tab.locator('[data-testid="stTextInput"]').filter(has_text="Mật khẩu").locator("input").fill("sai-mat-khau")
        for tab in tabs:
            tab.locator('[data-testid="stFormSubmitButton"] button').click(no_wait_after=True)
        for app in apps:
            app.wait()
        tabs[0].wait_for_timeout(1000)
        forms[0].submit("xem", PASSWORDS["xem"])  # the right password, right after: still locked
        assert any("tạm bị khóa" in a for a in apps[0].alerts())
    finally:
        context.close()
    dashboard.servers[0].stop()
    with Database(store) as db:
        failed = db.scalar("SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed'")
        locked = db.scalar("SELECT locked_until FROM sign_in_throttle WHERE name_key = 'xem'")
    assert failed == 6 and locked is not None


def test_a_download_answers_only_its_signed_in_session(dashboard, store, browser):
    url = dashboard(with_accounts(store))
    mine, other = browser.new_context(accept_downloads=True), browser.new_context(accept_downloads=True)
    try:
        page = mine.new_page()
        app = App(page, url).open("?as_of=2022-09-30")
        SignInForm(app).submit("xem", PASSWORDS["xem"])
        app.nav.go("Chỉ tiêu")
        download = app.download(t("downloads.csv", "vi"))
        address = download.url
        assert "/media/" in address
        assert page.request.get(address).status == 200  # the browser session that made it
        assert http_status(address) == 404  # a client without cookies
        stranger = other.new_page()
        App(stranger, url).open()  # another browser with its own cookie
        assert stranger.request.get(address).status == 404
        SignInForm(app).sign_out()
        assert page.request.get(address).status == 404  # the same browser after sign-out
    finally:
        mine.close()
        other.close()


def test_no_download_path_carries_a_formula_and_the_toolbar_has_no_csv(dashboard, store, page, tmp_path):
    store_file(store, accounts={"quantri": ACCOUNTS["quantri"]})
    data = tmp_path / "cong-thuc.csv"
    rows = [GOOD[:3] + [formula] + GOOD[4:8] + [f"F-{i}", formula] for i, formula in enumerate(FORMULAS)]
    rows.append(GOOD[:3] + ["Ngày sai"] + ["=31/02/2022"] + GOOD[5:8] + ["F-9", "@x"])  # a rejected row
    data.write_bytes(csv_bytes(rows, header=HEADER))
    app = App(page, dashboard(store)).open()
    SignInForm(app).submit("quantri", PASSWORDS["quantri"])
    app.nav.go("Nộp báo cáo")
    app.upload(data)
    app.assert_no_exception()
    tables = page.locator(DATAFRAME)
    tables.nth(1).wait_for(timeout=60_000)
    assert tables.count() >= 2  # the error table and the preview show the formulas as text
    for i in range(tables.count()):
        tables.nth(i).hover()
        page.wait_for_timeout(300)
        assert page.get_by_role("button", name="Download as CSV").filter(visible=True).count() == 0
    page.locator('[data-testid="stCheckbox"]').first.click()
    wait_for_click_run(page)
    app.click_button("Lưu ")
    app.nav.go("Tra cứu hoạt động")
    files = {}
    for label in (t("downloads.csv", "vi"), t("downloads.xlsx", "vi")):
        download = app.download(label)
        files[label] = tmp_path / download.suggested_filename
        download.save_as(files[label])
    cells = [
        cell
        for row in csv.reader(io.StringIO(files[t("downloads.csv", "vi")].read_text(encoding="utf-8-sig")))
        for cell in row
    ]
    assert any("1+1" in c for c in cells)  # the formula rows are in the files...
    assert not [c for c in cells if c.startswith(FORMULA_START)]  # ...never as a formula
    book = openpyxl.load_workbook(files[t("downloads.xlsx", "vi")])
    quoted = [
        c
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(FORMULA_START)
    ]
    assert quoted and all(c.data_type == "s" and c._style.quotePrefix for c in quoted)  # Excel shows them as text
    assert all(c.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    tables = page.locator(DATAFRAME)
    for i in range(tables.count()):
        tables.nth(i).hover()
        page.wait_for_timeout(300)
        assert page.get_by_role("button", name="Download as CSV").filter(visible=True).count() == 0


def test_links_and_images_from_a_file_are_shown_as_text(dashboard, store, page, tmp_path):
    store_file(store, accounts={"quantri": ACCOUNTS["quantri"]})
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "tracker" in request.url else None)
    link, image = "[x](http://evil.example)", "![t](http://127.0.0.1:1/tracker.png)"
    name = "[x](evil.example)![t](tracker.png).csv"  # a file name has no slash
    app = App(page, dashboard(store)).open()
    SignInForm(app).submit("quantri", PASSWORDS["quantri"])
    app.nav.go("Nộp báo cáo")
    page.locator(UPLOAD_INPUT).set_input_files(
        files=[
            {
                "name": name,
                "mimeType": "text/csv",
                "buffer": csv_bytes([GOOD + ["a", "b"]], header=HEADER + [link, image]),
            }
        ]
    )
    app.wait()
    shown = [a.replace("\u2060", "") for a in app.alerts()]  # a bare URL carries an invisible word joiner
    assert any(link in a and image in a for a in shown)  # the headers read as typed
    app.click_button("Lưu ")
    app.nav.go("Lịch sử nộp")
    app.click_button("Hoàn tác…")
    body = app.dialog().inner_text()
    assert name in body
    assert page.locator('a[href*="evil.example"], img[src*="tracker"]').count() == 0
    assert not fetched


def test_a_session_still_on_the_sign_in_form_cannot_upload(dashboard, store, page):
    session_ids = set()

    def frames(socket):
        socket.on(
            "framereceived",
            lambda frame: session_ids.update(
                re.findall(
                    rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                    frame if isinstance(frame, bytes) else frame.encode(),
                )
            ),
        )

    page.on("websocket", frames)
    url = dashboard(with_accounts(store))
    app = App(page, url).open()
    assert SignInForm(app).shown() and session_ids
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")

    def put(session_id: bytes) -> int:
        return page.request.put(
            f"{url}_stcore/upload_file/{session_id.decode()}/f1",
            headers={"X-Xsrftoken": xsrf},
            multipart={"file": {"name": "a.csv", "mimeType": "text/csv", "buffer": b"x" * 1024}},
        ).status

    assert {put(s) for s in session_ids} == {403}  # not signed in: refused before the body is kept
    SignInForm(app).submit("nop703", PASSWORDS["nop703"])
    app.expect_title("Tổng quan")
    assert 204 in {put(s) for s in session_ids}  # signed in: the file is taken (Streamlit answers 204 No Content)
