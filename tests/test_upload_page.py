"""Nộp báo cáo and Lịch sử nộp in AppTest: check before storing, confirm, history, roll back with a dialog."""

from __future__ import annotations

import io

import duckdb
import openpyxl

from analytics.context import open_context
from analytics.intake.template import codes_csv, template_csv, template_xlsx
from tests.fixtures import GOOD, app_test, csv_bytes, metrics


def activities(path) -> int:
    with duckdb.connect(str(path)) as con:  # the same in-process instance the page holds
        return con.execute("SELECT count(*) FROM current_activities").fetchone()[0]


def upload(at, name, data):
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def test_template_downloads_read_back_as_valid_files(empty_db):
    ctx = open_context(empty_db)
    try:
        csv_text = template_csv(ctx.plan, ctx.units).decode("utf-8-sig")
        assert csv_text.splitlines()[0].startswith("Mã đơn vị,Tên đơn vị,Loại hoạt động,Tên hoạt động,Ngày tổ chức")
        assert len(csv_text.strip().splitlines()) == 2  # headers and one example row
        book = openpyxl.load_workbook(io.BytesIO(template_xlsx(ctx.plan, ctx.units)))
        assert book.sheetnames == ["Báo cáo", "Loại hoạt động", "Đơn vị"]
        assert book["Báo cáo"]["E2"].is_date
        assert book["Loại hoạt động"].max_row == len(ctx.plan.activity_types) + 1
        assert book["Đơn vị"]["A2"].value == "72"
        codes = codes_csv(ctx.plan, ctx.units).decode("utf-8-sig")
        assert "anti_drug" in codes and "25474,Đoàn xã Tân Bình" in codes
    finally:
        ctx.close()


