"""The plan's reporting cycle in a real browser: a district uploader downloads the draft, hands in Word and scan;
the province sees it on time, returns it with a reason; the unit sees the reason and hands in again; the province
accepts. The completeness figures move at each step."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from playwright.sync_api import expect

from analytics.access import audit, auth
from analytics.context import open_context
from tests.e2e.pages import ALERT, SELECTBOX, App, SignInForm
from tests.fixtures import settings_with_auth

PASSWORD = "mat-khau-dai-1"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def sign_in(app: App, name: str, url_path: str) -> None:
    """Opens the page's address; after the sign-in the page stays (a reload would need a new sign-in)."""
    app.open(url_path)
    form = SignInForm(app)
    assert form.shown()
    form.submit(name, PASSWORD)


def test_hand_in_return_hand_in_again_accept(dashboard, page, browser, tmp_path):
    store = tmp_path / "cycle.duckdb"
    ctx = open_context(store)
    auth.add_account(ctx.db, "quantri", PASSWORD, "admin", None, ctx.units, "tester", auth.AuthSettings())
    auth.add_account(ctx.db, "nop710", PASSWORD, "uploader", "710", ctx.units, "tester", auth.AuthSettings())
    ctx.close()
    settings = settings_with_auth(tmp_path, min_password_length=8)
    settings.write_text(
        settings.read_text(encoding="utf-8") + '[unit_reports]\ndeadline = "2099-12-15"\n', encoding="utf-8"
    )  # the journey happens before the deadline
    url = dashboard(store, ANTQ_SETTINGS=str(settings))
    word = tmp_path / "bao-cao-go-dau.docx"
    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả Huyện đoàn Gò Dầu")
    document.save(word)
    scan = tmp_path / "ban-scan.pdf"
    scan.write_bytes(PDF)

    unit = App(page, url)
    sign_in(unit, "nop710", "nop-bao-cao-nam")
    unit.expect_title("Nộp báo cáo năm")
    draft = unit.download("Tải dự thảo báo cáo (Word)")
    with zipfile.ZipFile(io.BytesIO(Path(draft.path()).read_bytes())) as archive:
        assert "word/document.xml" in archive.namelist()
    unit.upload(word, uploader=0)
    unit.upload(scan, uploader=1)
    unit.click_button("Nộp báo cáo")
    unit.expect_text("Đã nhận báo cáo của Huyện đoàn Gò Dầu (lần 1): Đã nộp.")
    unit.assert_no_exception()

    province_context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    try:
        province = App(province_context.new_page(), url)
        sign_in(province, "quantri", "bao-cao-don-vi")
        province.expect_title("Báo cáo của đơn vị")
        assert (province.metric("Đã nộp"), province.metric("Đúng hạn")) == ("1/17", "1/17")
        assert "Huyện đoàn Gò Dầu · Đã nộp" in province.labelled(SELECTBOX, "Đơn vị").aria_snapshot()  # the only one
        scan_copy = province.download("Tải bản scan")
        assert Path(scan_copy.path()).read_bytes() == PDF
        reason = province.page.get_by_label("Lý do trả lại")
        reason.fill("Bản scan chưa có dấu đỏ")
        province.page.get_by_role("button", name="Trả lại", exact=True).click()
        province.wait()
        province.expect_text("Đã trả lại báo cáo của Huyện đoàn Gò Dầu.")
        assert (province.metric("Đã nộp"), province.metric("Bị trả lại")) == ("0/17", "1")

        unit.nav.go("Nộp báo cáo năm")
        unit.expect_title("Nộp báo cáo năm")
        expect(unit.page.locator(ALERT).filter(has_text="Lý do: Bản scan chưa có dấu đỏ")).to_be_visible()
        signed = tmp_path / "ban-scan-co-dau.pdf"
        signed.write_bytes(PDF + b"% signed and stamped\n")
        unit.upload(signed, uploader=1)
        unit.click_button("Nộp báo cáo")
        unit.expect_text("Đã nhận báo cáo của Huyện đoàn Gò Dầu (lần 2): Đã nộp.")

        province.nav.go("Báo cáo của đơn vị")
        province.expect_title("Báo cáo của đơn vị")
        assert (province.metric("Đã nộp"), province.metric("Đúng hạn")) == ("1/17", "1/17")
        assert "Huyện đoàn Gò Dầu · Đã nộp" in province.labelled(SELECTBOX, "Đơn vị").aria_snapshot()  # kept
        province.click_button("Tiếp nhận")
        province.expect_text("Đã tiếp nhận báo cáo của Huyện đoàn Gò Dầu.")
        assert (province.metric("Đã nộp"), province.metric("Đã tiếp nhận")) == ("1/17", "1")
        province.assert_no_exception()
    finally:
        province_context.close()

    for server in dashboard.servers:
        server.stop()
    ctx = open_context(store)
    try:
        log = audit.entries(ctx.db)
    finally:
        ctx.close()
    actions = list(log["action"])
    assert actions.count("report_hand_in") == 2 and {"report_return", "report_accept", "report_download"} <= set(
        actions
    )
    assert set(log.loc[log["action"] == "report_hand_in", "actor"]) == {"nop710"}
