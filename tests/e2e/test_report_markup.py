"""The reporting cycle's user text in a real browser: a return reason and a refused file's name with link and
image payloads are read as typed, never a live link or a fetched image."""

from __future__ import annotations

from analytics.context import open_context
from analytics.core.i18n import t
from analytics.unit_reports import cycle
from tests.e2e.pages import UPLOAD_INPUT, App, SignInForm
from tests.fixtures import DEFAULT, PASSWORDS, scan, with_accounts, word

LINK, IMAGE = "[x](http://evil.example)", "![t](http://127.0.0.1:1/tracker.png)"
NAME = "[x](evil.example)![t](tracker.png).docx"  # a file name has no slash
EVIL = 'a[href*="evil.example"], img[src*="tracker"]'


def test_a_return_reason_and_a_refused_file_name_are_shown_as_text(dashboard, store, page):
    ctx = open_context(with_accounts(store))
    try:
        cycle.hand_in(ctx, DEFAULT, "710", [word(), scan()], "quantri")
        cycle.review(ctx, DEFAULT, "710", False, f"Thiếu dấu {LINK} {IMAGE}", "quantri")
    finally:
        ctx.close()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "tracker" in request.url else None)
    app = App(page, dashboard(store)).open("nop-bao-cao-nam")
    SignInForm(app).submit("quantri", PASSWORDS["quantri"])
    app.expect_title(t("reports.handin.title", "vi"))
    app.choose(t("reports.handin.unit", "vi"), "Huyện đoàn Gò Dầu")
    # the reason as typed (a bare URL carries an invisible word joiner that keeps it from being linked)
    assert any(f"Thiếu dấu {LINK} {IMAGE}" in a.replace("\u2060", "") for a in app.alerts())
    page.locator(UPLOAD_INPUT).first.set_input_files(
        files=[{"name": NAME, "mimeType": "application/octet-stream", "buffer": b"not a word file"}]
    )
    app.wait()
    app.click_button(t("reports.handin.submit", "vi"))
    assert any(NAME in a for a in app.alerts())  # the refusal names the file as it is called
    assert page.locator(EVIL).count() == 0
    app.nav.go(t("nav.unit_reports", "vi"))
    app.expect_title(t("reports.list.title", "vi"))
    assert page.locator(EVIL).count() == 0
    assert not fetched
    app.assert_no_exception()
