"""The results report read back with python-docx: the Youth Union's heading block with the registry's lines and
symbol, the plan cited, every target in words with Chỉ tiêu giao / Kết quả / Đánh giá, no dashboard flag and no
internal code, and figures equal to `status --json` for the same as-of date (a unit, a district, the province)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from analytics.context import open_context
from analytics.core.text import format_number, format_percent
from analytics.outputs.report_docx import build_report, place_date, scope_of
from tests.fixtures import ROOT, app_test

AS_OF = "2022-09-30"
DEADLINE = "2022-12-15"
TARGET_HEADER = ["STT", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "Đánh giá"]
LEVEL_HEADER = ["STT", "Chỉ tiêu", "Cấp", "Số đơn vị đạt", "Tỉ lệ"]
ROLLUP_HEADER = ["STT", "Đơn vị", "Số đơn vị", "Lượt chỉ tiêu đạt", "Tỉ lệ", "Mức hoàn thành"]
TYPES_HEADER = ["STT", "Loại hình hoạt động", "Số hoạt động", "Lượt người tham gia", "Kinh phí (đồng)"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True)


def status(db, as_of=AS_OF) -> dict:
    result = run("status", "--db", str(db), "--as-of", as_of, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def report(db, tmp_path, *options, as_of=AS_OF) -> docx.Document:
    path = tmp_path / f"report{'-'.join(options)}-{as_of}.docx"
    result = run("export", "--db", str(db), "--format", "docx", "--as-of", as_of, *options, "-o", str(path))
    assert result.returncode == 0, result.stderr
    return docx.Document(str(path))


@pytest.fixture(scope="module")
def registry(demo_db):
    ctx = open_context(demo_db, read_only=True)
    try:
        return ctx.units, ctx.plan
    finally:
        ctx.close()


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def table_with(document, header: list[str]):
    found = [tb for tb in document.tables if [c.text for c in tb.rows[0].cells] == header]
    assert found, f"no table with header {header}"
    return found


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def all_text(document) -> str:
    return body_text(document) + "\n" + "\n".join(c for tb in document.tables for row in cells(tb) for c in row)


def heading_block(document) -> tuple[list[str], list[str]]:
    left, right = document.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs if p.text.strip()]


def expected_targets(unit: dict, plan, final=False) -> list[list[str]]:
    words = {tg.id: tg.description for tg in plan.targets}
    unmet = "Không đạt" if final else "Chưa đạt"
    return [
        [str(i), words[tg["id"]], str(tg["minimum"]), str(tg["count"]), "Đạt" if tg["met"] else unmet]
        for i, tg in enumerate(unit["targets"], start=1)
    ]


def pooled(units: list[dict]) -> tuple[int, int, float]:
    """(pairs_met, pairs, attainment) of units' (unit, target) pairs, as the district rollup pools them."""
    pairs = [tg for u in units for tg in u["targets"]]
    return (
        sum(tg["met"] for tg in pairs),
        len(pairs),
        sum(min(tg["count"] / tg["minimum"], 1) for tg in pairs) / len(pairs),
    )


def test_province_report_heading_title_sections_and_signature(demo_db, tmp_path):
    document = report(demo_db, tmp_path)
    left, right = heading_block(document)
    assert left == ["BCH TỈNH TÂY NINH", "***", "Số: ……-BC/TĐTN-BPT"]
    union = document.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert right == ["ĐOÀN TNCS HỒ CHÍ MINH", "Tây Ninh, ngày …… tháng …… năm 2022"] and union.bold and union.underline

    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    kind = next(p for p in paragraphs if p.text == "BÁO CÁO")
    title, cut_off = paragraphs[paragraphs.index(kind) + 1 : paragraphs.index(kind) + 3]
    assert title.text.startswith("Kết quả thực hiện phong trào thi đua “Vì an ninh Tổ quốc”") and title.runs[0].bold
    assert cut_off.text == "(Số liệu tính đến ngày 30/09/2022)" and cut_off.runs[0].italic
    opening = paragraphs[paragraphs.index(kind) + 4].text
    assert opening.startswith(
        "Thực hiện Kế hoạch số ……-KH/TĐTN ngày ……/……/2022 của Ban Thường vụ Tỉnh đoàn về phát động phong trào thi đua"
    )
    headings = [p.text for p in paragraphs if re.match(r"[IV]+\. ", p.text)]
    assert headings == [
        "I. CÔNG TÁC TRIỂN KHAI, QUÁN TRIỆT",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG; KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    for sub in ("1. Ưu điểm", "2. Hạn chế, nguyên nhân", "3. Đề xuất khen thưởng"):
        assert sub in [p.text for p in paragraphs]
    assert paragraphs[-1].text.endswith("của Ban Thường vụ Tỉnh đoàn Tây Ninh./.")

    sign = cells(document.tables[-1])[0]
    assert sign[0].startswith("Nơi nhận:")
    assert sign[1].split("\n")[:2] == ["TM. BAN THƯỜNG VỤ TỈNH ĐOÀN", "PHÓ BÍ THƯ"]
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 2) == 3 and round(section.top_margin.cm, 2) == 2
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14)


