"""Checking submission files: real bytes for each encoding, separator and bad input of the contract."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
import zipfile

import openpyxl
import pytest

from analytics.core.text import fold
from analytics.intake.check import IngestReadError, check_file, column_letter, match_key, split_prefix
from tests.fixtures import GOOD, HEADER, csv_bytes


def check(ctx, data, name="bao-cao.csv", **kw):
    return check_file(ctx.db, ctx.plan, ctx.units, data, name, **kw)


def errors(result):
    return [(e.line, e.column, e.value, e.message) for e in result.errors.itertuples()]


def stored_values(result):
    return result.preview(1000).to_dict(orient="records")


# -- encodings and separators ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "encoding, label",
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-16", "UTF-16"), ("cp1258", "Windows-1258")],
)
def test_each_encoding_is_detected_and_read_to_the_same_text(ctx, encoding, label):
    result = check(ctx, csv_bytes([GOOD], encoding=encoding))
    assert result.encoding == label
    assert result.rows == result.accepted == 1 and result.rejected == 0
    row = stored_values(result)[0]
    assert row["title"] == "Tuyên truyền phòng, chống ma túy"
    assert row["notes"] == "ghi chú"
    assert row["participants"] == 1200 and row["budget_vnd"] == 1_500_000


def test_windows_1258_combining_marks_become_nfc(ctx):
    data = csv_bytes([GOOD], encoding="cp1258")
    assert "truy\xea\xccn".encode("latin-1") in data  # ê, then the grave tone as its own byte (0xCC)
    row = stored_values(check(ctx, data))[0]
    assert row["title"] == unicodedata.normalize("NFC", "Tuyên truyền phòng, chống ma túy")
    assert len(row["title"]) == len("Tuyên truyền phòng, chống ma túy")  # NFC: one code point per letter


def test_decomposed_utf8_is_normalised_to_nfc(ctx):
    import unicodedata

    data = unicodedata.normalize("NFD", csv_bytes([GOOD]).decode()).encode()
    row = stored_values(check(ctx, data))[0]
    assert row["title"] == unicodedata.normalize("NFC", "Tuyên truyền phòng, chống ma túy")
    assert row["unit_code"] == "25456"


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_separator_is_detected(ctx, sep):
    row = list(GOOD)
    row[3] = "Hội thi, tọa đàm"
    result = check(ctx, csv_bytes([row], sep=sep))
    assert result.separator == sep
    assert stored_values(result)[0]["title"] == "Hội thi, tọa đàm"


def test_utf16_tab_separated_as_excel_saves_unicode_text(ctx):
    result = check(ctx, csv_bytes([GOOD, GOOD[:3] + ["Khác"] + GOOD[4:8] + ["HD-2", ""]], sep="\t", encoding="utf-16"))
    assert (result.encoding, result.separator, result.accepted) == ("UTF-16", "\t", 2)


def test_headers_match_ignoring_case_diacritics_spaces_and_english_aliases(ctx):
    header = [
        "Mã đơn vị",
        "TEN DON VI",
        "activity_type",
        "Title",
        "Ngày  tổ chức",
        "participants",
        "Địa điểm",
        "budget_vnd",
        "activity_ref",
        "Notes",
    ]
    result = check(ctx, csv_bytes([GOOD], header=header))
    assert result.accepted == 1 and not result.warnings


def test_extra_columns_are_named_in_a_warning_and_not_stored(ctx):
    result = check(ctx, csv_bytes([GOOD + ["x"]], header=HEADER + ["Người lập"]))
    assert result.accepted == 1
    assert any("Người lập" in w for w in result.warnings)
    assert "Người lập" not in stored_values(result)[0]


def test_a_row_shifted_by_an_unquoted_comma_is_rejected_at_the_cell_past_the_header(ctx):
    header = ",".join(HEADER).encode()
    good = ",".join(GOOD[:3] + ["Hội thi", *GOOD[4:]]).encode()
    shifted = ",".join(GOOD[:3] + ["Tuyên truyền", " phòng chống ma túy", *GOOD[4:]]).encode()  # 11 cells
    # Empty cells past the header (as some spreadsheets save them) are harmless.
    trailing = good.replace("Hội thi".encode(), "Tọa đàm".encode()).replace(b"HD-1", b"HD-3") + b",,,"
    result = check(ctx, b"\r\n".join([header, good, shifted, trailing]) + b"\r\n")
    assert (result.rows, result.accepted, result.rejected) == (3, 2, 1)
    past = [e for e in errors(result) if e[1] == "K (không có tiêu đề)"]
    assert past == [
        (
            3,
            "K (không có tiêu đề)",
            "ghi chú",
            "Ô này nằm ngoài các cột có tiêu đề (dòng tiêu đề có 10 cột). Có thể một ô phía trước chứa "
            "dấu phẩy mà không đặt trong ngoặc kép nên các ô sau bị lệch cột; hãy sửa rồi nộp lại.",
        )
    ]
    assert [r["title"] for r in stored_values(result)] == ["Hội thi", "Tọa đàm"]


def test_a_quote_never_closed_rejects_the_row_that_swallowed_the_following_lines(ctx):
    rows = [",".join(GOOD[:3] + [f"Hội thi {n}", *GOOD[4:8], f"HD-{n}", "x"]) for n in range(1, 5)]
    rows[1] = rows[1].replace("Hội thi 2", '"Hội thi 2')  # opened, never closed: rows 4 and 5 go into this cell
    result = check(ctx, "\n".join([",".join(HEADER), *rows]).encode() + b"\n")
    assert (result.rows, result.accepted) == (2, 1)
    quote = [e for e in errors(result) if "ngoặc kép" in e[3]]
    assert len(quote) == 1
    line, column, value, message = quote[0]
    assert (line, column) == (3, "ten_hoat_dong") and value.startswith("Hội thi 2,19/05/2022")
    assert message.startswith('Ô này mở dấu ngoặc kép (") mà không đóng, nên 2 dòng tiếp theo của tệp bị gộp')


def test_cells_under_a_blank_header_are_named_in_a_warning(ctx):
    header = HEADER[:9] + [""]  # ghi_chu's header left blank
    rows = [GOOD[:9] + ["giữ lại?"], GOOD[:3] + ["Tọa đàm", *GOOD[4:8], "HD-2", ""]]
    result = check(ctx, csv_bytes(rows, header=header))
    assert result.accepted == 2
    assert result.warnings == [
        "Cột J không có tiêu đề nhưng có dữ liệu ở 1 dòng (đầu tiên ở dòng 2); dữ liệu này "
        "sẽ không được lưu. Muốn giữ, hãy đặt tiêu đề theo mẫu (ví dụ Ghi chú)."
    ]
    xlsx = check(ctx, xlsx_bytes([GOOD[:9] + [None, "ngoài bảng"]], header=HEADER[:9]), name="bao-cao.xlsx")
    assert xlsx.accepted == 1 and xlsx.warnings[0].startswith("Cột K không có tiêu đề nhưng có dữ liệu ở 1 dòng")


def test_a_utf8_file_with_a_few_stray_bytes_rejects_those_cells_instead_of_reading_it_all_as_windows_1258(ctx):
    pasted = GOOD[:3] + ["Hội thi tìm hiểu pháp luật"] + GOOD[4:8] + ["HD-2", "café"]
    data = csv_bytes([GOOD, pasted]).replace("café".encode(), b"caf\xe9")  # one Latin-1 byte
    result = check(ctx, data)
    assert result.encoding == "UTF-8 (có byte lỗi)"
    assert [r["title"] for r in stored_values(result)] == [GOOD[3]]  # read as UTF-8, not as mojibake
    assert [(e[0], e[1], e[2]) for e in errors(result)] == [(3, "ghi_chu", "caf\ufffd")]
    assert errors(result)[0][3].startswith("Ô này có ký tự không đọc được")


def test_the_templates_example_row_is_not_stored_as_an_activity(ctx):
    from analytics.intake.template import template_csv

    row = ["Tập huấn kỹ năng", "20/05/2022"]
    data = template_csv(ctx.plan, ctx.units) + ",".join(GOOD[:3] + row + GOOD[5:8] + ["HD-7", ""]).encode()
    result = check(ctx, data)
    assert (result.rows, result.accepted, result.rejected) == (2, 1, 1)
    assert errors(result) == [
        (
            2,
            "Ghi chú",
            "Dòng ví dụ: hãy xóa trước khi nộp",
            "Đây là dòng ví dụ của mẫu báo cáo; hãy xóa dòng này trước khi nộp.",
        )
    ]


def test_a_header_may_carry_a_hint_in_brackets(ctx):
    header = ["Mã đơn vị", "Loại hoạt động", "Tên hoạt động", "Ngày tổ chức (dd/mm/yyyy)", "Số người tham gia [người]"]
    result = check(ctx, csv_bytes([[GOOD[0], GOOD[2], GOOD[3], GOOD[4], "15"]], header=header))
    assert result.accepted == 1 and not result.warnings
    assert stored_values(result)[0]["participants"] == 15


def test_a_missing_unit_is_reported_under_the_unit_column_the_file_has(ctx):
    header = ["Tên đơn vị", "Loại hoạt động", "Tên hoạt động", "Ngày tổ chức"]
    result = check(ctx, csv_bytes([["", GOOD[2], GOOD[3], GOOD[4]]], header=header))
    assert [e[:2] for e in errors(result)] == [(2, "Tên đơn vị")]


def test_column_letters_are_those_of_a_spreadsheet():
    assert [column_letter(i) for i in (0, 9, 25, 26, 27, 701, 702)] == ["A", "J", "Z", "AA", "AB", "ZZ", "AAA"]


# -- rows, numbers and dates ----------------------------------------------------------------------
def test_blank_rows_are_ignored_and_row_numbers_stay_those_of_the_spreadsheet(ctx):
    bad = GOOD[:4] + ["31/02/2022"] + GOOD[5:]
    header, good, commas, bad_line = csv_bytes([GOOD, [""] * 10, bad]).split(b"\r\n")[:4]
    data = b"\r\n".join([header, good, b"", commas, b"   ", bad_line]) + b"\r\n"
    assert commas == b",,,,,,,,,"
    # rows: 1 header, 2 good, 3 empty line, 4 ",,,,", 5 spaces only, 6 bad
    result = check(ctx, data)
    assert result.rows == 2
    assert errors(result)[0][:3] == (6, "ngay_to_chuc", "31/02/2022")


def test_quoted_line_breaks_keep_row_numbers(ctx):
    first = list(GOOD)
    first[3] = "Hội thi\nhai dòng"
    bad = GOOD[:2] + ["khong_co"] + GOOD[3:]
    result = check(ctx, csv_bytes([first, bad], newline="\n"))
    assert stored_values(result)[0]["title"] == "Hội thi\nhai dòng"
    assert errors(result)[0][:2] == (3, "loai_hoat_dong")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-05-19", dt.date(2022, 5, 19)),
        ("19/05/2022", dt.date(2022, 5, 19)),
        ("2022-05-19 14:30:00", dt.date(2022, 5, 19)),
        ("19/5/2022", dt.date(2022, 5, 19)),
        ("19-05-2022", dt.date(2022, 5, 19)),
        ("1/2/2022", dt.date(2022, 2, 1)),
    ],
)
def test_dates_are_read_day_first(ctx, text, expected):
    row = GOOD[:4] + [text] + GOOD[5:]
    assert stored_values(check(ctx, csv_bytes([row])))[0]["activity_date"] == expected


def test_an_excel_day_number_is_named_as_such(ctx):
    result = check(ctx, csv_bytes([GOOD[:4] + ["44700"] + GOOD[5:]]))  # 44700 = 19/05/2022 in Excel
    assert [e[:3] for e in errors(result)] == [(2, "ngay_to_chuc", "44700")]
    assert errors(result)[0][3].startswith("Đây là số ngày kiểu Excel")


@pytest.mark.parametrize("text", ["19/05/22", "hôm qua"])
def test_malformed_dates_are_rejected_with_the_formats(ctx, text):
    result = check(ctx, csv_bytes([GOOD[:4] + [text] + GOOD[5:]]))
    assert result.rejected == 1
    assert errors(result) == [
        (
            2,
            "ngay_to_chuc",
            text,
            "Ngày không hợp lệ: hãy ghi ngày/tháng/năm (19/05/2022) hoặc năm-tháng-ngày (2022-05-19).",
        )
    ]


@pytest.mark.parametrize(
    ("text", "month"), [("31/11/2022", 11), ("31/02/2022", 2), ("31/4/2022", 4), ("29-02-2022", 2), ("2022-06-31", 6)]
)
def test_an_impossible_date_is_said_not_to_be_in_its_month(ctx, text, month):
    result = check(ctx, csv_bytes([GOOD[:4] + [text] + GOOD[5:]]))
    assert errors(result) == [
        (2, "ngay_to_chuc", text, f"Ngày này không có trong tháng {month}: hãy kiểm tra lại ngày và tháng.")
    ]


def test_a_month_that_does_not_exist_is_said_so(ctx):
    result = check(ctx, csv_bytes([GOOD[:4] + ["2022-13-01"] + GOOD[5:]]))
    assert errors(result) == [
        (
            2,
            "ngay_to_chuc",
            "2022-13-01",
            "Ngày này không có trên lịch (ví dụ 31/02 hay 31/04): hãy kiểm tra lại ngày và tháng.",
        )
    ]


@pytest.mark.parametrize("text", ["31/12/2021", "16/12/2022", "2023-05-19"])
def test_dates_outside_the_plan_period_are_rejected(ctx, text):
    result = check(ctx, csv_bytes([GOOD[:4] + [text] + GOOD[5:]]))
    assert errors(result) == [(2, "ngay_to_chuc", text, "Ngày nằm ngoài thời gian kế hoạch (01/01/2022 – 15/12/2022).")]


@pytest.mark.parametrize("text, value", [("1.200", 1200), ("1 200", 1200), ("1200", 1200), ("0", 0), ("", None)])
def test_participants_vietnamese_numbers(ctx, text, value):
    row = stored_values(check(ctx, csv_bytes([GOOD[:5] + [text] + GOOD[6:]])))[0]
    assert (None if row["participants"] != row["participants"] else row["participants"]) == value


@pytest.mark.parametrize(
    "text, message",
    [
        ("-5", "Không được là số âm."),
        ("12,5", "Phải là số nguyên không âm (ví dụ 1200, 1.200 hoặc 1 200)."),
        ("12.5", "Phải là số nguyên không âm (ví dụ 1200, 1.200 hoặc 1 200)."),
        ("mười", "Phải là số nguyên không âm (ví dụ 1200, 1.200 hoặc 1 200)."),
    ],
)
def test_negative_or_fractional_participants_are_rejected(ctx, text, message):
    result = check(ctx, csv_bytes([GOOD[:5] + [text] + GOOD[6:]]))
    assert errors(result) == [(2, "so_nguoi_tham_gia", text, message)]


def test_participants_beyond_what_a_count_can_hold_are_too_large_not_a_crash(ctx):
    result = check(ctx, csv_bytes([GOOD[:5] + ["3000000000"] + GOOD[6:]]))
    assert errors(result) == [(2, "so_nguoi_tham_gia", "3000000000", "Số quá lớn.")]


@pytest.mark.parametrize(
    "text",
    ["1.500.000", "1.500.000 đ", "1500000", "1.500.000đ", "1 500 000 VNĐ", "1.500.000 đ ", " 1.500.000\u00a0đ\t"],
)
def test_budget_in_dong(ctx, text):
    row = stored_values(check(ctx, csv_bytes([GOOD[:7] + [text] + GOOD[8:]])))[0]
    assert row["budget_vnd"] == 1_500_000


def test_formula_like_title_is_kept_as_plain_text(ctx):
    result = check(ctx, csv_bytes([GOOD[:3] + ["=1+1"] + GOOD[4:]]))
    assert stored_values(result)[0]["title"] == "=1+1"


# -- units and types ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, code",
    [
        ("Phuong 1", "25456"),
        ("PHƯỜNG 1", "25456"),
        ("phường  hiệp ninh", "25465"),
        ("Hiep Ninh", "25465"),
        ("Đoàn xã Thạnh Tân", "25471"),
        ("Huyện đoàn Tân Biên", "705"),
        ("Thị trấn Tân Biên", "25486"),
        ("Thành đoàn Tây Ninh", "703"),
        ("Thi xa Hoa Thanh", "709"),
        ("Đoàn Thanh niên Công an tỉnh", "TT-CA"),
        ("Hòa Thạnh", "25606"),
        ("Hòa Thành", "709"),
        ("Phường Trảng Bàng", "25708"),
        ("TT Tân Biên", "25486"),
        ("TX. Hòa Thành", "709"),
        ("P. Hiệp Ninh", "25465"),
    ],
)
def test_unit_names_without_diacritics_or_with_prefixes(ctx, name, code):
    row = ["", name] + GOOD[2:]
    result = check(ctx, csv_bytes([row]))
    assert errors(result) == []
    assert stored_values(result)[0]["unit_code"] == code


@pytest.mark.parametrize(
    "name, candidates",
    [
        ("Tân Bình", ["25474", "25495"]),
        ("Xã Tân Bình", ["25474", "25495"]),
        ("Tan Bien", ["705", "25486"]),
        ("Hoa Thanh", ["709", "25606"]),
        ("Gò Dầu", ["710", "25654"]),
        ("Tây Ninh", ["72", "703"]),
        ("Trảng Bàng", ["712", "25708"]),
    ],
)
def test_an_ambiguous_name_is_an_error_listing_the_candidates(ctx, name, candidates):
    result = check(ctx, csv_bytes([["", name] + GOOD[2:]]))
    [(line, column, value, message)] = errors(result)
    assert (line, column, value) == (2, "ten_don_vi", name)
    assert "trùng với nhiều đơn vị" in message
    assert all(code in message for code in candidates)


def test_code_disambiguates_an_ambiguous_name(ctx):
    result = check(ctx, csv_bytes([["25495", "Tân Bình"] + GOOD[2:]]))
    assert errors(result) == [] and stored_values(result)[0]["unit_code"] == "25495"


def test_code_and_name_must_agree(ctx):
    result = check(ctx, csv_bytes([["703", "Phường 1"] + GOOD[2:]]))
    assert errors(result) == [
        (2, "ten_don_vi", "Phường 1", "Tên đơn vị không khớp với mã đơn vị (mã 703 là Thành đoàn Tây Ninh).")
    ]


def test_unknown_unit_and_type(ctx):
    rows = [["99999", ""] + GOOD[2:], ["", "Xã Không Có"] + GOOD[2:], GOOD[:2] + ["bong_da"] + GOOD[3:]]
    found = errors(check(ctx, csv_bytes(rows)))
    assert [(e[0], e[1], e[2]) for e in found] == [
        (2, "ma_don_vi", "99999"),
        (3, "ten_don_vi", "Xã Không Có"),
        (4, "loai_hoat_dong", "bong_da"),
    ]
    assert "Không có đơn vị nào mang mã này" in found[0][3]
    assert "Loại hoạt động không có trong danh mục" in found[2][3]


def test_types_by_vietnamese_label_without_diacritics(ctx):
    row = GOOD[:2] + ["tuyen truyen phong chong ma tuy"] + GOOD[3:]
    assert stored_values(check(ctx, csv_bytes([row])))[0]["type_code"] == "anti_drug"
    row = GOOD[:2] + ["Chương trình “Thắp sáng ước mơ thanh niên hoàn lương”"] + GOOD[3:]
    assert stored_values(check(ctx, csv_bytes([row])))[0]["type_code"] == "reformed_youth_dreams"


def test_a_unit_whose_level_no_target_covers_is_rejected(ctx):
    plan = dataclasses.replace(ctx.plan, targets=tuple(tg for tg in ctx.plan.targets if tg.level != "commune"))
    result = check_file(ctx.db, plan, ctx.units, csv_bytes([GOOD]), "x.csv")
    assert errors(result) == [
        (2, "ma_don_vi", "25456", "Kế hoạch không có chỉ tiêu nào cho đơn vị Cấp xã và tương đương.")
    ]


def test_allowed_units_scope_rejects_rows_outside_it(ctx):
    rows = [GOOD, ["703"] + GOOD[1:], ["", "Phường Hiệp Ninh"] + GOOD[2:]]
    rows[1][1] = ""
    result = check(ctx, csv_bytes(rows), allowed_units={"25456", "25465"})
    assert errors(result) == [
        (3, "ma_don_vi", "703", "Tài khoản của bạn không được nộp báo cáo cho đơn vị 703 – Thành đoàn Tây Ninh.")
    ]
    assert result.accepted == 2


def test_missing_unit_and_title_are_named(ctx):
    result = check(ctx, csv_bytes([["", ""] + GOOD[2:3] + [""] + GOOD[4:]]))
    assert [(e[0], e[1]) for e in errors(result)] == [(2, "ma_don_vi"), (2, "ten_hoat_dong")]


# -- duplicates inside the file ---------------------------------------------------------------------
def test_repeats_inside_the_file_are_counted_as_duplicates(ctx):
    again = (
        ["25456", "", "Tuyên truyền phòng, chống ma túy"] + ["TUYÊN TRUYỀN  phòng, chống ma tuý"] + GOOD[4:8] + ["", ""]
    )
    result = check(ctx, csv_bytes([GOOD, again]))
    assert (result.accepted, result.rejected, result.duplicates, result.new) == (2, 0, 1, 1)
    assert result.duplicate_rows.iloc[0]["line"] == 3 and "dòng 2" in result.duplicate_rows.iloc[0]["message"]


def test_tabs_and_non_breaking_spaces_count_as_spaces(ctx):
    nbsp = "\u00a0"
    padded = GOOD[:3] + [f"Hội thi{nbsp}pháp luật{nbsp}"] + GOOD[4:8] + ["", ""]
    plain = GOOD[:3] + ["Hội thi pháp luật"] + GOOD[4:8] + ["", ""]
    blank_title = GOOD[:3] + [nbsp] + GOOD[4:8] + ["HD-9", ""]
    empty_looking = [nbsp, "\t", "", " ", "", "", "", "", "", ""]  # a blank row, as Excel may save it
    result = check(ctx, csv_bytes([padded, plain, empty_looking, blank_title]))
    assert result.rows == 3
    assert (result.new, result.duplicates) == (1, 1)  # the same title, not two activities
    assert stored_values(result)[0]["title"] == "Hội thi pháp luật"
    assert errors(result) == [(5, "ten_hoat_dong", None, "Ô này bắt buộc phải có giá trị.")]


def test_a_blank_line_before_a_last_line_without_a_break_keeps_row_numbers(ctx):
    bad = GOOD[:4] + ["31/02/2022"] + GOOD[5:]
    header, good, last = csv_bytes([GOOD, bad]).split(b"\r\n")[:3]
    result = check(ctx, b"\r\n".join([header, good, b"", last]))  # no line break after the last row
    assert [e[:2] for e in errors(result)] == [(4, "ngay_to_chuc")]


def test_one_activity_id_used_twice_for_different_activities_is_rejected(ctx):
    other = GOOD[:3] + ["Hoạt động khác"] + GOOD[4:]
    result = check(ctx, csv_bytes([GOOD, other]))
    assert errors(result) == [
        (3, "ma_hoat_dong", "HD-1", "Mã hoạt động này của đơn vị đã dùng ở dòng 2 cho một hoạt động khác.")
    ]


# -- files that are not tables -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "Tệp rỗng"),
        (b"\r\n \r\n", "Tệp rỗng"),
        (bytes(range(256)) * 40, "nội dung nhị phân"),
        (b"\x89PNG\r\n\x1a\n" + bytes(2000), "nội dung nhị phân"),
        (
            "ma_don_vi,ten_hoat_dong,ngay_to_chuc\n25456,x,19/05/2022\n".encode(),
            "Thiếu cột bắt buộc: Loại hoạt động (loai_hoat_dong).",
        ),
        (
            "loai_hoat_dong,ten_hoat_dong,ngay_to_chuc\nanti_drug,x,19/05/2022\n".encode(),
            "Thiếu cột bắt buộc: Mã đơn vị (ma_don_vi) hoặc Tên đơn vị (ten_don_vi).",
        ),
        ("Hôm nay trời đẹp.\nKhông phải bảng.\n".encode(), "không có tiêu đề cột nào"),
        (",".join(HEADER).encode() + b"\r\n", "chỉ có dòng tiêu đề"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel đời cũ"),
        (b"PK\x03\x04 not really a workbook", "bị hỏng"),
    ],
)
def test_files_that_are_not_tables_raise_a_one_line_vietnamese_reason(ctx, data, reason):
    with pytest.raises(IngestReadError) as caught:
        check(ctx, data)
    assert reason in str(caught.value) and "\n" not in str(caught.value)


def test_undecodable_bytes(ctx):
    data = ",".join(HEADER).encode() + b"\r\n25456,Ph\x81\x8a\x8d,anti_drug,x,19/05/2022,,,,,\r\n"
    with pytest.raises(IngestReadError, match="bảng mã"):
        check(ctx, data)


# -- xlsx -------------------------------------------------------------------------------------------
def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    extra = book.create_sheet("Khác")
    extra.append(["not", "read"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_real_date_and_number_cells(ctx):
    rows = [
        [
            25456,
            "Phường 1",
            "anti_drug",
            "=1+1",
            dt.datetime(2022, 5, 19),
            1200,
            "Nhà văn hóa",
            1500000.0,
            "HD-1",
            None,
        ],
        [None] * 10,
        ["703", None, "fire_prevention", "Tập huấn", dt.date(2022, 12, 31), 12.5, None, None, None, None],
    ]
    result = check(ctx, xlsx_bytes(rows), name="bao-cao.xlsx")
    assert result.encoding == "XLSX" and result.rows == 2
    row = stored_values(result)[0]
    assert (row["unit_code"], row["activity_date"], row["participants"], row["budget_vnd"], row["title"]) == (
        "25456",
        dt.date(2022, 5, 19),
        1200,
        1_500_000,
        "=1+1",
    )
    assert [(e[0], e[1], e[2]) for e in errors(result)] == [
        (4, "ngay_to_chuc", "2022-12-31"),
        (4, "so_nguoi_tham_gia", "12.5"),
    ]


def rewrite_sheet(data: bytes, *replacements: tuple[str, str]) -> bytes:
    """The workbook with text of its first sheet's XML replaced (as other programs write it)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for old, new in replacements:
                    assert re.search(old, text), old
                    text = re.sub(old, new, text)
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_xlsx_formulas_count_as_the_values_excel_saved_with_them(ctx):
    row = GOOD[:3] + ['=UPPER("hội thi")', "19/05/2022", "=100+20"] + GOOD[6:]
    data = rewrite_sheet(
        xlsx_bytes([row]),  # Excel saves each formula's last value beside it
        (r'<c r="D2"><f>(.*?)</f><v></v></c>', r'<c r="D2" t="str"><f>\1</f><v>HỘI THI</v></c>'),
        (r'<c r="F2"><f>(.*?)</f><v></v></c>', r'<c r="F2"><f>\1</f><v>120</v></c>'),
    )
    result = check(ctx, data, name="bao-cao.xlsx")
    assert result.accepted == 1, errors(result)
    stored = stored_values(result)[0]
    assert (stored["title"], stored["participants"]) == ("HỘI THI", 120)


def test_xlsx_with_too_small_a_stated_size_is_read_whole(ctx):
    rows = [GOOD, GOOD[:3] + ["Tọa đàm", *GOOD[4:8], "HD-2", "ghi chú 2"]]
    data = rewrite_sheet(xlsx_bytes(rows), (r'<dimension ref="A1:J3"\s*/>', '<dimension ref="A1:E2"/>'))
    result = check(ctx, data, name="bao-cao.xlsx")
    assert (result.rows, result.accepted) == (2, 2)
    assert [(r["title"], r["notes"]) for r in stored_values(result)] == [(GOOD[3], "ghi chú"), ("Tọa đàm", "ghi chú 2")]


def test_matching_helpers():
    assert split_prefix(match_key("Huyện đoàn Tân Biên")) == ("huyen", "tan bien")
    assert split_prefix(match_key("Thị trấn Gò Dầu")) == ("thi tran", "go dau")
    assert match_key("Chương trình “Thắp sáng”") == "chuong trinh thap sang"
    assert fold("Đoàn  Xã") == "doan xa"
