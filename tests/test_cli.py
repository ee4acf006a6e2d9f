"""The command line as other tools use it: real processes, JSON on stdout."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures import ROOT, run_cli


def cli(*args, check=True, env=None):
    return run_cli(*args, check=check, env=env)


def test_catalog_json_lists_units_types_and_the_thirteen_targets():
    document = json.loads(cli("catalog", "--json").stdout)
    assert set(document) >= {"plan", "units", "activity_types", "targets"}
    assert document["plan"] == {
        "id": "antq-2022",
        "name": document["plan"]["name"],
        "start": "2022-01-01",
        "deadline": "2022-12-15",
    }
    units = document["units"]
    assert all(set(u) >= {"code", "name", "level", "parent_code"} for u in units)
    districts = [u for u in units if u["level"] == "district" and u["code"].isdigit()]
    communes = [u for u in units if u["level"] == "commune"]
    assert len(districts) == 9 and len(communes) == 94
    assert {u["level"] for u in units} == {"province", "district", "commune"}
    go_dau = next(u for u in units if u["code"] == "710")
    assert (go_dau["name"], go_dau["admin_name"], go_dau["symbol"]) == ("Huyện đoàn Gò Dầu", "Huyện Gò Dầu", "HĐTN")
    assert "symbol" in go_dau["unconfirmed"]
    targets = {tg["id"]: tg for tg in document["targets"]}
    assert len(targets) == 13
    assert targets["T2"]["minimum"] == 5 and targets["T8"]["minimum"] == 3
    assert all(tg["minimum"] == 1 for tid, tg in targets.items() if tid not in ("T2", "T8"))
    assert targets["H1"] == {
        "id": "H1",
        "level": "district",
        "description": targets["H1"]["description"],
        "minimum": 1,
        "activity_types": ["anti_drug"],
    }
    assert all(set(a) >= {"code", "label", "group"} for a in document["activity_types"])


def test_catalog_text_is_vietnamese():
    out = cli("catalog").stdout
    assert "13 chỉ tiêu" in out and "Cấp huyện và tương đương" in out


def test_status_json_on_the_demo_store_flags_lagging_units_with_reasons(demo_db):
    document = json.loads(cli("status", "--db", str(demo_db), "--json").stdout)
    assert set(document) >= {"as_of", "total_activities", "units"}
    assert document["total_activities"] == 6000
    units = document["units"]
    assert len(units) == 112
    for unit in units:
        assert set(unit) >= {"code", "name", "level", "attainment", "lagging", "reasons", "targets"}
        assert all(set(tg) >= {"id", "count", "minimum", "met"} for tg in unit["targets"])
        assert bool(unit["reasons"]) == unit["lagging"]
    lagging = [u for u in units if u["lagging"]]
    on_track = [u for u in units if not u["lagging"]]
    assert len(lagging) >= 10 and len(on_track) >= 30
    reasons = " ".join(r for u in lagging for r in u["reasons"])
    assert "Chưa có hoạt động nào" in reasons and "Không báo cáo hoạt động nào" in reasons


def test_status_as_of_replays_the_past(demo_db):
    early = json.loads(cli("status", "--db", str(demo_db), "--as-of", "2022-03-31", "--json").stdout)
    late = json.loads(cli("status", "--db", str(demo_db), "--json").stdout)
    assert early["as_of"] == "2022-03-31"
    assert early["total_activities"] < late["total_activities"]


def test_status_text_is_a_vietnamese_table(demo_db):
    out = cli("status", "--db", str(demo_db), "--as-of", "2022-09-30").stdout
    assert out.startswith("Tình hình tính đến 30/09/2022") and "Mức đạt" in out


def test_demo_is_deterministic_and_scales(tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    cli("demo", "--db", str(first), "--rows", "2000", "--seed", "7")
    cli("demo", "--db", str(second), "--rows", "2000", "--seed", "7")
    a = json.loads(cli("status", "--db", str(first), "--json").stdout)
    b = json.loads(cli("status", "--db", str(second), "--json").stdout)
    assert a == b and a["total_activities"] == 2000


def test_a_store_held_past_the_busy_timeout_gets_clear_sentences(demo_db, tmp_path):
    store = tmp_path / "held.duckdb"
    store.write_bytes(demo_db.read_bytes())
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(60)"),
            str(store),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        result = cli("status", "--db", str(store), check=False, env={"ANTQ_BUSY_TIMEOUT": "1.5"})
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    waiting, gave_up = result.stderr.strip().split("\n")
    assert waiting == "Cơ sở dữ liệu đang bận (bảng điều khiển hoặc một lệnh khác đang dùng); đang chờ tối đa 1.5 giây…"
    assert "vẫn bận sau 1.5 giây chờ" in gave_up and str(store) in gave_up
    assert 1.0 <= waited < 15
    assert not Path(f"{store}.wait").exists()  # the waiter cleans up its sign


def test_a_bad_date_is_a_vietnamese_usage_error(demo_db):
    result = cli("status", "--db", str(demo_db), "--as-of", "30/02/2022", check=False)
    assert result.returncode == 2 and "không hợp lệ" in result.stderr and "Traceback" not in result.stderr


def test_status_on_a_missing_store_is_a_clear_error(tmp_path):
    result = cli("status", "--db", str(tmp_path / "none.duckdb"), check=False)
    assert result.returncode == 2 and "Không có cơ sở dữ liệu" in result.stderr and "Traceback" not in result.stderr


def test_a_relative_store_path_in_the_environment_is_the_users(tmp_path, demo_db):
    (tmp_path / "here.duckdb").write_bytes(demo_db.read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "status", "--json"],
        cwd=tmp_path,
        env={**os.environ, "ANTQ_DB": "here.duckdb", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total_activities"] == 6000


def test_import_json_stays_json_for_a_blank_cell_and_a_missing_file_says_so(tmp_path, empty_db):
    blank = tmp_path / "blank.csv"
    blank.write_text(
        "ma_don_vi,loai_hoat_dong,ten_hoat_dong,ngay_to_chuc\n25456,anti_drug,,19/05/2022\n", encoding="utf-8"
    )
    result = cli("import", str(blank), "--db", str(empty_db), "--json", check=False)
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"] == [
        {"line": 2, "column": "ten_hoat_dong", "value": None, "message": "Ô này bắt buộc phải có giá trị."}
    ]
    missing = cli("import", str(tmp_path / "none.csv"), "--db", str(empty_db), check=False)
    assert missing.returncode == 2 and "không có tệp này" in missing.stderr


def test_export_into_a_missing_folder_is_one_clear_sentence(demo_db, tmp_path):
    result = cli("export", "--db", str(demo_db), "--format", "xlsx", "-o", str(tmp_path / "no" / "x.xlsx"), check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "thư mục chứa tệp không tồn tại" in result.stderr


def test_a_command_line_export_is_in_the_audit_log(demo_db, tmp_path):
    import duckdb

    store = tmp_path / "store.duckdb"
    store.write_bytes(demo_db.read_bytes())
    cli("export", "--db", str(store), "--format", "csv", "--district", "710", "-o", str(tmp_path / "a.csv"))
    cli("export", "--db", str(store), "--format", "docx", "--unit", "710", "-o", str(tmp_path / "a.docx"))
    with duckdb.connect(str(store), read_only=True) as con:
        entries = con.execute("SELECT actor, action, detail FROM audit_log ORDER BY id").fetchall()
    assert [action for _, action, _ in entries] == ["export", "export"]
    assert all(actor.startswith("cli") for actor, _, _ in entries)
    assert json.loads(entries[0][2])["filters"]["district"] == "710"
    assert json.loads(entries[1][2]) == {"district": None, "file": str(tmp_path / "a.docx"), "unit": "710"}


def test_status_json_is_strict_json(demo_db):
    out = cli("status", "--db", str(demo_db), "--json").stdout
    document = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert {u["severity"] for u in document["units"] if not u["lagging"]} == {None}


def test_import_for_an_account_applies_its_unit_scope(empty_db, tmp_path):
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "users",
            "add",
            "nop710",
            "--role",
            "uploader",
            "--unit",
            "710",
            "--db",
            str(empty_db),
        ],
        cwd=ROOT,
        input="mat-khau-dai-1\n",
        capture_output=True,
        text=True,
    )
    assert added.returncode == 0, added.stderr
    upload = tmp_path / "two.csv"
    upload.write_text(
        "ma_don_vi,loai_hoat_dong,ten_hoat_dong,ngay_to_chuc\n"
        "710,anti_drug,Tuyên truyền ở Gò Dầu,19/05/2022\n"
        "703,anti_drug,Tuyên truyền ở thành phố,20/05/2022\n",
        encoding="utf-8",
    )
    result = cli("import", str(upload), "--db", str(empty_db), "--user", "nop710", "--json", check=False)
    document = json.loads(result.stdout)
    assert result.returncode == 1 and (document["accepted"], document["rejected"]) == (1, 1)
    assert (
        document["errors"][0]["line"] == 3
        and "không được nộp báo cáo cho đơn vị 703" in document["errors"][0]["message"]
    )
    nobody = cli("import", str(upload), "--db", str(empty_db), "--user", "ai-do", check=False)
    assert nobody.returncode == 2 and "Không có tài khoản đang hoạt động tên “ai-do”" in nobody.stderr


def test_usage_errors_are_vietnamese():
    result = cli("status", "--password", "x", check=False)
    assert result.returncode == 2
    assert "lỗi: tham số không nhận ra: --password x" in result.stderr and "cách dùng:" in result.stderr
    missing = cli("export", "-o", "x.csv", check=False)
    assert "thiếu tham số bắt buộc: --format" in missing.stderr


def test_status_brings_a_store_up_to_a_plan_it_has_not_seen(demo_db, tmp_path):
    store = tmp_path / "old.duckdb"
    store.write_bytes(demo_db.read_bytes())
    plan = (ROOT / "data" / "plans" / "antq-2022.toml").read_text(encoding="utf-8")
    new_plan = tmp_path / "antq-2022-bis.toml"  # a new plan file (same period, so the same activities count)
    new_plan.write_text(plan.replace('id = "antq-2022"', 'id = "antq-2022-bis"'), encoding="utf-8")
    env = {"ANTQ_PLAN": str(new_plan)}
    first = json.loads(cli("status", "--db", str(store), "--as-of", "2022-09-30", "--json", env=env).stdout)
    usual = json.loads(cli("status", "--db", str(demo_db), "--as-of", "2022-09-30", "--json").stdout)
    assert first["plan"] == "antq-2022-bis"
    assert first["province"]["pairs"] == usual["province"]["pairs"] > 0
    assert first["province"] == usual["province"] and first["units"] == usual["units"]
    again = json.loads(cli("status", "--db", str(store), "--as-of", "2022-09-30", "--json", env=env).stdout)
    assert again == first


HEAVY = ("pandas", "argon2", "docx", "openpyxl", "xlsxwriter", "pyarrow", "numpy", "streamlit")


def modules_after(*argv: str) -> set[str]:
    """The top-level packages a command had imported when it finished (in a fresh process)."""
    code = (
        "import sys, runpy, json\n"
        f"sys.argv = ['analytics', *{list(argv)!r}]\n"
        "try:\n    runpy.run_module('analytics', run_name='__main__')\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_status_and_catalog_start_without_the_heavy_packages(demo_db):
    assert not modules_after("status", "--db", str(demo_db), "--json") & set(HEAVY)
    assert not modules_after("catalog", "--json") & set(HEAVY)
    assert "pandas" in modules_after("submissions", "--db", str(demo_db), "--json")  # the test can see an import


def test_status_json_is_the_same_as_the_pages_figures(demo_db):
    from analytics.context import open_context
    from analytics.measures import attainment

    report = json.loads(cli("status", "--db", str(demo_db), "--as-of", "2022-08-31", "--json").stdout)
    ctx = open_context(demo_db, read_only=True)
    try:
        import datetime as dt

        as_of = dt.date(2022, 8, 31)
        targets = attainment.unit_targets(ctx.db, ctx.plan, as_of, ctx.settings.lagging)
        units = attainment.unit_status(targets, ctx.plan, ctx.settings.lagging, as_of)
    finally:
        ctx.close()
    by_code = {u["code"]: u for u in report["units"]}
    assert len(by_code) == len(units) > 100
    for row in units.itertuples():
        shown = by_code[row.code]
        assert shown["reasons"] == list(row.reasons)
        assert shown["severity"] == (row.severity if row.lagging else None)
        assert shown["attainment"] == round(row.attainment, 4)
    assert report["province"]["lagging_units"] == int(units["lagging"].sum()) > 0
