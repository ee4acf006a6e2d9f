"""User journeys in a real browser against a real server and store."""
from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import docx

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


def test_lagging_units_download_as_csv_holds_every_lagging_unit_the_overview_counts(dashboard, store, page):
    app = App(page, dashboard(store)).open()
    lagging, units = app.metric(t("kpi.lagging_units", "vi")).split("/")
    app.nav.go(t("nav.lagging", "vi"))
    app.assert_no_exception()

    download = app.download(t("downloads.csv", "vi"))
    assert download.suggested_filename == "don-vi-cham-tien-do.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)  # so Excel shows Vietnamese
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert t("col.unit", "vi") in header and t("col.reasons", "vi") in header
    assert len(body) == int(lagging) and 0 < int(lagging) < int(units)
    codes = [row[header.index(t("col.code", "vi"))] for row in body]
    assert len(set(codes)) == len(codes)


def test_province_report_downloads_as_a_word_document_from_the_overview(dashboard, store, page):
    app = App(page, dashboard(store)).open()
    download = app.download(t("downloads.report_province", "vi"))
    assert download.suggested_filename.endswith(".docx")
    document = docx.Document(download.path())
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "ĐOÀN TNCS HỒ CHÍ MINH" in text and "BÁO CÁO" in text
