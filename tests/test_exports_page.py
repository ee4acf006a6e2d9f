"""The download widgets in AppTest: what a page user is offered, and told, above Excel's row limit."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.outputs import exports
from tests.fixtures import EXPORT_RECORDS, store_file


@pytest.fixture
def tiny_path(tmp_path, use_db):
    return use_db(store_file(tmp_path / "tiny.duckdb", records=EXPORT_RECORDS))


def shown_table_with_full_export():
    import pandas as pd

    from analytics.outputs.exports import ActivitySelection
    from ui.downloads import table_downloads

    table_downloads(
        pd.DataFrame({"Tên hoạt động": ["một dòng đang hiển thị"]}),
        "tra-cuu",
        {"Cấp": "Tất cả"},
        "explorer",
        activities=ActivitySelection(),
    )


def shown_table_only():
    import pandas as pd

    from ui.downloads import table_downloads

    table_downloads(pd.DataFrame({"Đơn vị": ["Xã A", "Xã B"], "Số": [1, 2]}), "bang", {}, "table")


def run(script) -> AppTest:
    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception
    return at


def test_a_shown_table_offers_csv_and_excel(tiny_path):
    at = run(shown_table_only)
    assert [b.label for b in at.download_button] == ["Tải CSV", "Tải Excel"]
    assert not any(b.proto.disabled for b in at.download_button)
    assert not at.caption


def test_a_full_activity_export_says_it_holds_every_matching_record(tiny_path):
    at = run(shown_table_with_full_export)
    assert not at.download_button[1].proto.disabled
    assert [c.value for c in at.caption] == [
        "Tệp tải về gồm toàn bộ 4 hoạt động khớp bộ lọc (bảng trên chỉ hiển thị một phần)."
    ]


def test_above_the_excel_limit_the_page_disables_excel_says_why_and_offers_csv(tiny_path, monkeypatch):
    monkeypatch.setattr(exports, "EXCEL_MAX_ROWS", 4)  # header + 3 records: the store holds 4
    at = run(shown_table_with_full_export)
    csv_button, excel_button = at.download_button
    assert not csv_button.proto.disabled and excel_button.proto.disabled
    reason = at.caption[0].value
    assert "vượt quá giới hạn 3 dòng của một trang tính Excel" in reason and "Hãy tải tệp CSV" in reason
    assert excel_button.help == reason


def test_above_the_browser_limit_the_page_points_to_the_command_line(tiny_path, monkeypatch):
    import ui.downloads

    monkeypatch.setattr(ui.downloads, "WEB_MAX_ROWS", 3)  # the store holds 4 matching records
    at = run(shown_table_with_full_export)
    assert all(button.proto.disabled for button in at.download_button)
    assert "python -m analytics export --format csv" in at.caption[0].value
    assert "Có 4 hoạt động khớp bộ lọc" in at.caption[0].value
