"""Text from files, file names and users reaches Streamlit's Markdown only escaped: no live link, image or markup."""

from __future__ import annotations

import re

import pytest

from analytics.access import auth
from analytics.context import open_context
from tests.fixtures import GOOD, HEADER, app_test, csv_bytes, sign_in
from ui.markup import WORD_JOINER, plain

LINK = "[x](http://evil.example)"
IMAGE = "![t](http://127.0.0.1:1/t.png)"
PAYLOADS = (LINK, IMAGE)
_UNESCAPED = re.compile(r"(?<!\\)[\[\]()!:<>]")


def shows_literally(markdown: str, payload: str) -> bool:
    """The payload appears escaped (every bracket, parenthesis, colon and ! behind a backslash), never raw."""
    return plain(payload) in markdown and payload not in markdown


@pytest.mark.parametrize(
    "payload",
    [
        *PAYLOADS,
        "<img src=x onerror=alert(1)>",
        ":red[đỏ] $x^2$ :material/home:",
        "www.evil.example **đậm** # tiêu đề\n- mục",
        "`mã` ~~gạch~~ \\[a]",
    ],
)
def test_plain_escapes_every_markup_character(payload):
    escaped = plain(payload)
    assert not _UNESCAPED.search(escaped.replace("\\\\", ""))
    assert "\n" not in escaped
    # reading the escapes back gives the text (one line)
    assert re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "") == payload.replace("\n", " ")


def test_vietnamese_text_without_punctuation_is_unchanged():
    assert plain("Đoàn xã Cẩm Giang") == "Đoàn xã Cẩm Giang"


