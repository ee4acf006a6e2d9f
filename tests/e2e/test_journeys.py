"""User journeys in a real browser against a real server and store."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import docx

from analytics.core.i18n import t
from analytics.core.text import format_number
from tests.e2e.pages import SELECTBOX, App, NavLink
from ui.navigation import PAGES, ROOT


def built_pages() -> list[NavLink]:
    """The pages ui/navigation.py puts in the menu (no sign-in in force): those whose file exists.
    The default page (Tổng quan) is linked as the bare base URL."""
    return [
        NavLink(t(spec.title_key, "vi"), "" if spec.url_path == "tong-quan" else spec.url_path)
        for spec in PAGES
        if (ROOT / spec.path).exists()
    ]


def test_every_page_in_the_navigation_opens_without_an_exception(dashboard, store, page):
    app = App(page, dashboard(store)).open()
    app.assert_no_exception()
    expected = built_pages()
    links = app.nav.links()
    # Streamlit shows no menu for a single page; otherwise the menu lists exactly the built pages.
    assert links == (expected if len(expected) > 1 else [])
    assert app.title() == t("overview.title", "vi")
    headings = {
        ("" if spec.url_path == "tong-quan" else spec.url_path): page_heading(spec)
        for spec in PAGES
        if (ROOT / spec.path).exists()
    }
    for link in links:
        app.nav.go(link.title)
        assert app.url_path == link.url_path
        app.expect_title(headings[link.url_path])  # the page's own st.title, not the one before the click
        app.assert_no_exception()


def test_a_shared_link_is_the_first_request_of_a_fresh_server(dashboard, store, page):
    """The link a leader sends opens its page and view at once, without Streamlit's "Page not found"."""
    app = App(page, dashboard(store)).open("chi-tieu?as_of=2022-06-30")
    assert app.title() == t("targets.title", "vi")
    page.wait_for_timeout(1000)
    assert not app.page_not_found_shown()
    app.assert_no_exception()
    assert "as_of=2022-06-30" in page.url


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


UPLOAD_ROWS = [  # (unit code, unit name, activity type, title, date, participants)
    ("25456", "Phường 1", "anti_drug", "Tuyên truyền phòng, chống ma túy tại khu phố 3", "01/06/2022", "120"),
    ("25456", "Phường 1", "life_skills", "Lớp kỹ năng sống hè cho thiếu nhi", "15/06/2022", "1.200"),
    ("703", "Thành phố Tây Ninh", "law_propaganda", "Diễn đàn thanh niên với pháp luật năm 2022", "20/06/2022", "300"),
]


def submission_file(folder: Path) -> Path:
    """A valid submission in the published format (version 1), as a clerk would save it from Excel."""
    lines = ["ma_don_vi,ten_don_vi,loai_hoat_dong,ten_hoat_dong,ngay_to_chuc,so_nguoi_tham_gia"]
    lines += [",".join(f'"{cell}"' for cell in row) for row in UPLOAD_ROWS]
    path = folder / "bao-cao-phuong-1.csv"
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode("utf-8"))
    return path


def test_uploaded_file_is_checked_then_stored_and_shown_on_the_overview(dashboard, store, page, tmp_path):
    app = App(page, dashboard(store)).open()
    activities = t("kpi.activities", "vi")
    before = int(app.metric(activities).replace(".", ""))

    app.nav.go(t("nav.upload", "vi"))
    # Streamlit's uploader speaks English on its own; the page gives it the catalogue's words.
    app.expect_uploader_words(["Chọn tệp", "Tối đa 50 MB mỗi tệp • CSV, TXT, TSV, XLSX"])
    app.upload(submission_file(tmp_path))
    app.assert_no_exception()
    assert app.metric(t("upload.metric.rows", "vi")) == "3"
    assert app.metric(t("upload.metric.accepted", "vi")) == "3"
    assert app.metric(t("upload.metric.rejected", "vi")) == "0"
    app.click_button(t("upload.confirm.button", "vi", count=3))
    app.assert_no_exception()

    app.nav.go(t("nav.overview", "vi"))
    assert app.metric(activities) == format_number(before + 3)


def test_a_reader_switches_to_english_and_back_keeping_the_view(dashboard, store, page):
    app = App(page, dashboard(store)).open("cham-tien-do?as_of=2022-09-30")
    app.choose(t("sidebar.district", "vi"), "Huyện đoàn Gò Dầu")
    app.choose(t("lagging.sort", "vi"), t("lagging.sort.name", "vi"))  # a choice worded in the old language
    app.choose("Ngôn ngữ · Language", "English")
    app.expect_title(t("lagging.title", "en"))
    app.assert_no_exception()
    assert app.nav.links()[0].title == t("nav.overview", "en")
    assert app.labelled(SELECTBOX, t("sidebar.district", "en")).locator("input").input_value() == "Huyện đoàn Gò Dầu"
    assert "district=710" in page.url
    app.expect_text(t("lagging.caption", "en"))
    app.nav.go(t("nav.targets", "en"))  # the language stays on every page
    app.expect_title(t("targets.title", "en"))
    app.assert_no_exception()
    app.choose("Ngôn ngữ · Language", "Tiếng Việt")
    app.expect_title(t("targets.title", "vi"))
    app.assert_no_exception()


def page_heading(spec) -> str:
    """The page's st.title, as its file asks for it (itself, or through ui.state.dashboard_page)."""
    source = (ROOT / spec.path).read_text(encoding="utf-8")
    return t(re.search(r'(?:st\.title\(t\(|dashboard_page\()"([\w.]+)"', source).group(1), "vi")


def test_every_page_address_opens_its_page_on_a_fresh_plain_streamlit_server(dashboard, store, browser):
    """`streamlit run dashboard.py`, no helper script: each page's own address, in a fresh browser context, opens
    that page at once (the first request of the server is a page other than the default one). The default page's
    address is the bare base URL, and its name (/tong-quan) opens it there too."""
    url = dashboard(store, plain_streamlit=True)
    specs = sorted((spec for spec in PAGES if (ROOT / spec.path).exists()), key=lambda s: s.url_path == "tong-quan")
    visits = [(spec, spec.url_path, spec.url_path) for spec in specs if spec.url_path != "tong-quan"]
    default = next(spec for spec in specs if spec.url_path == "tong-quan")
    visits += [(default, "tong-quan", ""), (default, "", "")]
    for spec, address, lands_on in visits:
        context = browser.new_context()
        try:
            app = App(context.new_page(), url).open(address)
            app.expect_title(page_heading(spec))
            app.page.wait_for_timeout(500)
            assert not app.page_not_found_shown(), address
            app.assert_no_exception()
            assert app.url_path == lands_on
        finally:
            context.close()