def test_province_report_figures_equal_status(demo_db, tmp_path, registry):
    units, plan = registry
    expected = status(demo_db)
    document = report(demo_db, tmp_path)
    province = expected["province"]
    assert (
        f"Toàn tỉnh có {province['units']} đơn vị thực hiện chỉ tiêu; đạt {province['pairs_met']}/"
        f"{province['pairs']} lượt chỉ tiêu ({format_percent(province['share_met'])}); mức hoàn thành bình quân "
        f"{format_percent(province['attainment'])}."
    ) in body_text(document)
    own = next(u for u in expected["units"] if u["level"] == "province")
    assert cells(table_with(document, TARGET_HEADER)[0])[1:] == expected_targets(own, plan)

    words = {tg.id: tg.description for tg in plan.targets}
    levels = {row[1]: row[3] for row in cells(table_with(document, LEVEL_HEADER)[0])[1:]}
    for target_id in ("H1", "H2", "X1", "X2"):
        applicable = [tg for u in expected["units"] for tg in u["targets"] if tg["id"] == target_id]
        assert levels[words[target_id]] == f"{sum(tg['met'] for tg in applicable)}/{len(applicable)}"

    rollup = cells(table_with(document, ROLLUP_HEADER)[0])[1:]
    by_code = {u["code"]: u for u in expected["units"]}
    districts = [u for u in units if u.level == "district"]
    assert [row[1] for row in rollup] == [u.name for u in districts]  # registry order, Union names
    for row, district in zip(rollup, districts):
        members = [by_code[u.code] for u in units if u.district_code == district.code]
        met, pairs, mean = pooled(members)
        assert row[2:] == [str(len(members)), f"{met}/{pairs}", format_percent(met / pairs), format_percent(mean)]
    if "districts" in expected:  # status --json districts[] (the leadership issue): the same figures
        for row, d in zip(
            rollup, sorted(expected["districts"], key=lambda d: [u.code for u in districts].index(d["code"]))
        ):
            assert row[3] == f"{d['pairs_met']}/{d['pairs']}" and row[5] == format_percent(d["attainment"])


def test_district_report_gives_the_districts_total_first_then_its_union_then_each_grassroots_union(
    demo_db, tmp_path, registry
):
    units, plan = registry
    expected = status(demo_db)
    document = report(demo_db, tmp_path, "--district", "710")
    left, right = heading_block(document)
    assert left == ["TỈNH ĐOÀN TÂY NINH", "BCH HUYỆN ĐOÀN GÒ DẦU", "***", "Số: ……-BC/HĐTN"]
    assert right[-1] == "Gò Dầu, ngày …… tháng …… năm 2022"

    by_code = {u["code"]: u for u in expected["units"]}
    codes = [u.code for u in units if u.district_code == "710"]
    communes = [c for c in codes if c != "710"]
    met, pairs, mean = pooled([by_code[c] for c in codes])
    total = (
        f"Huyện đoàn Gò Dầu và {len(communes)} cơ sở Đoàn trực thuộc ({len(codes)} đơn vị) đạt {met}/{pairs} "
        f"lượt chỉ tiêu ({format_percent(met / pairs)}); mức hoàn thành bình quân {format_percent(mean)}."
    )
    text = body_text(document)
    assert total in text
    assert text.index(total) < text.index("b) Huyện đoàn Gò Dầu") < text.index("c) Các cơ sở Đoàn")
    if "districts" in expected:
        d = next(d for d in expected["districts"] if d["code"] == "710")
        assert (d["pairs_met"], d["pairs"]) == (met, pairs) and format_percent(d["attainment"]) == format_percent(mean)

    assert cells(table_with(document, TARGET_HEADER)[0])[1:] == expected_targets(by_code["710"], plan)
    table = cells(table_with(document, ["STT", "Đơn vị", "Chỉ tiêu (1)", "Chỉ tiêu (2)", "Số chỉ tiêu đạt"])[0])[1:]
    assert [row[1] for row in table] == [by_code[c]["name"] for c in communes]  # the registry's order
    for row, code in zip(table, communes):
        shown = [f"{'Đạt' if tg['met'] else 'Chưa đạt'} ({tg['count']})" for tg in by_code[code]["targets"]]
        met_count = sum(tg["met"] for tg in by_code[code]["targets"])
        assert row[2:] == [*shown, f"{met_count}/{len(by_code[code]['targets'])}"]
    words = {tg.id: tg.description for tg in plan.targets}
    assert f"Chỉ tiêu (1): {words['X1']}" in text and f"Chỉ tiêu (2): {words['X2']}" in text
    assert cells(document.tables[-1])[0][1].split("\n")[:2] == ["TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN", "BÍ THƯ"]


