"""`python -m analytics import|submissions|rollback`: the published JSON keys and the exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb

from tests.fixtures import GOOD, ROOT, csv_bytes

PUBLISHED_KEYS = {
    "file",
    "encoding",
    "rows",
    "accepted",
    "rejected",
    "duplicates",
    "updated",
    "committed",
    "submission_id",
    "errors",
}  # issue 3: never renamed or dropped
KEYS = PUBLISHED_KEYS | {"warnings", "duplicate_rows", "updated_lines", "sheet", "header_row", "skipped_rows"}


def cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "analytics", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def other(title, ref=""):
    return GOOD[:3] + [title] + GOOD[4:8] + [ref, ""]


def test_import_stores_and_prints_the_published_keys(empty_db, tmp_path):
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes([GOOD, other("Hội thi", "HD-2")], sep=";", encoding="utf-16"))
    run = cli("import", path, "--db", empty_db, "--json", "--user", "can_bo")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert set(document) == KEYS
    assert document == {
        "file": "bao-cao.csv",
        "encoding": "UTF-16",
        "rows": 2,
        "accepted": 2,
        "rejected": 0,
        "duplicates": 0,
        "updated": 0,
        "committed": True,
        "submission_id": 1,
        "errors": [],
        "warnings": [],
        "duplicate_rows": [],
        "updated_lines": [],
        "sheet": None,
        "header_row": 1,
        "skipped_rows": [],
    }
    listing = json.loads(cli("submissions", "--db", empty_db, "--json").stdout)["submissions"]
    assert [(s["id"], s["file_name"], s["user_name"], s["inserted"], s["status"]) for s in listing] == [
        (1, "bao-cao.csv", "can_bo", 2, "active")
    ]
    again = json.loads(cli("import", path, "--db", empty_db, "--json").stdout)
    assert (again["committed"], again["submission_id"], again["duplicates"]) == (False, 1, 2)
    assert again["warnings"] == ["Tệp này giống hệt tệp đã nộp (lần nộp số 1); lưu lại sẽ không thêm gì."]
    assert [d["line"] for d in again["duplicate_rows"]] == [2, 3]
    assert again["duplicate_rows"][0]["message"].startswith("Đã có trong cơ sở dữ liệu")
    changed = tmp_path / "sua.csv"  # HD-2 again with another title: an update of row 3's activity
    changed.write_bytes(csv_bytes([GOOD, other("Hội thi (sửa tên)", "HD-2")]))
    dry = json.loads(cli("import", changed, "--db", empty_db, "--json", "--dry-run").stdout)
    assert (dry["updated_lines"], [d["line"] for d in dry["duplicate_rows"]]) == ([3], [2])


def test_rejected_rows_exit_1_and_store_nothing_unless_valid_only(empty_db, tmp_path):
    path = tmp_path / "loi.csv"
    path.write_bytes(csv_bytes([GOOD, other("Sai ngày", "HD-2")[:4] + ["31/02/2022"] + GOOD[5:8] + ["HD-2", ""]]))
    run = cli("import", path, "--db", empty_db, "--json")
    assert run.returncode == 1
    document = json.loads(run.stdout)
    assert (document["committed"], document["rejected"], document["submission_id"]) == (False, 1, None)
    assert document["errors"] == [
        {
            "line": 3,
            "column": "ngay_to_chuc",
            "value": "31/02/2022",
            "message": "Ngày này không có trong tháng 2: hãy kiểm tra lại ngày và tháng.",
        }
    ]
    with duckdb.connect(str(empty_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 0
    run = cli("import", path, "--db", empty_db, "--valid-only", "--json")
    assert run.returncode == 0 and json.loads(run.stdout)["committed"] is True
    with duckdb.connect(str(empty_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 1


def test_dry_run_stores_nothing_and_plain_output_is_vietnamese(empty_db, tmp_path):
    path = tmp_path / "thu.csv"
    path.write_bytes(csv_bytes([GOOD]))
    run = cli("import", path, "--db", empty_db, "--dry-run")
    assert run.returncode == 0
    assert "1 hợp lệ" in run.stdout and "Chạy thử: chưa lưu gì." in run.stdout
    assert json.loads(cli("submissions", "--db", empty_db, "--json").stdout) == {"submissions": []}


def test_unreadable_files_exit_2_with_one_vietnamese_line(empty_db, tmp_path):
    cases = {
        "rong.csv": b"",
        "rac.csv": bytes(range(256)) * 20,
        "thieu-cot.csv": "ma_don_vi,ten_hoat_dong\n25456,x\n".encode(),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        run = cli("import", path, "--db", empty_db, "--json")
        assert run.returncode == 2, name
        assert "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "Không đọc được tệp" in run.stderr
        # A script reading the JSON gets a document saying the same.
        assert json.loads(run.stdout) == {
            "file": name,
            "committed": False,
            "submission_id": None,
            "error": run.stderr.strip(),
            "exit_code": 2,
        }
    plain = cli("import", tmp_path / "rong.csv", "--db", empty_db)
    assert plain.returncode == 2 and plain.stdout == ""


def test_rollback_by_id(empty_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([GOOD]))
    assert cli("import", path, "--db", empty_db).returncode == 0
    run = cli("rollback", "1", "--db", empty_db, "--user", "lanh_dao")
    assert run.returncode == 0 and "Đã hoàn tác lần nộp số 1" in run.stdout
    again = cli("rollback", "1", "--db", empty_db)
    assert again.returncode == 1 and "đã được hoàn tác" in again.stderr
    listing = json.loads(cli("submissions", "--db", empty_db, "--json").stdout)["submissions"]
    assert (listing[0]["status"], listing[0]["rolled_back_by"]) == ("rolled_back", "lanh_dao")


def test_a_locked_store_exits_3(empty_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([GOOD]))
    holder = duckdb.connect(str(empty_db))  # a process that keeps the file past the wait (the dashboard lets go)
    busy = {"ANTQ_BUSY_TIMEOUT": "1"}
    try:
        run = cli("import", path, "--db", empty_db, env=busy)
        as_json = cli("import", path, "--db", empty_db, "--json", env=busy)
        status = cli("status", "--db", empty_db, "--json", env=busy)
    finally:
        holder.close()
    waiting, gave_up = run.stderr.strip().split("\n")
    assert run.returncode == 3 and "Traceback" not in run.stderr and run.stdout == ""
    assert "đang chờ tối đa 1 giây" in waiting and "vẫn bận sau 1 giây chờ" in gave_up
    assert as_json.returncode == 3 and json.loads(as_json.stdout) == {
        "file": "a.csv",
        "committed": False,
        "submission_id": None,
        "error": gave_up,
        "exit_code": 3,
    }
    assert status.returncode == 3 and json.loads(status.stdout) == {"error": gave_up, "exit_code": 3}
    assert cli("submissions", "--db", empty_db, "--json").stdout == '{\n  "submissions": []\n}\n'  # nothing stored
