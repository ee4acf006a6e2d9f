"""Contract 1.1: files as offices draw them (title blocks, instruction sheets, numbered templates, totals and
signatures, merged unit cells, names with districts), and the bounds every file is held to. Real XLSX/CSV bytes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analytics.intake.check import IngestReadError, _sanitised, check_file
from tests.fixtures import GOOD, HEADER, ROOT, activity, csv_bytes, office_workbook


def check(ctx, data, name="bao-cao.xlsx", **kw):
    return check_file(ctx.db, ctx.plan, ctx.units, data, name, **kw)


def errors(result):
    return [(e.line, e.column, e.value, e.message) for e in result.errors.itertuples()]


# -- where the table is -----------------------------------------------------------------------------
def test_a_table_under_the_unions_title_block_is_read_from_its_header_row(ctx):
    rows = [activity(1), activity(2), activity(3)]
    rows[2][4] = "31/02/2022"
    result = check(ctx, office_workbook(rows))
    assert (result.sheet, result.header_row, result.rows, result.accepted) == ("Báo cáo", 5, 3, 2)
    assert errors(result) == [
        (8, "Ngày tổ chức", "31/02/2022", "Ngày này không có trong tháng 2: hãy kiểm tra lại ngày và tháng.")
    ]
    assert result.warnings == []  # STT is the running number, not an unknown column


def test_an_instruction_sheet_before_the_report_is_passed_over_and_the_sheet_read_is_named(ctx):
    result = check(ctx, office_workbook([activity(1)], instructions=True))
    assert (result.sheet, result.header_row, result.accepted) == ("Báo cáo", 5, 1)


def test_a_workbook_without_a_header_names_the_sheets_it_searched(ctx):
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Ghi mỗi hoạt động một dòng"])
    book.create_sheet("Tổng hợp").append(["Tổng", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(IngestReadError) as caught:
        check(ctx, buffer.getvalue())
    assert "“Hướng dẫn”, “Tổng hợp”" in str(caught.value) and "20 dòng đầu" in str(caught.value)


def test_a_csv_with_a_title_block_and_blank_lines_above_its_header(ctx):
    lines = [
        "BCH HUYỆN ĐOÀN TÂN BIÊN;;;;;;",
        "",
        "BÁO CÁO KẾT QUẢ;;;;",
        ";;;;;;",
        ";".join(["STT"] + HEADER[1:6] + ["Địa điểm tổ chức"]),
        ";".join(["1"] + GOOD[1:6] + ["Hội trường"]),
        "",
        ";".join(["2"] + GOOD[1:3] + ["Tọa đàm", "30/02/2022", "", ""]),
    ]
    data = "\r\n".join(lines).encode("utf-8") + b"\r\n"
    result = check(ctx, data, name="bao-cao.csv")
    assert (result.separator, result.header_row, result.rows, result.accepted) == (";", 5, 2, 1)
    assert [e[:2] for e in errors(result)] == [(8, "ngay_to_chuc")]
    assert result.preview()["location"].tolist() == ["Hội trường"]  # "Địa điểm tổ chức" is dia_diem


# -- rows that are not activities -------------------------------------------------------------------
def test_a_template_numbered_in_advance_stores_the_filled_rows_and_says_nothing_of_the_rest(ctx):
    rows = [activity(n) for n in range(1, 8)] + [[n] + [None] * 8 for n in range(8, 41)]
    result = check(ctx, office_workbook(rows))
    assert (result.rows, result.accepted, result.rejected) == (7, 7, 0)
    assert result.warnings == []
    assert result.skipped_rows["line"].tolist() == list(range(13, 46))
    assert set(result.skipped_rows["reason"]) == {"numbered"}


def test_totals_and_signature_lines_are_left_out_and_named(ctx):
    under = [
        [None, "Tổng cộng", None, "3 hoạt động", None, 306, None, 4_500_000],
        [],
        [None, "Nơi nhận:", None, None, None, "TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN"],
        [None, "- Tỉnh đoàn;", None, None, None, "BÍ THƯ"],
        [None, "- Lưu VP.", None, None, None, "Nguyễn Văn An"],
    ]
    result = check(ctx, office_workbook([activity(1), activity(2), activity(3)], under=under))
    assert (result.rows, result.accepted, result.rejected) == (3, 3, 0)
    assert list(result.skipped_rows.itertuples(index=False, name=None)) == [
        (9, "total"),
        (11, "signature"),
        (12, "signature"),
        (13, "signature"),
    ]
    assert result.warnings == [
        "Dòng 9 là dòng tổng cộng, không tính là hoạt động và không được lưu.",
        "3 dòng dưới bảng (dòng 11, 12, 13: chữ ký, nơi nhận…) không tính là hoạt động và không được lưu.",
    ]


def test_a_row_missing_its_date_inside_the_table_is_still_an_error(ctx):
    rows = [activity(1), activity(2), activity(3)]
    rows[1][4] = None
    result = check(ctx, office_workbook(rows))
    assert [e[:2] for e in errors(result)] == [(7, "Ngày tổ chức")]
    assert result.skipped_rows.empty


def test_a_unit_name_merged_down_over_its_activities_gives_its_value_to_each_row(ctx):
    rows = [activity(1, "Xã Tân Phong"), activity(2, None), activity(3, None), activity(4, "Phường 1")]
    result = check(ctx, office_workbook(rows, merges=["B6:B8"]))
    assert errors(result) == []
    assert result.preview()["unit_code"].tolist() == ["25507", "25507", "25507", "25456"]


def test_without_a_merge_a_blank_unit_stays_an_error(ctx):
    rows = [activity(1, "Xã Tân Phong"), activity(2, None)]
    result = check(ctx, office_workbook(rows))
    assert [e[:2] for e in errors(result)] == [(7, "Tên đơn vị")]


# -- units named with their district ----------------------------------------------------------------
@pytest.mark.parametrize(
    "name, code",
    [
        ("Xã Tân Bình, huyện Tân Biên", "25495"),
        ("Xã Tân Bình - TP Tây Ninh", "25474"),
        ("Xã Tân Bình (Tân Biên)", "25495"),
        ("Tan Binh, Thanh pho Tay Ninh", "25474"),
        ("Đoàn xã Tân Bình – huyện Tân Biên", "25495"),
    ],
)
def test_a_unit_name_may_carry_its_district(ctx, name, code):
    result = check(ctx, csv_bytes([["", name] + GOOD[2:]]), name="bao-cao.csv")
    assert errors(result) == []
    assert result.preview()["unit_code"].tolist() == [code]


def test_a_name_in_the_wrong_district_or_an_unknown_district_says_what_exists(ctx):
    rows = [
        ["", "Xã Tân Bình, huyện Gò Dầu"] + GOOD[2:],
        ["", "Xã Tân Bình, huyện Không Có"] + GOOD[2:],
        ["", "Xã Tân Bìnhh"] + GOOD[2:],
    ]
    found = errors(check(ctx, csv_bytes(rows), name="bao-cao.csv"))
    assert (
        "25474 – Đoàn xã Tân Bình (Thành đoàn Tây Ninh)" in found[0][3]
        and "25495 – Đoàn xã Tân Bình (Huyện đoàn Tân Biên)" in found[0][3]
    )
    assert found[1][3].startswith("Không tìm thấy huyện, thị xã, thành phố “huyện Không Có”")
    assert found[2][3].startswith("Không tìm thấy đơn vị có tên này") and "(Huyện đoàn Tân Biên)" in found[2][3]


# -- messages that fit their column -----------------------------------------------------------------
def test_the_budget_column_gets_examples_in_dong(ctx):
    row = GOOD[:7] + ["1,5 triệu"] + GOOD[8:]
    [error] = errors(check(ctx, csv_bytes([row]), name="bao-cao.csv"))
    assert error[:3] == (2, "kinh_phi", "1,5 triệu")
    assert "1.500.000 đ" in error[3] and "1200" not in error[3]


def test_a_nul_byte_in_a_cell_is_rejected_with_its_row_and_column(ctx):
    row = GOOD[:3] + ["Hội thi\x00 tìm hiểu"] + GOOD[4:]
    result = check(ctx, csv_bytes([GOOD, row]), name="bao-cao.csv")
    assert [(e[0], e[1], e[2]) for e in errors(result)] == [(3, "ten_hoat_dong", "Hội thi␀ tìm hiểu")]
    assert "NUL" in errors(result)[0][3] and result.accepted == 1


def test_duckdb_details_never_carry_a_server_path():
    message = 'Invalid Input Error: Error in file "/tmp/tmpab12cd.csv" on line 3: C:\\Users\\x\\a.csv bad'
    assert "/tmp" not in _sanitised(message) and "Users" not in _sanitised(message)
    assert _sanitised(message).startswith("Invalid Input Error: Error in file")


# -- a version-1 file means the same ----------------------------------------------------------------
def test_a_version_1_file_reads_as_before(ctx):
    rows = [
        GOOD,
        GOOD[:3] + ["Hội thi", "2022-06-01", "", "", "", "", ""],
        [""] * 10,
        GOOD[:3] + ["", "01/07/2022", "", "", "", "", ""],
    ]
    result = check(ctx, csv_bytes(rows), name="bao-cao.csv")
    assert (result.sheet, result.header_row, result.rows, result.accepted, result.rejected) == (None, 1, 3, 2, 1)
    assert errors(result) == [(5, "ten_hoat_dong", None, "Ô này bắt buộc phải có giá trị.")]
    assert result.skipped_rows.empty and result.warnings == []


# -- bounds -------------------------------------------------------------------------------------------
def test_an_xlsx_that_unpacks_to_hundreds_of_megabytes_is_refused_in_seconds(ctx):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            member.write(b"<worksheet><sheetData>")
            for _ in range(300):
                member.write(b"<row>" + b" " * 2**20 + b"</row>")
            member.write(b"</sheetData></worksheet>")
    started = time.perf_counter()
    with pytest.raises(IngestReadError) as caught:
        check(ctx, buffer.getvalue())
    assert time.perf_counter() - started < 5
    message = str(caught.value)
    assert "giải nén lên tới 300,0 MB" in message and "\n" not in message


def test_a_header_of_100_000_columns_is_refused_with_its_true_width(ctx):
    header = HEADER + [f"cot_{i}" for i in range(100_000)]
    data = (",".join(header) + "\r\n" + ",".join(GOOD) + "\r\n").encode()
    with pytest.raises(IngestReadError) as caught:
        check(ctx, data, name="rong.csv")
    assert "100.010 cột" in str(caught.value)


def test_a_long_header_within_the_column_limit_is_read_whole(ctx):
    header = HEADER[:-1] + ["ghi_chu (" + "x" * 70_000 + ")"]
    result = check(ctx, csv_bytes([GOOD], header=header), name="dai.csv")
    assert result.accepted == 1 and result.preview()["notes"].tolist() == ["ghi chú"]


def test_a_million_blank_lines_between_rows_cost_nothing_and_keep_row_numbers(ctx):
    bad = GOOD[:4] + ["32/05/2022"] + GOOD[5:]
    head, good, bad_line = csv_bytes([GOOD, bad]).split(b"\r\n")[:3]
    data = head + b"\r\n" + good + b"\r\n" + b"\r\n" * 1_000_000 + b",,,,,,,,,\r\n" * 5000 + bad_line + b"\r\n"
    result = check(ctx, data, name="trong.csv")
    assert (result.rows, result.accepted) == (2, 1)
    assert errors(result)[0][:2] == (1_005_003, "ngay_to_chuc")


def test_thousands_of_separator_only_rows_without_empty_lines_keep_row_numbers(ctx):
    bad = GOOD[:4] + ["32/05/2022"] + GOOD[5:]
    head, good, bad_line = csv_bytes([GOOD, bad]).split(b"\r\n")[:3]
    data = head + b"\r\n" + good + b"\r\n" + b",,,,,,,,,\r\n" * 5000 + bad_line + b"\r\n"
    result = check(ctx, data, name="dong-trong.csv")
    assert (result.rows, result.accepted) == (2, 1)
    assert errors(result)[0][:2] == (5_003, "ngay_to_chuc")


def _dry_run_peak_mib(path, db) -> tuple[int, dict]:
    """Peak memory (MiB) of `import --dry-run --json` as its own process: its VmHWM, read until it exits. (Its
    rusage would not do: a child forked from a large test process carries that process's size into ru_maxrss.)"""
    child = subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", str(path), "--db", str(db), "--dry-run", "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    status, peak_kib = Path(f"/proc/{child.pid}/status"), 0
    reader = threading.Thread(target=lambda: setattr(child, "out", child.stdout.read()))
    reader.start()
    while child.poll() is None:
        try:
            found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
        except OSError:  # it has just exited
            break
        peak_kib = max(peak_kib, int(found.group(1))) if found else peak_kib
        time.sleep(0.005)
    reader.join()
    child.wait()
    return peak_kib // 1024, json.loads(child.out)


@pytest.mark.parametrize("kind", ["blank_lines", "wide_header", "xlsx_bomb"])
def test_import_dry_run_of_the_hostile_files_stays_under_400_mb(empty_db, tmp_path, kind):
    path = tmp_path / ("f.xlsx" if kind == "xlsx_bomb" else "f.csv")
    if kind == "blank_lines":
        path.write_bytes(b"\n" * 40 * 2**20)
    elif kind == "wide_header":
        path.write_bytes(",".join(f"c{i}" for i in range(100_000)).encode() + b"\n" + b"1," * 100_000 + b"\n")
    else:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open("xl/worksheets/sheet1.xml", "w") as member:
                for _ in range(560):
                    member.write(b"<row/>" * (2**20 // 6))
    peak, document = _dry_run_peak_mib(path, empty_db)
    assert document["exit_code"] == 2 and "/" not in document["error"].replace(str(path), "")
    assert peak < 400, peak


def test_an_xlsx_row_wider_than_the_limit_is_refused_with_its_true_width(ctx):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(GOOD + [None] * 290 + ["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(IngestReadError, match="có 301 cột"):
        check(ctx, buffer.getvalue())
