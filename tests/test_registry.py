import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from analytics.context import open_context
from analytics.plan import PlanError
from analytics.registry import load_units
from analytics.settings import load_settings

SETTINGS = load_settings()
# A copy of the 2022 catalogue of administrative units (three public catalogues agree on every row), kept in the project
REFERENCE = Path(__file__).parent / "data" / "units-tay-ninh-2022.csv"


def test_registry_holds_province_districts_communes_and_affiliated_unions():
    units = load_units(SETTINGS.units_path)
    by_level = {level: [u for u in units if u.level == level] for level in ("province", "district", "commune")}
    assert [u.code for u in by_level["province"]] == ["72"]
    administrative = [u for u in by_level["district"] if u.code.isdigit()]
    assert len(administrative) == 9 and len(by_level["commune"]) == 94
    assert {u.name for u in administrative} >= {"Thành phố Tây Ninh", "Huyện Gò Dầu", "Thị xã Trảng Bàng"}
    affiliated = [u for u in by_level["district"] if not u.code.isdigit()]
    assert "Đoàn Thanh niên Công an tỉnh" in {u.name for u in affiliated}
    assert all(u.parent_code == "72" for u in by_level["district"])
    phuong_1 = next(u for u in units if u.code == "25456")
    assert (phuong_1.name, phuong_1.parent_code, phuong_1.district_code) == ("Phường 1", "703", "703")


def test_registry_matches_the_reference_catalogue():
    reference = {r["code"]: r for r in csv.DictReader(REFERENCE.open(encoding="utf-8"))}
    units = {u.code: u for u in load_units(SETTINGS.units_path)}
    for code, row in reference.items():
        assert (units[code].name, units[code].level, units[code].parent_code) == (row["name"], row["level"], row["parent_code"])


def test_operator_can_add_rename_and_retire_units_without_code(tmp_path, monkeypatch):
    path = tmp_path / "units.csv"
    shutil.copy(SETTINGS.units_path, path)
    text = path.read_text(encoding="utf-8").replace("Đoàn Khối Doanh nghiệp tỉnh", "Đoàn Khối Doanh nghiệp tỉnh Tây Ninh")
    text = text.replace("TT-CDN,Đoàn trường Cao đẳng nghề Tây Ninh,district,đoàn trực thuộc,72,,,",
                        "TT-CDN,Đoàn trường Cao đẳng nghề Tây Ninh,district,đoàn trực thuộc,72,,2022-03-31,")
    text += "TT-BV,Đoàn cơ sở Bệnh viện Đa khoa tỉnh,district,đoàn trực thuộc,72,2022-01-01,,\n"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ANTQ_UNITS", str(path))
    ctx = open_context(tmp_path / "store.duckdb")
    try:
        names = dict(ctx.db.df("SELECT code, name FROM units").itertuples(index=False))
        assert names["TT-KDN"] == "Đoàn Khối Doanh nghiệp tỉnh Tây Ninh"
        assert names["TT-BV"] == "Đoàn cơ sở Bệnh viện Đa khoa tỉnh"
        retired = next(u for u in ctx.units if u.code == "TT-CDN")
        assert retired.valid_to == dt.date(2022, 3, 31)
        assert retired.active_between(dt.date(2022, 1, 1), dt.date(2022, 12, 15))
        assert not retired.active_between(dt.date(2022, 4, 1), dt.date(2022, 12, 15))
    finally:
        ctx.close()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("99999,Xã Mới,commune,xã,12345,,,", "12345"),
        ("703,Trùng mã,district,huyện,72,,,", "703"),
        ("X9,Đơn vị lạ,ward,xã,703,,,", "ward"),
        ("X9,Đơn vị,commune,xã,703,2022-31-01,,", "2022-31-01"),
    ],
)
def test_a_bad_registry_row_names_file_and_row(tmp_path, row, expected):
    path = tmp_path / "units.csv"
    lines = SETTINGS.units_path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [row]) + "\n", encoding="utf-8")
    with pytest.raises(PlanError) as error:
        load_units(path)
    assert str(path) in str(error.value) and f"dòng {len(lines) + 1}" in str(error.value)
    assert expected in str(error.value)
