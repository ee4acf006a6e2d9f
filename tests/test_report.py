"""The Word report read back with python-docx: the Youth Union heading block, every applicable target, and
figures equal to `status --json` for the same as-of date."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import docx
import pytest
from docx.shared import Pt

from analytics.context import open_context
from analytics.report_docx import build_report, place_date
from analytics.text import format_number, format_percent
from tests.conftest import ROOT, app_test

AS_OF = "2022-09-30"
TARGET_HEADER = ["STT", "Chỉ tiêu", "Tối thiểu", "Đạt được", "Đánh giá"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True)


def status(db, as_of=AS_OF) -> dict:
    result = run("status", "--db", str(db), "--as-of", as_of, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def report(db, tmp_path, *options, as_of=AS_OF) -> docx.Document:
    path = tmp_path / "report.docx"
    result = run("export", "--db", str(db), "--format", "docx", "--as-of", as_of, *options, "-o", str(path))
    assert result.returncode == 0, result.stderr
    return docx.Document(str(path))


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def table_with(document, header: list[str]):
    found = [tb for tb in document.tables if [c.text for c in tb.rows[0].cells] == header]
    assert found, f"no table with header {header}"
    return found


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def heading_block(document) -> tuple[list, list]:
    left, right = document.tables[0].rows[0].cells
    return left.paragraphs, right.paragraphs


def target_rows(unit: dict) -> list[list[str]]:
    met = {True: "Đạt", False: "Chưa đạt"}
    return [[tg["id"], str(tg["minimum"]), str(tg["count"]), met[tg["met"]]] for tg in unit["targets"]]


def shown_targets(table) -> list[list[str]]:
    return [[row[1].split(".")[0], row[2], row[3], row[4]] for row in cells(table)[1:]]


def test_province_report_heading_block_layout_and_signature(demo_db, tmp_path):
    document = report(demo_db, tmp_path)
    left, right = heading_block(document)
    assert [p.text for p in left] == ["BCH TỈNH TÂY NINH", "***", "Số:       -BC/TĐTN-BPT"]
    assert left[0].runs[0].bold
    union = right[0].runs[0]
    assert right[0].text == "ĐOÀN TNCS HỒ CHÍ MINH" and union.bold and union.underline
    date = [p for p in right if p.text.strip()][-1]
    assert date.text == "Tây Ninh, ngày 30 tháng 9 năm 2022" and date.runs[0].italic

    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    kind = next(p for p in paragraphs if p.text == "BÁO CÁO")
    assert kind.alignment == 1 and kind.runs[0].bold  # centred
    title = paragraphs[paragraphs.index(kind) + 1]
    assert title.text == ("Kết quả thực hiện phong trào thi đua “Vì an ninh Tổ quốc” và “Toàn dân bảo vệ an ninh "
                          "Tổ quốc” năm 2022") and title.runs[0].bold and title.alignment == 1
    headings = [p.text for p in paragraphs if p.text[:3] in ("I. ", "II.", "III", "IV.")]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV"]

    sign = cells(document.tables[-1])[0]
    assert sign[0].startswith("Nơi nhận:")
    assert sign[1].split("\n")[:2] == ["TM. BAN THƯỜNG VỤ TỈNH ĐOÀN", "PHÓ BÍ THƯ"]
    assert "[Họ và tên]" in sign[1]

    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.page_width < section.page_height
    assert round(section.left_margin.cm, 2) == 3 and round(section.top_margin.cm, 2) == 2
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14)
    body_sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs if run.font.size and p.text.strip()}
    assert body_sizes <= {13, 14, 16} and 14 in body_sizes


def test_province_report_figures_equal_status(demo_db, tmp_path):
    expected = status(demo_db)
    document = report(demo_db, tmp_path)
    text = body_text(document)
    province = expected["province"]
    assert (f"Toàn tỉnh có {province['units']} đơn vị thực hiện; đạt {province['pairs_met']}/{province['pairs']} "
            f"lượt chỉ tiêu ({format_percent(province['share_met'])}); mức đạt bình quân "
            f"{format_percent(province['attainment'])}; {province['lagging_units']} đơn vị chậm tiến độ. "
            f"Tổng số hoạt động được ghi nhận: {format_number(expected['total_activities'])}.") in text

    own = next(u for u in expected["units"] if u["level"] == "province")
    assert shown_targets(table_with(document, TARGET_HEADER)[0]) == target_rows(own)

    per_target = cells(table_with(document, ["STT", "Chỉ tiêu", "Cấp", "Đơn vị đạt", "Tỉ lệ đạt"])[0])[1:]
    shown = {row[1].split(".")[0]: row[3] for row in per_target}
    for target_id in ("H1", "H2", "X1", "X2"):
        applicable = [tg for u in expected["units"] for tg in u["targets"] if tg["id"] == target_id]
        assert shown[target_id] == f"{sum(tg['met'] for tg in applicable)}/{len(applicable)}"
    # Every target of the plan appears in the report.
    listed = {row[1].split(".")[0] for table in document.tables[1:-1] for row in cells(table)[1:]}
    assert {"T1", "T2", "T3", "T4a", "T4b", "T5", "T6", "T7", "T8", "H1", "H2", "X1", "X2"} <= listed

    rollup = cells(table_with(document, ["STT", "Đơn vị", "Số đơn vị", "Lượt chỉ tiêu đạt", "Tỉ lệ đạt", "Mức đạt",
                                         "Đơn vị chậm"])[0])[1:]
    by_code = {u["code"]: u for u in expected["units"]}
    ctx = open_context(demo_db, read_only=True)
    try:
        units_by_code = {u.code: u for u in ctx.units}
    finally:
        ctx.close()
    assert len(rollup) == len([u for u in units_by_code.values() if u.level == "district"])
    for row in rollup:
        code = next(c for c, u in units_by_code.items() if u.name == row[1] and u.level == "district")
        members = [by_code[c] for c, u in units_by_code.items() if u.district_code == code]
        pairs = [tg for m in members for tg in m["targets"]]
        assert row[3] == f"{sum(tg['met'] for tg in pairs)}/{len(pairs)}", row
        assert row[6] == str(sum(m["lagging"] for m in members)), row
        assert row[2] == str(len(members))

    lagging = cells(table_with(document, ["STT", "Đơn vị", "Mức độ", "Lý do"])[0])[1:]
    expected_lagging = {u["name"]: "; ".join(u["reasons"]) for u in expected["units"] if u["lagging"]}
    assert {row[1]: row[3] for row in lagging} == expected_lagging


def test_district_report_has_its_targets_its_communes_and_the_district_heading(demo_db, tmp_path):
    expected = status(demo_db)
    document = report(demo_db, tmp_path, "--district", "710")
    left, right = heading_block(document)
    assert [p.text for p in left] == ["BCH HUYỆN GÒ DẦU", "***", "Số:       -BC/HĐGD"]
    assert [p.text for p in right if p.text.strip()][-1] == "Gò Dầu, ngày 30 tháng 9 năm 2022"
    own = next(u for u in expected["units"] if u["code"] == "710")
    assert shown_targets(table_with(document, TARGET_HEADER)[0]) == target_rows(own)
    assert "Ban Thường vụ Huyện đoàn Gò Dầu báo cáo kết quả" in body_text(document)
    communes = cells(table_with(document, ["STT", "Đơn vị", "Chỉ tiêu đạt", "Mức đạt", "Tình trạng"])[0])[1:]
    ctx = open_context(demo_db, read_only=True)
    try:
        commune_codes = [u.code for u in ctx.units if u.parent_code == "710"]
    finally:
        ctx.close()
    by_code = {u["code"]: u for u in expected["units"]}
    assert len(communes) == len(commune_codes)
    for row, code in zip(communes, commune_codes):
        unit = by_code[code]
        assert row[1] == unit["name"]
        assert row[2] == f"{sum(tg['met'] for tg in unit['targets'])}/{len(unit['targets'])}"
        assert row[3] == format_percent(unit["attainment"])
        assert row[4].startswith("Chậm") == unit["lagging"]
    sign = cells(document.tables[-1])[0][1].split("\n")
    assert sign[:2] == ["TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN", "BÍ THƯ"]


def test_activities_by_type_add_up_to_the_units_activities(demo_db):
    ctx = open_context(demo_db, read_only=True)
    try:
        as_of = dt.date(2022, 9, 30)
        document = build_report(ctx, as_of, district_code="710")
        codes = [u.code for u in ctx.units if u.district_code == "710"]
        expected = ctx.db.scalar("SELECT count(*) FROM current_activities WHERE list_contains(?, unit_code) "
                                 "AND activity_date BETWEEN ? AND ?", [codes, ctx.plan.start, as_of])
    finally:
        ctx.close()
    table = cells(table_with(document, ["STT", "Loại hình hoạt động", "Số hoạt động", "Lượt người tham gia"])[0])
    assert table[-1][1] == "Tổng cộng" and table[-1][2] == format_number(expected)
    types = [row for row in table[1:-1] if "." in row[0]]
    assert sum(int(row[2].replace(".", "")) for row in types) == expected


@pytest.mark.parametrize("code, committee, sign, place", [
    ("25456", "BCH ĐOÀN PHƯỜNG 1", "TM. BAN CHẤP HÀNH", "Tây Ninh"),
    ("709", "BCH THỊ XÃ HÒA THÀNH", "TM. BAN THƯỜNG VỤ THỊ ĐOÀN", "Hòa Thành"),
    ("703", "BCH THÀNH PHỐ TÂY NINH", "TM. BAN THƯỜNG VỤ THÀNH ĐOÀN", "Tây Ninh"),
    ("TT-CA", "BCH ĐOÀN THANH NIÊN CÔNG AN TỈNH", "TM. BAN THƯỜNG VỤ ĐOÀN THANH NIÊN CÔNG AN TỈNH", "Tây Ninh"),
])
def test_unit_report_names_its_committee(demo_db, code, committee, sign, place):
    expected = next(u for u in status(demo_db)["units"] if u["code"] == code)
    ctx = open_context(demo_db, read_only=True)
    try:
        document = build_report(ctx, dt.date(2022, 9, 30), unit_code=code)
    finally:
        ctx.close()
    left, right = heading_block(document)
    assert left[0].text == committee
    assert [p.text for p in right if p.text.strip()][-1] == f"{place}, ngày 30 tháng 9 năm 2022"
    assert cells(document.tables[-1])[0][1].split("\n")[0] == sign
    assert shown_targets(table_with(document, TARGET_HEADER)[0]) == target_rows(expected)
    missing = [tg for tg in expected["targets"] if not tg["met"]]
    text = body_text(document)
    for tg in missing:
        assert f"- Chỉ tiêu {tg['id']} (" in text and f"mới đạt {tg['count']}/{tg['minimum']}." in text
    for reason in expected["reasons"]:
        assert f"- {reason}." in text


def test_place_date_pads_days_and_the_first_two_months():
    assert place_date("Tây Ninh", dt.date(2022, 12, 15)) == "Tây Ninh, ngày 15 tháng 12 năm 2022"
    assert place_date("Gò Dầu", dt.date(2022, 2, 5)) == "Gò Dầu, ngày 05 tháng 02 năm 2022"
    assert place_date("Gò Dầu", dt.date(2022, 3, 5)) == "Gò Dầu, ngày 05 tháng 3 năm 2022"


def test_report_on_an_empty_store_says_nothing_was_recorded(empty_db, tmp_path):
    document = report(empty_db, tmp_path, "--unit", "710")
    text = body_text(document)
    assert "Chưa có hoạt động nào được ghi nhận trong thời gian này." in text
    assert shown_targets(table_with(document, TARGET_HEADER)[0]) == [["H1", "1", "0", "Chưa đạt"],
                                                                    ["H2", "1", "0", "Chưa đạt"]]


def test_report_options_errors_are_vietnamese(empty_db, tmp_path):
    both = run("export", "--db", str(empty_db), "--format", "docx", "--unit", "710", "--district", "710",
               "-o", str(tmp_path / "x.docx"))
    assert both.returncode == 2 and "không chọn cả hai" in both.stderr and "Traceback" not in both.stderr
    commune = run("export", "--db", str(empty_db), "--format", "docx", "--district", "25456",
                  "-o", str(tmp_path / "x.docx"))
    assert commune.returncode == 2 and "không phải đơn vị cấp huyện" in commune.stderr


def test_overview_and_unit_pages_offer_the_report(demo_db, use_db):
    use_db(demo_db)
    at = app_test()
    at.query_params["as_of"] = AS_OF
    at.run()
    assert not at.exception
    assert "Tải báo cáo toàn tỉnh (Word)" in [b.label for b in at.download_button]
    at.query_params["unit"] = "710"
    at.switch_page("pages/unit.py").run()  # after a first run: the pages have their own url paths
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert "Tải báo cáo của đơn vị (Word)" in labels and "Tải báo cáo toàn huyện (Word)" in labels
    at.query_params["unit"] = "25456"
    at.run()
    labels = [b.label for b in at.download_button]
    assert "Tải báo cáo của đơn vị (Word)" in labels and "Tải báo cáo toàn huyện (Word)" not in labels


def test_the_overview_narrowed_to_a_district_offers_that_districts_report(demo_db, use_db):
    use_db(demo_db)
    at = app_test()
    at.query_params["as_of"] = AS_OF
    at.query_params["district"] = "710"
    at.run()
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert "Tải báo cáo toàn huyện (Word)" in labels and "Tải báo cáo toàn tỉnh (Word)" in labels
