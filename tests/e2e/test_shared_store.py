"""The dashboard and the command line on one store: a real server with a browser session open, the real CLI
beside it. Read commands work at once; writes work too (the server lets the file go between runs) and the
page shows them on its next run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from tests.e2e.pages import App
from tests.fixtures import OUT_OF_SCOPE_FILE, ROOT

BUSY_TIMEOUT = 20  # seconds a command may wait for the server to let the file go


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "analytics", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "ANTQ_BUSY_TIMEOUT": str(BUSY_TIMEOUT)},
        timeout=BUSY_TIMEOUT + 60,
    )
    result.seconds = time.monotonic() - started
    assert result.returncode == 0, (args, result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def test_the_command_line_works_beside_a_running_dashboard(dashboard, store, page, tmp_path):
    app = App(page, dashboard(store)).open()
    assert app.metric("Hoạt động") == "6.000"
    db = ["--db", str(store)]

    status = json.loads(cli("status", *db, "--as-of", "2022-12-15", "--json").stdout)
    assert status["total_activities"] == 6000 and status["province"]["pairs"] > 0
    assert len(json.loads(cli("catalog", "--json").stdout)["targets"]) == 13
    assert json.loads(cli("submissions", *db, "--json").stdout)["submissions"] == []
    cli("export", *db, "--format", "csv", "-o", str(tmp_path / "hoat-dong.csv"))
    assert (tmp_path / "hoat-dong.csv").read_text(encoding="utf-8-sig").count("\n") == 6001
    cli("export", *db, "--format", "docx", "--district", "703", "-o", str(tmp_path / "bao-cao.docx"))
    assert (tmp_path / "bao-cao.docx").stat().st_size > 10_000

    upload = tmp_path / "bao-cao-703.csv"
    upload.write_bytes(OUT_OF_SCOPE_FILE)
    imported = json.loads(cli("import", str(upload), *db, "--json").stdout)
    assert imported["committed"] and imported["accepted"] == 4
    app.open()  # the next run shows the command line's write
    assert app.metric("Hoạt động") == "6.004"
    listed = json.loads(cli("submissions", *db, "--json").stdout)["submissions"]
    assert [s["id"] for s in listed] == [imported["submission_id"]]

    app.page.reload()  # a run of the open session while the next command writes
    cli("rollback", str(imported["submission_id"]), *db)
    app.open()
    assert app.metric("Hoạt động") == "6.000"

    added = cli("users", "add", "quantri", "--role", "admin", *db, stdin="mat-khau-quan-tri\n")
    assert "quantri" in added.stdout
    app.open()
    app.page.get_by_text("Đăng nhập").first.wait_for()  # the account exists now: the dashboard asks to sign in
    app.assert_no_exception()
    assert "Traceback" not in dashboard.servers[0].log()