def upload(at, name, data):
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def test_extra_headers_in_the_upload_warning_are_literal(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    upload(at, "bao-cao.csv", csv_bytes([GOOD + ["a", "b"]], header=HEADER + list(PAYLOADS)))
    warnings = " ".join(w.value for w in at.warning)
    assert all(shows_literally(warnings, p) for p in PAYLOADS), warnings


def test_a_duplicate_header_in_the_error_is_literal(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    upload(at, "bao-cao.csv", csv_bytes([GOOD + ["a", "b"]], header=HEADER + [LINK, LINK]))
    shown = " ".join(m.value for m in [*at.error, *at.warning])
    assert shows_literally(shown, LINK), shown


def test_the_file_name_in_the_saved_message_and_the_rollback_dialog_is_literal(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/upload.py").run()
    name = f"{IMAGE}{LINK}.csv"
    upload(at, name, csv_bytes([GOOD]))
    [save] = [b for b in at.button if b.label.startswith("Lưu")]
    save.click().run()
    assert not at.exception
    assert at.success and all(name not in s.value for s in at.success)
    at.switch_page("app_pages/submissions.py").run()
    [open_dialog] = [b for b in at.button if b.label == "Hoàn tác…"]
    open_dialog.click().run()
    body = " ".join(m.value for m in at.markdown if "Hoàn tác lần nộp số 1" in m.value)
    assert shows_literally(body, IMAGE) and shows_literally(body, LINK), body


def test_a_unit_search_is_literal(demo_db, use_db):
    use_db(demo_db)
    at = app_test("app_pages/unit.py").run()
    at.text_input(key="unit-search").input(LINK).run()
    assert not at.exception
    [warning] = [
        w for w in at.warning if "Chưa có tài khoản nào" not in w.value
    ]  # not dashboard.py's no-account banner
    assert shows_literally(warning.value, LINK)


def test_a_refused_account_name_is_literal_on_the_accounts_page(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/accounts.py").run()
    at.text_input[0].input(IMAGE)
    at.text_input[1].input("mat-khau-dai-du")
    at.text_input[2].input("mat-khau-dai-du")
    at.button[0].click().run()
    assert not at.exception
    [error] = at.error
    assert shows_literally(error.value, IMAGE)


def test_the_signed_in_name_in_the_sidebar_is_literal(empty_db, use_db):
    ctx = open_context(empty_db)
    auth.add_account(ctx.db, "__dam__", "mat-khau-qtri-1", "admin", None, ctx.units, None, auth.AuthSettings())
    ctx.close()
    use_db(empty_db)
    at = sign_in(app_test().run(), "__dam__", "mat-khau-qtri-1")
    assert not at.exception
    assert any("\\_\\_dam\\_\\_" in m.value for m in at.sidebar.markdown)


# Report file names lose everything up to their last slash, so these payloads carry none (still a live link
# and a fetched image in Markdown).
NAME_LINK = "[x](evil.example)"
NAME_IMAGE = "![t](t.png)"


def test_a_refused_report_file_name_is_literal_on_the_hand_in_page(empty_db, use_db):
    use_db(empty_db)
    at = app_test("app_pages/report_handin.py").run()
    at.file_uploader[0].set_value((f"{NAME_LINK}.docx", b"", "application/octet-stream"))
    at.file_uploader[1].set_value([(f"{NAME_IMAGE}.pdf", b"MZ\x90\x00", "application/pdf")]).run()
    at.button(key="report-handin-submit").click().run()
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    assert shows_literally(shown, NAME_LINK) and shows_literally(shown, NAME_IMAGE), shown


def test_a_return_reason_is_literal_where_the_unit_reads_it(empty_db, use_db):
    from analytics.unit_reports import cycle
    from tests.fixtures import DEFAULT, scan, word

    ctx = open_context(empty_db)
    try:
        cycle.hand_in(ctx, DEFAULT, "710", [word(), scan()], "tester")
        cycle.review(ctx, DEFAULT, "710", False, f"Thiếu chữ ký {LINK} {IMAGE}", "tinh")
    finally:
        ctx.close()
    use_db(empty_db)
    at = app_test("app_pages/report_handin.py").run()
    at.selectbox(key="report-handin-unit").set_value("710").run()
    assert not at.exception, at.exception
    shown = " ".join(w.value for w in at.warning)
    assert shows_literally(shown, LINK) and shows_literally(shown, IMAGE), shown


HTML_LINK = '<a href="http://evil.example">x</a>'
HTML_IMAGE = '<img src="http://127.0.0.1:1/t.png">'


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings_in(v)]
    return []


def test_chart_labels_titles_and_hovers_never_carry_markup_from_names():
    import pandas as pd

    from ui import charts

    labels = {"met": "Đạt", "on_track": "Đúng tiến độ", "behind": "Chậm", "lagging": "Chậm"}
    names = [HTML_LINK, HTML_IMAGE]
    bars = pd.DataFrame(
        {"code": ["a", "b"], "name": names, "attainment": [0.5, 1.0], "status": ["behind", "met"], "hover": ["", ""]}
    )
    progress = pd.DataFrame({"label": names, "count": [1, 2], "minimum": [2, 2], "status": ["behind", "met"]})
    heat = pd.DataFrame(
        {
            "unit_code": ["a", "b"],
            "row": names,
            "target_id": ["T1", "T1"],
            "count": [1, 2],
            "minimum": [1, 1],
            "status": ["met", "met"],
        }
    )
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    geojson = {
        "features": [
            {"properties": {"code": "a"}, "geometry": square},
            {"properties": {"code": "b"}, "geometry": square},
        ]
    }
    figures = [
        charts.attainment_bars(bars, f"Xã của {HTML_LINK}", "%", labels),
        charts.count_bars(names, [1, 2], HTML_IMAGE, "n", "n"),
        charts.progress_bars(progress, "t", "min", labels),
        charts.status_heatmap(heat, "row", "t", labels, {"target": "T", "status": "S"}),
        charts.district_map(geojson, bars, "t", labels, {"a": (0.5, 0.5), "b": (0.5, 0.5)}),
    ]
    for fig in figures:
        drawn = " ".join(strings_in(fig))
        assert "<a" not in drawn and "<img" not in drawn, drawn
        assert "&lt;a href=" in drawn and "&lt;img src=" in drawn, drawn  # both names are there, as text
