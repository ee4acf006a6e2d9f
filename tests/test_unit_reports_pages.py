"""The reporting cycle's pages in AppTest: hand in (right and wrong files), who has reported, review, and the
one-line pieces on the overview, lagging and unit pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from analytics.access import audit, auth
from analytics.context import open_context
from analytics.unit_reports import cycle
from tests.fixtures import DEFAULT, EXECUTABLE, PDF, app_test, docx_bytes, scan, word
from tests.fixtures import sign_in as fill_sign_in

ON_TIME = dt.datetime(2022, 12, 10, 9, 0)


def stored_states(path) -> dict[str, str]:
    ctx = open_context(path)
    try:
        return {r.unit.code: r.state for r in cycle.unit_reports(ctx, DEFAULT)}
    finally:
        ctx.close()


def frame_with(at, column: str):
    """The first table on the page with that column (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(elements) -> str:
    """The elements' texts as the reader sees them (file and unit names reach Markdown backslash-escaped)."""
    return re.sub(r"\\(.)", r"\1", " | ".join(str(e.value) for e in elements))


def test_hand_in_page_refuses_a_wrong_file_then_stores_word_and_scan(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/report_handin.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Nộp báo cáo năm"
    assert "Còn thiếu: file Word, bản scan có chữ ký." in texts(at.info)
    assert [b.label for b in at.get("download_button")] == ["Tải dự thảo báo cáo (Word)"]
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert "Tối đa 20 MB mỗi tệp • DOCX, PDF, JPG, PNG" in styles  # the uploaders state the setting's limit
    at.selectbox(key="report-handin-unit").set_value("710").run()

    at.file_uploader[0].set_value(("bao-cao.docx", docx_bytes(), "application/octet-stream"))
    at.file_uploader[1].set_value([("scan.pdf", EXECUTABLE, "application/pdf")]).run()
    at.button(key="report-handin-submit").click().run()
    assert not at.exception, at.exception
    assert "Tệp “scan.pdf” không phải PDF hay ảnh JPG/PNG." in texts(at.error)
    assert stored_states(empty_db)["710"] == "missing"  # nothing stored when one file is wrong

    at.file_uploader[1].set_value([("trang-1.pdf", PDF, "application/pdf")]).run()
    at.button(key="report-handin-submit").click().run()
    assert not at.exception, at.exception
    assert "Đã nhận báo cáo của Huyện đoàn Gò Dầu (lần 1): Nộp trễ." in texts(at.success)  # today is past 2022
    assert stored_states(empty_db)["710"] == "late"
    history = frame_with(at, "Lần nộp")
    assert list(history["Lần nộp"]) == [1] and list(history["Bản scan"]) == ["trang-1.pdf"]


def test_an_admin_records_a_report_received_by_email_on_time(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/report_handin.py").run()
    at.selectbox(key="report-handin-unit").set_value("705").run()
    at.file_uploader[0].set_value(("bc.docx", docx_bytes(), "application/octet-stream"))
    at.file_uploader[1].set_value([("scan.pdf", PDF, "application/pdf")])
    at.checkbox(key="report-received-0").check().run()
    at.date_input(key="report-received-day-0").set_value(dt.date(2022, 12, 14)).run()
    at.button(key="report-handin-submit").click().run()
    assert not at.exception, at.exception
    assert "(lần 1): Đã nộp." in texts(at.success)
    assert stored_states(empty_db)["705"] == "handed_in"


def test_province_page_lists_states_and_reviews_a_report(empty_db, use_db):
    ctx = open_context(empty_db)
    cycle.hand_in(ctx, DEFAULT, "710", [word(), scan()], "nop710", received_at=ON_TIME)
    cycle.hand_in(ctx, DEFAULT, "705", [word()], "nop705", received_at=ON_TIME)
    ctx.close()
    use_db(empty_db)
    at = app_test("app_pages/unit_reports.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Báo cáo của đơn vị"
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Đã nộp"], metrics["Đúng hạn"], metrics["Thiếu bản scan"]) == ("1/17", "1/17", "1")
    table = frame_with(at, "Tình trạng").set_index("Đơn vị")
    assert table.loc["Huyện đoàn Gò Dầu", "Tình trạng"].endswith("Đã nộp")
    assert table.loc["Huyện đoàn Tân Biên", "Tình trạng"].endswith("Thiếu bản scan · quá hạn")
    assert table.loc["Thành đoàn Tây Ninh", "Lần nộp"] == ""  # nothing handed in: blank, not "None"
    assert table.loc["Huyện đoàn Gò Dầu", "Nộp lúc"] == "09:00 10/12/2022"
    districts = frame_with(at, "Phải nộp")
    assert districts.iloc[-1]["Đơn vị"] == "Huyện đoàn Gò Dầu"  # worst first: the complete one last
    reminder = at.code[0].value
    assert "- Huyện đoàn Tân Biên: Thiếu bản scan" in reminder and "Gò Dầu" not in reminder

    at.selectbox(key="reports-review-unit").set_value("710").run()
    assert [b.label for b in at.get("download_button") if b.label.startswith("Tải file")] == ["Tải file Word"]
    at.text_area(key="reports-reason-710").input("Bản scan thiếu dấu <b>đỏ</b>")
    at.button[[b.label for b in at.button].index("Trả lại")].click().run()  # the form's submit button
    assert not at.exception, at.exception
    assert not at.error, texts(at.error)
    assert stored_states(empty_db)["710"] == "returned"
    shown = " | ".join(s.value for s in at.success)  # markup shown as text: every mark escaped, the words intact
    assert "\\<b\\>" in shown and "Lý do: Bản scan thiếu dấu <b>đỏ</b>" in shown.replace("\\", "")
    table = frame_with(at, "Tình trạng").set_index("Đơn vị")
    assert table.loc["Huyện đoàn Gò Dầu", "Lý do"] == "Bản scan thiếu dấu <b>đỏ</b>"  # shown as text
    assert metrics != {m.label: m.value for m in at.metric}
    assert {m.label: m.value for m in at.metric}["Đã nộp"] == "0/17"

    ctx = open_context(empty_db)
    cycle.hand_in(ctx, DEFAULT, "710", [scan("scan-2.pdf", PDF + b"%2\n")], "nop710")
    ctx.close()
    at.run()
    at.selectbox(key="reports-review-unit").set_value("710").run()
    at.button(key="reports-accept").click().run()
    assert not at.exception, at.exception
    assert stored_states(empty_db)["710"] == "accepted"
    assert {m.label: m.value for m in at.metric}["Đã tiếp nhận"] == "1"


def test_overview_lagging_and_unit_pages_show_the_reporting_state(empty_db, use_db):
    ctx = open_context(empty_db)
    cycle.hand_in(ctx, DEFAULT, "710", [word(), scan()], "nop710", received_at=ON_TIME)
    cycle.hand_in(ctx, DEFAULT, "705", [word(), scan()], "nop705")  # today: late
    ctx.close()
    use_db(empty_db)
    overview = app_test("app_pages/overview.py")
    overview.query_params["as_of"] = "2022-12-15"  # from the deadline on, the reporting state is today's
    overview.run()
    assert not overview.exception, overview.exception
    assert "2/17 đơn vị đã nộp báo cáo, 1 nộp trễ" in texts(overview.markdown)

    lagging = app_test("app_pages/lagging.py")
    lagging.query_params["as_of"] = "2022-12-15"
    lagging.run()
    assert not lagging.exception, lagging.exception
    overdue = frame_with(lagging, "Báo cáo năm")
    assert len(overdue) == 15 and "Huyện đoàn Gò Dầu" not in set(overdue["Đơn vị"])
    assert (
        overdue.set_index("Đơn vị").loc["Huyện đoàn Tân Châu", "Báo cáo năm"] == "Chưa nộp báo cáo năm (hạn 15/12/2022)"
    )

    unit = app_test("app_pages/unit.py")
    unit.query_params["unit"] = "710"
    unit.query_params["as_of"] = "2022-12-15"
    unit.run()
    assert not unit.exception, unit.exception
    assert "Báo cáo năm (hạn 15/12/2022): **Đã nộp**. Nộp lúc 09:00 10/12/2022 (lần 1)." in texts(unit.success)


@pytest.fixture
def signed_in_store(tmp_path, use_db):
    ctx = open_context(tmp_path / "roles.duckdb")
    for name, role, unit in (("xem", "viewer", None), ("nop710", "uploader", "710")):
        auth.add_account(ctx.db, name, "mat-khau-dai-1", role, unit, ctx.units, "tester", auth.AuthSettings())
    cycle.hand_in(ctx, DEFAULT, "705", [word(), scan()], "quantri", received_at=ON_TIME)
    ctx.close()
    return use_db(tmp_path / "roles.duckdb")


def sign_in(name: str):
    return fill_sign_in(app_test().run(), name, "mat-khau-dai-1")


def test_roles_a_viewer_sees_who_reported_but_no_review_and_an_uploader_only_its_unit(signed_in_store):
    at = sign_in("xem")
    at.switch_page("app_pages/unit_reports.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Báo cáo của đơn vị"
    assert "Xét duyệt báo cáo" not in [h.value for h in at.subheader]
    assert not [b for b in at.get("download_button") if b.label.startswith("Tải file")]

    at = sign_in("nop710")
    at.switch_page("app_pages/report_handin.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="report-handin-unit").options == ["Huyện đoàn Gò Dầu"]
    assert not [c for c in at.checkbox if c.label.startswith("Báo cáo nhận qua email")]  # admin only
    at.file_uploader[0].set_value(("bc.docx", docx_bytes(), "application/octet-stream")).run()
    at.button(key="report-handin-submit").click().run()
    assert not at.exception, at.exception
    assert stored_states(signed_in_store)["710"] == "missing_scan"
    ctx = open_context(signed_in_store)
    try:
        entry = audit.entries(ctx.db, actions=["report_hand_in"]).iloc[0]
    finally:
        ctx.close()
    assert entry["actor"] == "nop710" and '"unit": "710"' in entry["detail"]


def test_before_the_deadline_the_reporting_card_replays_the_sidebar_date(empty_db, use_db):
    ctx = open_context(empty_db)
    cycle.hand_in(ctx, DEFAULT, "710", [word(), scan()], "nop710", received_at=ON_TIME)  # 10/12/2022
    ctx.close()
    use_db(empty_db)
    before = app_test("app_pages/overview.py")
    before.query_params["as_of"] = "2022-06-30"
    before.run()
    assert not before.exception, before.exception
    assert "0/17 đơn vị đã nộp báo cáo" in texts(before.markdown)  # nothing handed in by 30/06, nothing overdue
    lagging = app_test("app_pages/lagging.py")
    lagging.query_params["as_of"] = "2022-06-30"
    lagging.run()
    assert not lagging.exception and "Báo cáo năm" not in texts(lagging.subheader)
    after = app_test("app_pages/overview.py")
    after.query_params["as_of"] = "2022-12-15"
    after.run()
    assert "1/17 đơn vị đã nộp báo cáo" in texts(after.markdown)
