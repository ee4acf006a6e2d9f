"""Nộp báo cáo with files as offices draw them: the page says which sheet and header row it read, lists the rows
it left out (as table cells, never Markdown), draws progress while it checks, and the size limit is the server's."""

from __future__ import annotations

import tomllib

from analytics.context import open_context
from analytics.intake.check import check_file
from analytics.intake.template import template_csv, template_xlsx
from tests.fixtures import ROOT, activity, app_test, office_workbook


def test_an_office_workbook_shows_its_sheet_header_row_and_the_rows_left_out(empty_db, use_db):
    use_db(empty_db)
    under = [[None, "Tổng cộng", None, None, None, 203], [None, "Người lập biểu", None, None, None, "BÍ THƯ"]]
    rows = [activity(1), activity(2), [3] + [None] * 8]
    data = office_workbook(rows, instructions=True, under=under)
    at = app_test("app_pages/upload.py").run()
    at.file_uploader[0].set_value(("bao-cao-go-dau.xlsx", data, "application/vnd.ms-excel")).run()
    assert not at.exception
    assert [x.value for x in at.text] == ["Trang tính đã đọc: Báo cáo. Dòng tiêu đề: dòng 5."]
    assert {m.label: m.value for m in at.metric}["Hợp lệ"] == "2"
    left_out = at.dataframe[0].value
    assert left_out.to_dict(orient="records") == [
        {"Dòng": 8, "Lý do": "Chỉ có số thứ tự (mẫu đánh số sẵn)"},
        {"Dòng": 9, "Lý do": "Dòng tổng cộng"},
        {"Dòng": 10, "Lý do": "Dưới bảng (chữ ký, nơi nhận)"},
    ]
    assert any("Dòng 9 là dòng tổng cộng" in w.value for w in at.warning)
    assert not at.get("progress")  # drawn while checking, gone once the result is shown


def test_the_check_reports_its_progress_up_to_the_end(empty_db):
    ctx = open_context(empty_db)
    try:
        seen = []
        check_file(ctx.db, ctx.plan, ctx.units, template_csv(ctx.plan, ctx.units), "mau.csv", progress=seen.append)
    finally:
        ctx.close()
    assert seen == sorted(seen) and seen[0] < 0.1 and seen[-1] >= 0.8 and len(seen) >= 5


def test_the_templates_keep_the_header_on_row_1_of_the_report_sheet(empty_db):
    ctx = open_context(empty_db)
    try:
        for data, name in (
            (template_xlsx(ctx.plan, ctx.units), "mau.xlsx"),
            (template_csv(ctx.plan, ctx.units), "mau.csv"),
        ):
            result = check_file(ctx.db, ctx.plan, ctx.units, data, name)
            assert (result.header_row, result.rows, result.skipped_rows.empty) == (1, 1, True)
            assert result.sheet == ("Báo cáo" if name.endswith("xlsx") else None)
    finally:
        ctx.close()


def test_the_upload_limit_is_the_servers_and_is_worded_in_vietnamese(empty_db, use_db):
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert limit == 50
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    style = "".join(h.proto.body for h in at.get("html"))
    assert f"Tối đa {limit} MB mỗi tệp" in style
    assert f"Tệp này không được nhận: mỗi tệp tối đa {limit} MB" in style
    assert '[data-testid="stFileChip"][aria-invalid="true"]::after' in style


def test_hostile_files_get_one_vietnamese_sentence_on_the_page_without_a_path(empty_db, use_db, tmp_path):
    import zipfile

    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(300):
                member.write(b"<row/>" * (2**20 // 6))
    files = {
        "trong.csv": b"\r\n" * 2**20,
        "rong.csv": ",".join(f"c{i}" for i in range(100_000)).encode() + b"\n1\n",
        "bom.xlsx": bomb.read_bytes(),
    }
    expected = {"trong.csv": "Tệp rỗng", "rong.csv": "100.000 cột", "bom.xlsx": "khi giải nén lên tới 300,0 MB"}
    use_db(empty_db)
    for name, data in files.items():
        at = app_test("app_pages/upload.py").run()
        at.file_uploader[0].set_value((name, data, "text/csv")).run()
        assert not at.exception
        [error] = at.error
        shown = error.value.replace("\\", "")  # the sentence is escaped Markdown (it may quote the file)
        assert expected[name] in shown and "/tmp" not in shown and "\n" not in shown
