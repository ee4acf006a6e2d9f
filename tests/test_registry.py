import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from analytics.context import open_context
from analytics.core.settings import load_settings
from analytics.measures import attainment
from analytics.reference.plan import PlanError
from analytics.reference.registry import load_units

SETTINGS = load_settings()
# A copy of the 2022 catalogue of administrative units (three public catalogues agree on every row), kept in the project
REFERENCE = Path(__file__).parent / "data" / "units-tay-ninh-2022.csv"


def test_registry_holds_province_districts_communes_and_affiliated_unions():
    units = load_units(SETTINGS.units_path)
    by_level = {level: [u for u in units if u.level == level] for level in ("province", "district", "commune")}
    assert [u.code for u in by_level["province"]] == ["72"]
    administrative = [u for u in by_level["district"] if u.code.isdigit()]
    assert len(administrative) == 9 and len(by_level["commune"]) == 94
    assert {u.admin_name for u in administrative} >= {"Thành phố Tây Ninh", "Huyện Gò Dầu", "Thị xã Trảng Bàng"}
    affiliated = [u for u in by_level["district"] if not u.code.isdigit()]
    assert "Đoàn Thanh niên Công an tỉnh" in {u.name for u in affiliated}
    assert all(u.parent_code == "72" for u in by_level["district"])
    phuong_1 = next(u for u in units if u.code == "25456")
    assert (phuong_1.admin_name, phuong_1.parent_code, phuong_1.district_code) == ("Phường 1", "703", "703")


def test_registry_matches_the_reference_catalogue():
    reference = {r["code"]: r for r in csv.DictReader(REFERENCE.open(encoding="utf-8"))}
    units = {u.code: u for u in load_units(SETTINGS.units_path)}
    for code, row in reference.items():
        assert (units[code].admin_name, units[code].level, units[code].parent_code) == (
            row["name"],
            row["level"],
            row["parent_code"],
        )


def test_operator_can_add_rename_and_retire_units_without_code(tmp_path, antq_env):
    path = tmp_path / "units.csv"
    shutil.copy(SETTINGS.units_path, path)
    text = path.read_text(encoding="utf-8").replace(
        "Đoàn Khối Doanh nghiệp tỉnh", "Đoàn Khối Doanh nghiệp tỉnh Tây Ninh"
    )
    text = text.replace(
        "TT-CDN,Đoàn trường Cao đẳng nghề Tây Ninh,district,đoàn trực thuộc,72,,,",
        "TT-CDN,Đoàn trường Cao đẳng nghề Tây Ninh,district,đoàn trực thuộc,72,,2022-03-31,",
    )
    text += "TT-BV,Đoàn cơ sở Bệnh viện Đa khoa tỉnh,district,đoàn trực thuộc,72,2022-01-01,,\n"
    path.write_text(text, encoding="utf-8")
    antq_env(units=path)
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


@pytest.mark.parametrize(
    ("code", "union_name", "admin_name"),
    [
        ("72", "Tỉnh đoàn Tây Ninh", "Tỉnh đoàn Tây Ninh"),
        ("703", "Thành đoàn Tây Ninh", "Thành phố Tây Ninh"),
        ("709", "Thị đoàn Hòa Thành", "Thị xã Hòa Thành"),
        ("712", "Thị đoàn Trảng Bàng", "Thị xã Trảng Bàng"),
        ("710", "Huyện đoàn Gò Dầu", "Huyện Gò Dầu"),
        ("25660", "Đoàn xã Cẩm Giang", "Xã Cẩm Giang"),
        ("25456", "Đoàn phường 1", "Phường 1"),
        ("25486", "Đoàn thị trấn Tân Biên", "Thị trấn Tân Biên"),
        ("TT-KCQ", "Đoàn Khối các cơ quan tỉnh", "Đoàn Khối các cơ quan tỉnh"),
    ],
)
def test_every_unit_goes_by_its_union_bodys_name(code, union_name, admin_name):
    unit = next(u for u in load_units(SETTINGS.units_path) if u.code == code)
    assert (unit.name, unit.admin_name) == (union_name, admin_name)