def test_unit_report_figures_equal_status_and_the_registry_names_its_committee(demo_db, tmp_path, registry):
    units, plan = registry
    expected = next(u for u in status(demo_db)["units"] if u["code"] == "25660")
    document = report(demo_db, tmp_path, "--unit", "25660")
    left, right = heading_block(document)
    assert left == ["HUYỆN ĐOÀN GÒ DẦU", "BCH ĐOÀN XÃ CẨM GIANG", "***", "Số: ……-BC/ĐTN"]
    assert right[-1] == "Gò Dầu, ngày …… tháng …… năm 2022"
    assert cells(table_with(document, TARGET_HEADER)[0])[1:] == expected_targets(expected, plan)
    met = sum(tg["met"] for tg in expected["targets"])
    assert f"Đoàn xã Cẩm Giang đạt {met}/{len(expected['targets'])} chỉ tiêu được giao." in body_text(document)
    sign = cells(document.tables[-1])[0]
    assert sign[1].split("\n")[:2] == ["TM. BAN CHẤP HÀNH", "BÍ THƯ"]
    assert "- Ban Thường vụ Huyện đoàn Gò Dầu (b/c);" in sign[0]
    assert ("Ban Chấp hành Đoàn xã Cẩm Giang báo cáo kết quả thực hiện như sau:") in body_text(document)
    assert "docx." not in all_text(document)  # no catalogue key left unresolved


@pytest.mark.parametrize("options", [(), ("--district", "710"), ("--unit", "703"), ("--unit", "25660")])
def test_no_dashboard_flag_no_internal_code_and_the_issuer_is_not_judged(demo_db, tmp_path, options):
    document = report(demo_db, tmp_path, *options)
    text = all_text(document)
    assert "docx." not in text and "report." not in text  # no catalogue key left unresolved
    for word in (
        "chậm",
        "tiến độ",
        "dự báo",
        "không báo cáo",
        "thời gian kế hoạch",
        "mức độ",
        "(Thấp)",
        "(Cao)",
        "Trung bình",
        "cảnh báo",
    ):
        assert word.casefold() not in text.casefold(), word
    assert not re.search(r"\b(T[1-8]|T4[ab]|H[12]|X[12])\b", text)
    for unit in status(demo_db)["units"]:
        for reason in unit["reasons"]:
            assert reason not in text
    candidates = (
        next(p.text for p in document.paragraphs if p.text.startswith(("Các đơn vị đạt tất cả", "Chưa có đơn vị")))
        if options[:1] != ("--unit",)
        else ""
    )
    issuer = {(): "Tỉnh đoàn Tây Ninh", ("--district", "710"): "Huyện đoàn Gò Dầu"}.get(tuple(options))
    if issuer:
        assert issuer not in candidates.split(":", 1)[-1]


def test_commendation_candidates_are_the_units_that_met_every_target(demo_db, tmp_path):
    expected = {u["code"]: u for u in status(demo_db)["units"]}
    document = report(demo_db, tmp_path, "--district", "710")
    line = next(p.text for p in document.paragraphs if p.text.startswith("Các đơn vị đạt tất cả"))
    named = line.split("khi ký): ", 1)[1].rstrip(".").split(", ")
    ctx = open_context(demo_db, read_only=True)
    try:
        communes = [u for u in ctx.units if u.parent_code == "710"]
    finally:
        ctx.close()
    assert named == [u.name for u in communes if all(tg["met"] for tg in expected[u.code]["targets"])]
    assert named  # the demo has such units at 30/09


def test_an_unmet_target_reads_chua_dat_before_the_deadline_and_khong_dat_after(demo_db, tmp_path, registry):
    units, plan = registry
    before = report(demo_db, tmp_path, "--district", "710", as_of="2022-06-30")
    after = report(demo_db, tmp_path, as_of=DEADLINE)
    after_status = status(demo_db, DEADLINE)
    assert any(not tg["met"] for u in after_status["units"] for tg in u["targets"])  # there is a miss to judge
    before_text, after_text = all_text(before).casefold(), all_text(after).casefold()
    assert "chưa đạt" in before_text and "không đạt" not in before_text
    assert "không đạt" in after_text and "chưa đạt" not in after_text
    own = next(u for u in after_status["units"] if u["level"] == "province")
    assert cells(table_with(after, TARGET_HEADER)[0])[1:] == expected_targets(own, plan, final=True)
    missed = [
        u
        for u in after_status["units"]
        if u["level"] == "commune" and not next(tg for tg in u["targets"] if tg["id"] == "X2")["met"]
    ]
    words = {tg.id: tg.description for tg in plan.targets}
    line = next(p.text for p in after.paragraphs if p.text.startswith(f"- Chỉ tiêu “{words['X2']}”"))
    assert f": {len(missed)} đơn vị không đạt, gồm: " in line
    for u in missed:
        assert u["name"] in line