def test_upload_shows_the_check_then_stores_only_on_confirmation(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    assert not at.exception
    assert at.title[0].value == "Nộp báo cáo"
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Mẫu CSV", "Mẫu Excel (XLSX, kèm danh mục)", "Danh mục mã (CSV)"]

    second = GOOD[:3] + ["Hội thi tìm hiểu pháp luật"] + GOOD[4:8] + ["HD-2", ""]
    upload(at, "bao-cao.csv", csv_bytes([GOOD, second], sep=";"))
    shown = metrics(at)
    assert (shown["Số dòng"], shown["Hợp lệ"], shown["Bị từ chối"], shown["Mới"]) == ("2", "2", "0", "2")
    assert any("UTF-8" in c.value and "dấu chấm phẩy" in c.value for c in at.caption)
    preview = at.dataframe[0].value
    assert list(preview["Tên hoạt động"]) == ["Tuyên truyền phòng, chống ma túy", "Hội thi tìm hiểu pháp luật"]
    assert list(preview["Ngày tổ chức"]) == ["19/05/2022", "19/05/2022"]
    assert activities(empty_db) == 0  # nothing stored before the confirmation

    [save] = [b for b in at.button if b.label.startswith("Lưu")]
    save.click().run()
    assert not at.exception
    assert activities(empty_db) == 2
    assert any("Đã lưu lần nộp số 1" in s.value for s in at.success)
    assert at.file_uploader[0].value is None  # a fresh uploader for the next file


def test_rejected_rows_block_storing_until_valid_only_is_chosen(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    bad = GOOD[:4] + ["31/11/2022"] + GOOD[5:8] + ["HD-2", ""]
    upload(at, "loi.csv", csv_bytes([GOOD, bad]))
    assert metrics(at)["Bị từ chối"] == "1"
    errors = at.dataframe[0].value
    assert errors.to_dict(orient="records") == [
        {
            "Dòng": 3,
            "Cột": "ngay_to_chuc",
            "Giá trị": "31/11/2022",
            "Lỗi": "Ngày này không có trong tháng 11: hãy kiểm tra lại ngày và tháng.",
        }
    ]
    [save] = [b for b in at.button if b.label.startswith("Lưu")]
    assert save.disabled
    assert any("chưa thể lưu" in w.value for w in at.warning)
    at.checkbox[0].check().run()
    [save] = [b for b in at.button if b.label.startswith("Lưu")]
    assert not save.disabled
    save.click().run()
    assert activities(empty_db) == 1


def test_an_unreadable_file_gets_a_vietnamese_reason(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    upload(at, "rac.csv", bytes(range(256)) * 20)
    assert any("Không đọc được tệp" in e.value and "nhị phân" in e.value for e in at.error)


def test_history_lists_and_rolls_back_after_the_dialog(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    other = [*GOOD[:8], "HD-2", GOOD[9]]
    other[0:2] = ["25459", "Phường 3"]  # another commune in the same file
    upload(at, "bao-cao.csv", csv_bytes([GOOD, other]))
    [save] = [b for b in at.button if b.label.startswith("Lưu")]
    save.click().run()
    assert activities(empty_db) == 2

    at.switch_page("app_pages/submissions.py").run()
    assert not at.exception
    history = at.dataframe[0].value
    assert list(history["Tệp"]) == ["bao-cao.csv"] and list(history["Tình trạng"]) == ["Đang hiệu lực"]
    with duckdb.connect(str(empty_db)) as con:  # the Union's names, as the registry has them
        names = sorted(n for (n,) in con.execute("SELECT name FROM units WHERE code IN ('25456', '25459')").fetchall())
    assert len(names) == 2 and list(history["Đơn vị"]) == ["; ".join(names)]
    [open_dialog] = [b for b in at.button if b.label == "Hoàn tác…"]
    open_dialog.click().run()
    assert not at.exception
    assert activities(empty_db) == 2  # the dialog only asks
    assert any("Hoàn tác lần nộp số 1" in m.value for m in at.markdown)
    [confirm] = [b for b in at.button if b.label == "Hoàn tác"]
    confirm.click().run()
    assert not at.exception
    assert activities(empty_db) == 0
    assert any("Đã hoàn tác lần nộp số 1" in s.value for s in at.success)
    assert list(at.dataframe[0].value["Đơn vị"]) == [""]  # its rows are gone
    assert list(at.dataframe[0].value["Tình trạng"]) == ["Đã hoàn tác"]


def test_the_xlsx_templates_example_row_reads_clean_and_is_held_back_as_the_example(empty_db, use_db):
    use_db(empty_db)
    ctx = open_context(empty_db)
    try:
        data = template_xlsx(ctx.plan, ctx.units)
    finally:
        ctx.close()
    at = app_test("app_pages/upload.py").run()
    at.file_uploader[0].set_value(("mau.xlsx", data, "application/vnd.ms-excel")).run()
    assert not at.exception
    shown = metrics(at)
    assert (shown["Số dòng"], shown["Hợp lệ"], shown["Bị từ chối"]) == ("1", "0", "1")
    assert any("XLSX" in c.value for c in at.caption)
    problems = at.dataframe[0].value  # every cell of the example reads (its date cell too): only the note stops it
    assert list(problems["Cột"]) == ["Ghi chú"]
    assert list(problems["Lỗi"]) == ["Đây là dòng ví dụ của mẫu báo cáo; hãy xóa dòng này trước khi nộp."]


def test_cancelling_the_dialog_rolls_nothing_back(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    upload(at, "bao-cao.csv", csv_bytes([GOOD]))
    [save] = [b for b in at.button if b.label.startswith("Lưu")]
    save.click().run()
    at.switch_page("app_pages/submissions.py").run()
    [open_dialog] = [b for b in at.button if b.label == "Hoàn tác…"]
    open_dialog.click().run()
    [cancel] = [b for b in at.button if b.label == "Hủy"]
    cancel.click().run()
    assert not at.exception
    assert activities(empty_db) == 1
    assert not [b for b in at.button if b.label == "Hoàn tác"]  # the dialog is closed
    assert list(at.dataframe[0].value["Tình trạng"]) == ["Đang hiệu lực"]
