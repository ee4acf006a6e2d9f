import datetime as dt
from pathlib import Path

import pytest

from analytics.core.settings import load_settings
from analytics.reference.plan import PlanError, load_plan

SETTINGS = load_settings()
PLAN_TEXT = SETTINGS.plan_path.read_text(encoding="utf-8")


def plan_from(tmp_path: Path, text: str):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return load_plan(path, SETTINGS.activity_types_path)


def test_the_2022_plan_has_its_thirteen_targets_and_minimums():
    plan = load_plan(SETTINGS.plan_path, SETTINGS.activity_types_path)
    assert (plan.start, plan.deadline) == (dt.date(2022, 1, 1), dt.date(2022, 12, 15))
    assert [tg.id for tg in plan.targets] == [
        "T1",
        "T2",
        "T3",
        "T4a",
        "T4b",
        "T5",
        "T6",
        "T7",
        "T8",
        "H1",
        "H2",
        "X1",
        "X2",
    ]
    minimums = {tg.id: tg.minimum for tg in plan.targets}
    assert minimums.pop("T2") == 5 and minimums.pop("T8") == 3
    assert set(minimums.values()) == {1}
    assert [tg.id for tg in plan.targets_for("district")] == ["H1", "H2"]
    assert [tg.id for tg in plan.targets_for("commune")] == ["X1", "X2"]
    assert "ma túy" in plan.target("H1").description


def test_taxonomy_groups_cover_the_plan_themes():
    plan = load_plan(SETTINGS.plan_path, SETTINGS.activity_types_path)
    groups = {g.code for g in plan.groups}
    assert {"crime_prevention", "reintegration", "religion_ethnic"} <= groups
    by_code = {a.code: a for a in plan.activity_types}
    assert by_code["anti_drug"].group == "crime_prevention"
    assert by_code["reformed_youth_dreams"].group == "reintegration"
    assert all(code.isascii() and code == code.lower() for code in by_code)
    # every target counts at least one known type
    assert all(set(tg.activity_types) <= set(by_code) for tg in plan.targets)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s.replace('minimum = 5', 'minimum = "năm"', 1), ["target T2", "minimum"]),
        (lambda s: s.replace('level = "district"', 'level = "county"', 1), ["target H1", "county"]),
        (lambda s: s.replace('activity_types = ["anti_drug"]', 'activity_types = ["ma_tuy"]'), ["target H1", "ma_tuy"]),
        (lambda s: s.replace('id = "T3"', 'id = "T1"'), ["target T1", "T1"]),
        (lambda s: s.replace('deadline = 2022-12-15', 'deadline = 2021-12-15'), ["2021-12-15"]),
        (lambda s: s.replace('minimum = 3', 'minimum = 0'), ["target T8", "0"]),
        (
            lambda s: s.replace(
                'description = "Có ít nhất 01 hoạt động tuyên truyền phòng, chống ma túy cho thanh thiếu nhi"\n', ''
            ),
            ["target H1", "description"],
        ),
        (lambda s: s.replace('[[target]]\nid = "T1"', '[[target]\nid = "T1"'), ["TOML"]),
    ],
)
def test_a_malformed_plan_names_the_file_the_entry_and_the_problem(tmp_path, change, expected):
    broken = change(PLAN_TEXT)
    assert broken != PLAN_TEXT
    with pytest.raises(PlanError) as error:
        plan_from(tmp_path, broken)
    message = str(error.value)
    assert str(tmp_path / "plan.toml") in message
    for part in expected:
        assert part in message


def test_another_year_is_another_file(tmp_path):
    plan = plan_from(
        tmp_path,
        PLAN_TEXT.replace("2022-01-01", "2023-01-01")
        .replace("2022-12-15", "2023-12-15")
        .replace('id = "antq-2022"', 'id = "antq-2023"'),
    )
    assert plan.id == "antq-2023" and plan.deadline == dt.date(2023, 12, 15)


def test_a_missing_plan_file_is_a_clear_error(tmp_path):
    with pytest.raises(PlanError, match="Không tìm thấy tệp"):
        load_plan(tmp_path / "none.toml", SETTINGS.activity_types_path)
