"""The upload limit in a real browser: a file over server.maxUploadSize is refused by the browser, and the reader
sees why in Vietnamese (Streamlit's own reason is English)."""

from __future__ import annotations

from analytics.core.i18n import t
from tests.e2e.pages import App

REFUSED_CHIP = '[data-testid="stFileChip"][aria-invalid="true"]'


def test_a_file_over_the_limit_is_refused_in_vietnamese(dashboard, store, page, tmp_path):
    app = App(page, dashboard(store)).open()
    app.nav.go(t("nav.upload", "vi"))
    app.expect_uploader_words(["Chọn tệp", "Tối đa 50 MB mỗi tệp • CSV, TXT, TSV, XLSX"])
    big = tmp_path / "qua-lon.csv"
    with open(big, "wb") as handle:
        handle.truncate(51 * 2**20)
    app.upload(big)
    chip = page.locator(REFUSED_CHIP).first
    chip.wait_for(state="visible", timeout=10_000)
    said = chip.evaluate("e => JSON.parse(getComputedStyle(e, '::after').content)")
    assert said == t("intake.widget.refused", "vi", size=50, types="CSV, TXT, TSV, XLSX")
    assert chip.bounding_box()["height"] > 40  # the sentence has room under the file's name
    app.assert_no_exception()
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)