def test_every_unit_has_a_symbol_and_heading_lines_and_says_which_are_unconfirmed():
    units = load_units(SETTINGS.units_path)
    for unit in units:
        assert unit.symbol and unit.committee_line.startswith("BCH "), unit.code
        assert unit.standing_committee == (unit.level != "commune"), unit.code
        if unit.level == "province":
            assert unit.unconfirmed == () and unit.symbol == "TĐTN-BPT"
        else:
            assert "symbol" in unit.unconfirmed and unit.superior_line, unit.code
    commune = next(u for u in units if u.code == "25660")
    assert (commune.superior_line, commune.committee_line) == ("HUYỆN ĐOÀN GÒ DẦU", "BCH ĐOÀN XÃ CẨM GIANG")


def test_a_registry_without_the_union_columns_still_loads_under_the_administrative_names(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,level,kind,parent_code,valid_from,valid_to,note\n"
        "72,Tỉnh đoàn Tây Ninh,province,tỉnh,,,,\n710,Huyện Gò Dầu,district,huyện,72,,,\n",
        encoding="utf-8",
    )
    units = load_units(path)
    assert [(u.name, u.admin_name, u.standing_committee) for u in units] == [
        ("Tỉnh đoàn Tây Ninh", "Tỉnh đoàn Tây Ninh", True),
        ("Huyện Gò Dầu", "Huyện Gò Dầu", True),
    ]


def test_an_unknown_unconfirmed_column_is_named(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,level,kind,parent_code,unconfirmed\n72,Tỉnh đoàn Tây Ninh,province,tỉnh,,tên\n", encoding="utf-8"
    )
    with pytest.raises(PlanError) as error:
        load_units(path)
    assert "dòng 2" in str(error.value) and "“tên”" in str(error.value)


def test_the_store_gives_union_names_and_keeps_the_administrative_name(tmp_path):
    ctx = open_context(tmp_path / "store.duckdb")
    try:
        row = ctx.db.df("SELECT name, admin_name, symbol, committee_line FROM units WHERE code = '710'").iloc[0]
        assert list(row) == ["Huyện đoàn Gò Dầu", "Huyện Gò Dầu", "HĐTN", "BCH HUYỆN ĐOÀN GÒ DẦU"]
        targets = attainment.unit_targets(ctx.db, ctx.plan, ctx.plan.deadline, ctx.settings.lagging)
        names = set(targets["unit_name"])
        assert {"Huyện đoàn Gò Dầu", "Đoàn xã Cẩm Giang", "Thành đoàn Tây Ninh"} <= names
        assert not names & {"Huyện Gò Dầu", "Xã Cẩm Giang"}
    finally:
        ctx.close()


def test_a_store_made_before_migration_007_upgrades_in_place(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    open_context(path).close()
    con = duckdb.connect(str(path))  # back to the layout before 007, reference data as it was synced then
    for column in ("admin_name", "symbol", "superior_line", "committee_line", "standing_committee", "unconfirmed"):
        con.execute(f"ALTER TABLE units DROP COLUMN {column}")
    con.execute("DELETE FROM schema_migrations WHERE version = 7")
    con.execute("UPDATE units SET name = 'Huyện Gò Dầu' WHERE code = '710'")
    con.execute("DELETE FROM meta WHERE key LIKE 'reference:%'")
    con.close()
    ctx = open_context(path)
    try:
        assert ctx.db.schema_version() >= 7
        assert ctx.db.df("SELECT name, admin_name, standing_committee FROM units WHERE code = '710'").iloc[
            0
        ].tolist() == ["Huyện đoàn Gò Dầu", "Huyện Gò Dầu", True]
    finally:
        ctx.close()


@pytest.mark.parametrize("name", ["Huyện đoàn Gò Dầu", "Huyện Gò Dầu", "huyen doan go dau", "Huyện  Gò Dầu"])
def test_uploads_name_a_unit_by_either_name(name):
    from analytics.intake.check import UnitResolver
    from analytics.reference.plan import load_plan

    plan = load_plan(SETTINGS.plan_path, SETTINGS.activity_types_path)
    resolver = UnitResolver(plan, load_units(SETTINGS.units_path), None)
    assert resolver.resolve(None, name)[0] == "710"
    assert resolver.resolve("710", name)[0] == "710"
    assert resolver.resolve(None, "Đoàn xã Cẩm Giang")[0] == resolver.resolve(None, "Xã Cẩm Giang")[0] == "25660"
