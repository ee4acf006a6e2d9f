import json
import re
import string

import duckdb
import pytest

from analytics.core.i18n import LOCALES_DIR, catalogue, t
from analytics.core.text import FOLD_SQL_MACRO, fold, format_number, format_percent


def test_every_catalogue_file_has_the_same_keys_in_both_languages():
    for vi_file in sorted((LOCALES_DIR / "vi").glob("*.json")):
        en_file = LOCALES_DIR / "en" / vi_file.name
        assert en_file.exists(), f"{en_file} is missing"
        vi, en = json.loads(vi_file.read_text("utf-8")), json.loads(en_file.read_text("utf-8"))
        assert set(vi) == set(en), f"{vi_file.name}: {set(vi) ^ set(en)}"


def test_placeholders_agree_between_languages():
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    vi, en = catalogue("vi"), catalogue("en")
    for key, text in vi.items():
        assert fields(text) == fields(en[key]), key


def test_vietnamese_is_the_default_and_english_is_beside_it():
    assert t("nav.overview") == "Tổng quan"
    assert t("nav.overview", "en") == "Overview"
    assert t("kpi.days_left_value", days=3) == "3 ngày"


def test_vietnamese_catalogue_is_vietnamese():
    # every Vietnamese message that has words carries at least one Vietnamese letter or is a shared term
    texts = [v for v in catalogue("vi").values() if re.search(r"[a-zA-Z]{4,}", v)]
    vietnamese = [
        v for v in texts if re.search(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", v, re.I)
    ]
    assert len(vietnamese) / len(texts) > 0.95


@pytest.mark.parametrize(
    "text",
    [
        "Huyện Gò Dầu",
        "  ĐOÀN   xã Tân Bình ",
        "Thị trấn Dương Minh Châu",
        "Phường 1",
        "Thị xã Hòa Thành",
        "Ngày hội “Thầy thuốc trẻ”",
        "Nguyễn Thị Trúc Mai",
        "Hội thi\u00a0pháp luật\u202f",
        "Tập\thuấn\u3000kỹ năng",
    ],
)
def test_sql_fold_macro_equals_python_fold(text):
    con = duckdb.connect()
    con.execute(FOLD_SQL_MACRO)
    assert con.execute("SELECT fold(?)", [text]).fetchone()[0] == fold(text)


def test_fold_and_vietnamese_number_formats():
    assert fold("Đoàn xã Tân Bình") == fold("doan xa tan binh") == "doan xa tan binh"
    assert format_number(1234567) == "1.234.567"
    assert format_number(1234.5, 1) == "1.234,5"
    assert format_percent(0.875) == "88%"


def test_the_chart_toolbar_speaks_the_readers_language():
    from ui.charts import PLOTLY_TEXTS, chart_config

    vietnamese = chart_config("vi")
    assert vietnamese["locale"] == "vi" and vietnamese["displaylogo"] is False
    words = vietnamese["locales"]["vi"]["dictionary"]
    assert set(words) == set(PLOTLY_TEXTS) and all(words[text] != text for text in PLOTLY_TEXTS)
    assert words["Reset axes"] == "Đặt lại trục"
    assert chart_config("en")["locales"]["en"]["dictionary"]["Zoom"] == "Zoom"
