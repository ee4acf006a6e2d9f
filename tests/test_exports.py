"""CSV and XLSX exports: exact bytes, types read back, no formulas, filters, the Excel row limit, streaming."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import tracemalloc
import zipfile

import openpyxl
import pandas as pd
import pytest

from analytics.core.text import fold
from analytics.outputs import exports
from analytics.outputs.exports import About, ActivitySelection
from tests.fixtures import EXPORT_RECORDS, ROOT, make_store


@pytest.fixture
def tiny(tmp_path):
    ctx = make_store(tmp_path / "tiny.duckdb", records=EXPORT_RECORDS)
    yield ctx
    ctx.close()


HEADER = (
    "\ufeffMã đơn vị,Tên đơn vị,Đơn vị cấp huyện,Nhóm hoạt động,Loại hoạt động,Ngày tổ chức,Tên hoạt động,"
    "Số người tham gia,Địa điểm,Kinh phí,Mã hoạt động,Ghi chú\n"
)
GOLDEN = HEADER + (
    '72,Tỉnh đoàn Tây Ninh,,Cộng đồng và văn hóa,"Hỗ trợ khởi nghiệp bảo vệ môi trường, ứng phó biến đổi khí hậu",'
    '01/02/2022,Khởi nghiệp xanh,30,,2000000,,\n'
    '710,Huyện đoàn Gò Dầu,Huyện đoàn Gò Dầu,"Phòng, chống tội phạm và tệ nạn xã hội",'
    '"Tuyên truyền phòng, chống ma túy",05/03/2022,"\'=HYPERLINK(""http://x"",""bấm"")",120,'
    '"Nhà văn hóa, ấp 1",1500000,GD-01,\'-5 người vắng\n'
    '25456,Đoàn phường 1,Thành đoàn Tây Ninh,Cộng đồng và văn hóa,"Tham gia xây dựng đô thị văn minh, nông thôn mới",'
    '10/04/2022,Ngày Chủ nhật xanh,,\'@sân,,,"dòng 1\ndòng 2"\n'
    '710,Huyện đoàn Gò Dầu,Huyện đoàn Gò Dầu,"Phòng, chống tội phạm và tệ nạn xã hội",'
    '"Tuyên truyền phòng, chống ma túy",20/12/2022,\'+84 tuyên truyền,5,\'\tô,0,"","\'\rghi"\n'
)


def csv_bytes(ctx, selection=ActivitySelection()) -> bytes:
    out = io.BytesIO()
    exports.write_activities_csv(ctx.db, selection, out)
    return out.getvalue()


def test_activities_csv_golden_bytes(tiny):
    assert csv_bytes(tiny) == GOLDEN.encode("utf-8")


def test_csv_is_utf8_with_bom_and_reads_back_with_vietnamese_headers(tiny):
    data = csv_bytes(tiny)
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns)[:3] == ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp huyện"]
    assert list(frame["Ngày tổ chức"]) == ["01/02/2022", "05/03/2022", "10/04/2022", "20/12/2022"]
    assert "bản cũ đã thay" not in set(frame["Tên hoạt động"])  # superseded versions are not current
    for column in frame.columns:
        for value in frame[column]:
            assert not value.startswith(exports.FORMULA_TRIGGERS), (column, value)


def test_csv_filters_unit_district_type_and_dates(tiny):
    def titles(**options):
        data = csv_bytes(tiny, ActivitySelection.from_options(**options))
        return list(pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)["Tên hoạt động"])

    assert titles(unit="25456") == ["Ngày Chủ nhật xanh"]
    assert titles(district="703") == ["Ngày Chủ nhật xanh"]  # a commune of Thành phố Tây Ninh
    assert titles(district="710") == ["'=HYPERLINK(\"http://x\",\"bấm\")", "'+84 tuyên truyền"]
    assert titles(type_code="green_startup") == ["Khởi nghiệp xanh"]
    assert titles(date_from=dt.date(2022, 3, 1), date_to=dt.date(2022, 4, 30)) == [
        "'=HYPERLINK(\"http://x\",\"bấm\")",
        "Ngày Chủ nhật xanh",
    ]
    assert titles(as_of=dt.date(2022, 12, 15)) == [
        "Khởi nghiệp xanh",
        "'=HYPERLINK(\"http://x\",\"bấm\")",
        "Ngày Chủ nhật xanh",
    ]
    assert titles(date_to=dt.date(2022, 12, 31), as_of=dt.date(2022, 3, 5))[-1] == "'=HYPERLINK(\"http://x\",\"bấm\")"


def test_a_page_filter_with_view_parameter_names_exports_as_shown(tiny):
    class PageFilter:  # what analytics.measures.views.ActivityFilter gives: params() with the same names
        def __init__(self, level, text):
            self.level, self.text = level, text

        def params(self):
            return {
                "lo": dt.date(2022, 1, 1),
                "hi": dt.date(2022, 12, 15),
                "district": None,
                "group_code": None,
                "unit": None,
                "level": self.level,
                "types": [],
                "text": fold(self.text),
            }

    assert exports.count_activities(tiny.db, PageFilter("commune", "CHỦ NHẬT")) == 1
    assert exports.count_activities(tiny.db, PageFilter("district", "chu nhat")) == 0
    # "+84 tuyên truyền" is dated after the deadline, so only the March record matches.
    frame = pd.read_csv(io.BytesIO(csv_bytes(tiny, PageFilter("district", "tuyen truyen"))), encoding="utf-8-sig")
    assert list(frame["Ngày tổ chức"]) == ["05/03/2022"]


def test_frame_csv_golden_bytes():
    frame = pd.DataFrame(
        {
            "Đơn vị": ["Xã Thạnh Tân", "=cmd|' /C calc'!A0", "@SUM(1)"],
            "Ngày": [dt.date(2022, 5, 19), None, dt.date(2022, 12, 1)],
            "Số hoạt động": [3, 12, 0],
            "Chậm": [True, False, True],
            "Lý do": [["a", "b"], [], ["-x"]],
        }
    )
    assert exports.frame_to_csv(frame) == (
        "\ufeffĐơn vị,Ngày,Số hoạt động,Chậm,Lý do\n"
        "Xã Thạnh Tân,19/05/2022,3,có,a; b\n"
        "'=cmd|' /C calc'!A0,,12,không,\n"
        "'@SUM(1),01/12/2022,0,có,'-x\n"
    ).encode("utf-8")


def read_xlsx(data):
    return openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)


def assert_no_formulas(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
    for sheet in read_xlsx(data):
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate


def test_activities_xlsx_types_frozen_header_about_sheet_and_no_formulas(tiny):
    out = io.BytesIO()
    made = dt.datetime(2022, 12, 15, 9, 30)
    about = About("Danh sách hoạt động", {"Huyện": "=Gò Dầu"}, dt.date(2022, 12, 15), made)
    rows = exports.write_activities_xlsx(tiny.db, ActivitySelection(), out, about)
    data = out.getvalue()
    assert rows == 4
    assert_no_formulas(data)
    book = read_xlsx(data)
    assert book.sheetnames == ["Dữ liệu", "Thông tin"]
    sheet = book["Dữ liệu"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref
    header = [c.value for c in sheet[1]]
    assert header == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Đơn vị cấp huyện",
        "Nhóm hoạt động",
        "Loại hoạt động",
        "Ngày tổ chức",
        "Tên hoạt động",
        "Số người tham gia",
        "Địa điểm",
        "Kinh phí",
        "Mã hoạt động",
        "Ghi chú",
    ]
    assert all(c.font.b for c in sheet[1]) and sheet["A1"].fill.fgColor.rgb.endswith("DCE6F1")
    second = [c for c in sheet[3]]
    assert second[0].value == "710" and second[0].data_type == "s"  # codes stay text
    assert second[5].value == dt.datetime(2022, 3, 5) and second[5].is_date
    assert second[5].number_format == "dd/mm/yyyy"
    assert second[6].value == '=HYPERLINK("http://x","bấm")' and second[6].data_type == "s"
    assert second[6].quotePrefix  # Excel's own "this is text" mark
    assert second[7].value == 120 and second[7].data_type == "n"
    assert second[9].value == 1500000 and second[9].number_format == "#,##0"
    assert second[11].value == "-5 người vắng" and second[11].quotePrefix
    assert sheet["H4"].value is None  # no participants: empty, not 0
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert exports.MIN_WIDTH <= min(widths.values()) and max(widths.values()) <= exports.MAX_WIDTH + 1
    assert widths["G"] > widths["A"]

    info = {r[0]: r[1] for r in book["Thông tin"].iter_rows(values_only=True) if r[0]}
    assert info["Huyện"] == "=Gò Dầu" and book["Thông tin"]["B4"].quotePrefix
    assert info["Tính đến ngày"] == dt.datetime(2022, 12, 15)
    assert info["Thời điểm xuất"] == made
    assert info["Số dòng"] == 4


def test_frame_xlsx_keeps_numbers_numbers_and_dates_dates():
    frame = pd.DataFrame(
        {
            "Đơn vị": ["+Xã A", "Xã B"],
            "Ngày": pd.to_datetime(["2022-05-19", None]),
            "Mức đạt": [0.5, 1.0],
            "Số": pd.array([1, None], dtype="Int64"),
        }
    )
    data = exports.frame_to_xlsx(frame, About("Bảng", {}, dt.date(2022, 6, 30)))
    assert_no_formulas(data)
    sheet = read_xlsx(data).worksheets[0]
    assert [c.value for c in sheet[2]] == ["+Xã A", dt.datetime(2022, 5, 19), 0.5, 1]
    assert sheet["A2"].quotePrefix and sheet["B2"].is_date
    assert [c.value for c in sheet[3]] == ["Xã B", None, 1, None]
    assert sheet["C3"].number_format == "#,##0.0" and sheet["D2"].number_format == "#,##0"  # 1 reads "1.0", not "1."
    info = read_xlsx(data).worksheets[1]
    assert info["B3"].value == "Không lọc (toàn bộ dữ liệu)"


def test_above_excel_row_limit_xlsx_is_refused_with_a_reason_and_csv_still_works(tiny, monkeypatch):
    monkeypatch.setattr(exports, "EXCEL_MAX_ROWS", 4)  # header + 3 rows: the tiny store has 4 records
    with pytest.raises(exports.TooManyRowsForExcel) as refused:
        exports.write_activities_xlsx(tiny.db, ActivitySelection(), io.BytesIO(), About("x"))
    message = str(refused.value)
    assert "Excel" in message and "CSV" in message and "4 dòng" in message
    assert len(pd.read_csv(io.BytesIO(csv_bytes(tiny)), encoding="utf-8-sig")) == 4


def test_a_large_export_streams_without_python_holding_the_rows(tmp_path):
    db = tmp_path / "big.duckdb"
    subprocess.run(
        [sys.executable, "-m", "analytics", "demo", "--db", str(db), "--rows", "200000"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    from analytics.context import open_context

    ctx = open_context(db, read_only=True)
    target = tmp_path / "big.csv"
    tracemalloc.start()
    try:
        rows = exports.write_activities_csv(ctx.db, ActivitySelection(), target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        ctx.close()
    assert rows == 200_000
    size = target.stat().st_size
    assert size > 20_000_000
    assert peak < size / 5  # Python never held the file's contents, only a copy buffer
    with open(target, "rb") as f:
        assert f.read(3) == b"\xef\xbb\xbf"


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "analytics", "export", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_cli_export_csv_and_xlsx(tiny, tmp_path):
    path = tiny.db.path
    tiny.close()
    result = cli(
        "--db",
        str(path),
        "--format",
        "csv",
        "--district",
        "710",
        "--as-of",
        "2022-12-15",
        "-o",
        str(tmp_path / "gd.csv"),
    )
    assert result.returncode == 0, result.stderr
    assert "Đã xuất 1 dòng" in result.stdout
    text = (tmp_path / "gd.csv").read_bytes().decode("utf-8-sig")
    assert text.splitlines()[1].startswith("710,Huyện đoàn Gò Dầu")
    result = cli(
        "--db",
        str(path),
        "--format",
        "xlsx",
        "--type",
        "anti_drug",
        "--from",
        "2022-01-01",
        "-o",
        str(tmp_path / "a.xlsx"),
    )
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.worksheets[0].max_row == 3
    info = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True) if r[0]}
    assert info["Loại hoạt động"] == "Tuyên truyền phòng, chống ma túy" and info["Từ ngày"] == "01/01/2022"


def test_cli_export_rejects_unknown_codes_in_vietnamese(empty_db, tmp_path):
    for option, value, words in (
        ("--unit", "99999", "Không có đơn vị mã “99999”"),
        ("--district", "25456", "không phải đơn vị cấp huyện"),
        ("--type", "nope", "Không có loại hoạt động mã “nope”"),
    ):
        result = cli("--db", str(empty_db), "--format", "csv", option, value, "-o", str(tmp_path / "x.csv"))
        assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
    result = cli(
        "--db",
        str(empty_db),
        "--format",
        "csv",
        "--from",
        "2022-05-01",
        "--to",
        "2022-04-01",
        "-o",
        str(tmp_path / "x.csv"),
    )
    assert result.returncode == 2 and "sau ngày kết thúc" in result.stderr
    result = cli("--db", str(empty_db), "--format", "csv", "-o", str(tmp_path / "no" / "dir" / "x.csv"))
    assert result.returncode == 2 and "Không ghi được tệp" in result.stderr
