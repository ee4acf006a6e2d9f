"""Downloads in a real browser: a table as CSV and Excel, and a district's Word report from the unit page."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from pathlib import Path

import docx
import openpyxl

from analytics.core.i18n import t
from tests.e2e.pages import App
from tests.fixtures import run_cli

AS_OF = "2022-09-30"


def saved(download, folder: Path) -> Path:
    """The downloaded file under its suggested name (openpyxl needs the extension)."""
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def test_targets_table_downloads_as_csv_and_as_an_excel_workbook_that_states_its_filters(
    dashboard, store, page, tmp_path
):
    app = App(page, dashboard(store)).open(f"?as_of={AS_OF}")
    app.nav.go(t("nav.targets", "vi"))
    app.assert_no_exception()

    csv_file = app.download(t("downloads.csv", "vi"))
    raw = Path(csv_file.path()).read_bytes()
    assert csv_file.suggested_filename.endswith(".csv") and raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))

    xlsx_file = app.download(t("downloads.xlsx", "vi"))
    assert xlsx_file.suggested_filename == csv_file.suggested_filename.replace(".csv", ".xlsx")
    book = openpyxl.load_workbook(saved(xlsx_file, tmp_path))
    assert book.sheetnames == [t("export.sheet.data", "vi"), t("export.sheet.about", "vi")]
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0] == rows[0]  # the same Vietnamese headers as the CSV
    assert len(table) == len(rows) == 14  # header + the 13 targets
    assert {row[0] for row in table[1:]} >= {"T1", "H1", "X2"}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    numbers = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, int)]
    assert numbers and all(cell.data_type == "n" for cell in numbers)
    about = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True) if row[0]}
    assert about[t("export.about.as_of", "vi")] == dt.datetime(2022, 9, 30)
    assert isinstance(about[t("export.about.made_at", "vi")], dt.datetime)
    assert about[t("export.about.rows", "vi")] == 13


def test_district_report_downloads_from_the_unit_page_with_the_status_figures(dashboard, store, page):
    status = json.loads(run_cli("status", "--db", store, "--as-of", AS_OF, "--json", check=True).stdout)
    expected = next(u for u in status["units"] if u["code"] == "710")

    app = App(page, dashboard(store)).open(f"?as_of={AS_OF}")
    app.nav.go(t("nav.unit", "vi"))
    app.fill_text(t("unit.search", "vi"), "710")
    app.choose(t("col.unit", "vi") + " (", "Huyện đoàn Gò Dầu (710)")
    app.assert_no_exception()
    report = app.download(t("downloads.report_district", "vi"))
    assert report.suggested_filename == f"bao-cao-antq-huyen-710-{AS_OF}.docx"
    document = docx.Document(report.path())

    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs[:2]] == ["TỈNH ĐOÀN TÂY NINH", "BCH HUYỆN ĐOÀN GÒ DẦU"]
    assert right.paragraphs[0].text == "ĐOÀN TNCS HỒ CHÍ MINH"
    assert right.paragraphs[-1].text == "Gò Dầu, ngày …… tháng …… năm 2022"
    assert "(Số liệu tính đến ngày 30/09/2022)" in [p.text for p in document.paragraphs]
    targets = next(tb for tb in document.tables if [c.text for c in tb.rows[0].cells][2:3] == ["Chỉ tiêu giao"])
    shown = [[row.cells[3].text, row.cells[4].text] for row in targets.rows[1:]]
    assert shown == [[str(tg["count"]), "Đạt" if tg["met"] else "Chưa đạt"] for tg in expected["targets"]]
