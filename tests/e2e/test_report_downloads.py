"""Every download the reporting cycle and the lagging page added, in a real browser: the tables' CSV/XLSX carry
no live formula (a return reason and an uploader's file name are user text), and every file - tables, a unit's
Word and scan, the draft - answers only the signed-in browser session that made it, and not after sign-out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from analytics.context import open_context
from analytics.core.i18n import t
from analytics.unit_reports import cycle
from tests.e2e.pages import DATAFRAME, App, SignInForm
from tests.e2e.server import http_status
from tests.fixtures import DEFAULT, FORMULA_START, PASSWORDS, scan, with_accounts, word

FORMULA_REASON = "=1+1 @SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_FILE = "=HYPERLINK(evil).docx"


def cells_of(path: Path) -> list[str]:
    if path.suffix == ".csv":
        return [c for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) for c in row]
    book = openpyxl.load_workbook(path)
    assert all(c.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    return [
        str(c.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None and not (c.data_type == "s" and c._style.quotePrefix)
    ]  # quoted: shown as text


def table_files(app: App, key: str, tmp_path: Path) -> list[tuple[Path, str]]:
    """The CSV and the XLSX of the table whose downloads sit under `key`; each with its /media address."""
    got = []
    for label in (t("downloads.csv", "vi"), t("downloads.xlsx", "vi")):
        button = app.page.locator(f".st-key-{key}-downloads").get_by_role("button", name=label)
        with app.page.expect_download() as info:
            button.click()
        target = tmp_path / f"{key}-{info.value.suggested_filename}"
        info.value.save_as(target)
        got.append((target, info.value.url))
    return got


def assert_only_this_session(page, addresses: list[str]) -> None:
    """Checked before leaving the page: Streamlit drops a page's files when the browser moves on."""
    assert addresses and all("/media/" in a for a in addresses)
    assert {page.request.get(a).status for a in addresses} == {200}  # the session that made them
    assert {http_status(a) for a in addresses} == {404}  # a client without cookies


def test_report_and_lagging_downloads_are_neutral_and_tied_to_the_session(dashboard, store, browser, tmp_path):
    ctx = open_context(with_accounts(store))
    try:
        cycle.hand_in(ctx, DEFAULT, "710", [word(FORMULA_FILE), scan()], "nop703")
        cycle.review(ctx, DEFAULT, "710", False, FORMULA_REASON, "quantri")
    finally:
        ctx.close()
    url = dashboard(store)
    mine = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    try:
        page = mine.new_page()
        app = App(page, url).open("bao-cao-don-vi")
        SignInForm(app).submit("quantri", PASSWORDS["quantri"])
        app.expect_title(t("reports.list.title", "vi"))
        addresses = []
        files = table_files(app, "reports-table", tmp_path) + table_files(app, "reports-districts", tmp_path)
        reasons = [c for path, _ in files[:2] for c in cells_of(path) if "1+1" in c]
        assert reasons, "the returned report's reason is in the unit table's files"
        for path, address in files:
            assert not [c for c in cells_of(path) if c.startswith(FORMULA_START)], path.name
            addresses.append(address)
        for label in (t("reports.download.word", "vi"), t("reports.download.scan", "vi")):
            addresses.append(app.download(label).url)
        assert_only_this_session(page, addresses)

        app.nav.go(t("nav.report_handin", "vi"))
        app.choose(t("reports.handin.unit", "vi"), "Huyện đoàn Gò Dầu")
        addresses = [
            app.download(t("reports.handin.draft_button", "vi")).url,
            app.download(t("reports.download.word", "vi")).url,
        ]
        assert_only_this_session(page, addresses)

        app.open("cham-tien-do?as_of=2022-12-15")  # from the deadline on, the overdue list is today's
        app.expect_title(t("lagging.title", "vi"))
        app.expect_text(t("reports.overdue.header", "vi", count=16).split("(")[0].strip())
        addresses = []
        for path, address in table_files(app, "lagging-table", tmp_path):
            cells = cells_of(path)
            assert len(cells) > 10 and not [c for c in cells if c.startswith(FORMULA_START)], path.name
            addresses.append(address)

        assert_only_this_session(page, addresses)
        tables = page.locator(DATAFRAME).filter(
            visible=True
        )  # the overdue list included: no toolbar CSV around the neutralising
        assert tables.count() >= 2
        for i in range(tables.count()):
            tables.nth(i).hover()
            page.wait_for_timeout(300)
            assert page.get_by_role("button", name="Download as CSV").filter(visible=True).count() == 0
        SignInForm(app).sign_out()
        assert {page.request.get(a).status for a in addresses} == {404}  # the same browser after sign-out
    finally:
        mine.close()