def test_activities_participants_and_spending_add_up(demo_db, registry):
    units, plan = registry
    ctx = open_context(demo_db, read_only=True)
    try:
        as_of = dt.date(2022, 9, 30)
        document = docx.Document(__import__("io").BytesIO(build_report(ctx, "710", as_of)))
        codes = [u.code for u in units if u.district_code == "710"]
        count, people, money = ctx.db.df(
            "SELECT count(*), sum(participants), sum(budget_vnd) FROM current_activities "
            "WHERE list_contains(?, unit_code) AND activity_date BETWEEN ? AND ?",
            [codes, plan.start, as_of],
        ).iloc[0]
    finally:
        ctx.close()
    table = cells(table_with(document, TYPES_HEADER)[0])
    assert table[-1][1:] == [
        "Tổng cộng",
        format_number(int(count)),
        format_number(int(people)),
        format_number(int(money)),
    ]
    assert sum(int(row[2].replace(".", "")) for row in table[1:-1] if "." in row[0]) == count
    assert f"tổng kinh phí {format_number(int(money))} đồng." in body_text(document)


def test_document_properties_language_author_and_time_made(demo_db, tmp_path):
    made = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None) - dt.timedelta(seconds=1)
    document = report(demo_db, tmp_path, "--district", "710")
    props = document.core_properties
    assert props.author == "Huyện đoàn Gò Dầu" and props.last_modified_by == "Huyện đoàn Gò Dầu"
    assert props.language == "vi-VN"
    assert props.created.replace(tzinfo=None) >= made and props.created.year > 2013
    assert "python-docx" not in " ".join(str(v) for v in (props.comments, props.title, props.subject, props.keywords))
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    langs = [defaults.find(qn("w:lang"))] + [
        s.element.rPr.find(qn("w:lang")) for s in document.styles if s.element.rPr is not None
    ]
    assert len(langs) > 10 and all(lang is not None and lang.get(qn("w:val")) == "vi-VN" for lang in langs)
    assert all(s.element.rPr is not None for s in document.styles if s.type in (1, 2))  # paragraph, character


def test_build_report_scope_picks_the_level(demo_db):
    ctx = open_context(demo_db, read_only=True)
    try:
        assert scope_of(ctx, None) == scope_of(ctx, "province") == scope_of(ctx, "72") == (None, None)
        assert scope_of(ctx, "710") == (None, "710")  # a district union reports for its district
        assert scope_of(ctx, "25660") == ("25660", None)
        assert scope_of(ctx, "TT-CA") == ("TT-CA", None)  # an affiliated union has no grassroots unions here
        assert build_report(ctx, "25660", dt.date(2022, 9, 30))[:2] == b"PK"
    finally:
        ctx.close()


def test_place_date_leaves_day_and_month_to_the_signer():
    assert place_date("Gò Dầu", 2022) == "Gò Dầu, ngày …… tháng …… năm 2022"


def test_report_on_an_empty_store_says_nothing_was_recorded(empty_db, tmp_path, registry):
    units, plan = registry
    document = report(empty_db, tmp_path, "--unit", "710")
    assert "Chưa có hoạt động nào được ghi nhận trong thời gian báo cáo." in body_text(document)
    words = {tg.id: tg.description for tg in plan.targets}
    assert cells(table_with(document, TARGET_HEADER)[0])[1:] == [
        ["1", words["H1"], "1", "0", "Chưa đạt"],
        ["2", words["H2"], "1", "0", "Chưa đạt"],
    ]


def test_report_options_errors_are_vietnamese(empty_db, tmp_path):
    both = run(
        "export",
        "--db",
        str(empty_db),
        "--format",
        "docx",
        "--unit",
        "710",
        "--district",
        "710",
        "-o",
        str(tmp_path / "x.docx"),
    )
    assert both.returncode == 2 and "không chọn cả hai" in both.stderr and "Traceback" not in both.stderr
    commune = run(
        "export", "--db", str(empty_db), "--format", "docx", "--district", "25456", "-o", str(tmp_path / "x.docx")
    )
    assert commune.returncode == 2 and "không phải đơn vị cấp huyện" in commune.stderr


def test_overview_and_unit_pages_offer_the_report(demo_db, use_db):
    use_db(demo_db)
    at = app_test()
    at.query_params["as_of"] = AS_OF
    at.run()
    assert not at.exception
    assert "Tải báo cáo toàn tỉnh (Word)" in [b.label for b in at.download_button]
    at.query_params["unit"] = "710"
    at.switch_page("app_pages/unit.py").run()  # after a first run: the pages have their own url paths
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
